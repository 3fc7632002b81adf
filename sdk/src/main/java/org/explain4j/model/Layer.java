package org.explain4j.model;

import org.tensorflow.ndarray.Shape;

/**
 * A candidate layer: an operation on the path from the signature input to the output, with its
 * position in graph order, the graph op whose output it is, that op's type and its output's static
 * shape. For flat graphs the name is the op's; for Keras models it is the Keras layer's name
 * ({@code conv2d_4}), and {@code op} the flattened op that the layer outputs.
 */
public record Layer(int index, String name, String op, String opType, Shape shape, DataFormat dataFormat) {

  /**
   * Whether this layer has a spatial output ({@code [batch, h, w, c]} with h and w above 1, or not
   * known before a run, as for models that take images of any size).
   */
  public boolean isSpatial() {
    if (shape.numDimensions() != 4) {
      return false;
    }
    int h = dataFormat == DataFormat.CHANNELS_FIRST ? 2 : 1;
    return shape.get(h) != 1 && shape.get(h + 1) != 1;
  }

  /** Whether this layer has a temporal output ({@code [batch, time, channels]} with time above 1, or unknown). */
  public boolean isTemporal() {
    return shape.numDimensions() == 3 && shape.get(dataFormat == DataFormat.CHANNELS_FIRST ? 2 : 1) != 1;
  }

  @Override
  public String toString() {
    return index + ": " + name + " (" + opType + ") " + shape + (name.equals(op) ? "" : " <- " + op);
  }
}
