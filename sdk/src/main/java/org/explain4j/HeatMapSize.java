package org.explain4j;

import org.explain4j.model.DataFormat;
import org.explain4j.model.Layer;
import org.tensorflow.ndarray.Shape;

/** Where a heat map is drawn: the input's spatial size, its token count for sequences, the units for dense layers. */
final class HeatMapSize {
  private HeatMapSize() {}

  /**
   * {height, width} of the heat map; a token layer read as a grid of patches ({@code tokenGrid})
   * takes the image's size. A rank-4 input is read as channels-last unless its dimension 1
   * looks like channels (4 or fewer) and its last does not, whatever the layer's own format.
   */
  static int[] of(Shape input, Layer layer, boolean tokenGrid) {
    long[] dims = input.asArray();
    boolean layerFirst = layer.dataFormat() == DataFormat.CHANNELS_FIRST;
    long[] layerDims = layer.shape().asArray();
    if (layerDims.length == 2) {
      return new int[] {1, (int) layerDims[1]};
    }
    if (layerDims.length == 3 && !tokenGrid) {
      int t = (int) layerDims[layerFirst ? 2 : 1];
      return new int[] {1, dims.length >= 2 ? (int) dims[1] : t};
    }
    if (dims.length == 4) {
      boolean inputFirst = dims[1] <= 4 && dims[3] > 4;
      return inputFirst ? new int[] {(int) dims[2], (int) dims[3]} : new int[] {(int) dims[1], (int) dims[2]};
    }
    if (dims.length == 3) {
      return new int[] {(int) dims[1], (int) dims[2]};
    }
    return new int[] {(int) layerDims[layerFirst ? 2 : 1], (int) layerDims[layerFirst ? 3 : 2]};
  }
}
