package org.explain4j;

import org.tensorflow.ndarray.Shape;

/**
 * A candidate layer: an operation on the path from the signature input to the output, with its
 * position in graph order, its op type and its output's static shape.
 */
public record Layer(int index, String name, String opType, Shape shape, DataFormat dataFormat) {

  /** Whether this layer has a spatial output ({@code [batch, h, w, c]} with h and w above 1). */
  public boolean isSpatial() {
    if (shape.numDimensions() != 4) {
      return false;
    }
    int h = dataFormat == DataFormat.CHANNELS_FIRST ? 2 : 1;
    return shape.get(h) > 1 && shape.get(h + 1) > 1;
  }

  /** Whether this layer has a temporal output ({@code [batch, time, channels]} with time above 1). */
  public boolean isTemporal() {
    return shape.numDimensions() == 3 && shape.get(dataFormat == DataFormat.CHANNELS_FIRST ? 2 : 1) > 1;
  }

  @Override
  public String toString() {
    return index + ": " + name + " (" + opType + ") " + shape;
  }
}
