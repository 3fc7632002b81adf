package org.explain4j.internal.explain;

import org.explain4j.input.InputBatch;
import org.explain4j.model.DataFormat;
import org.explain4j.model.Layer;

/** Where a heat map is drawn: the input's spatial size, its token count for sequences, the units for dense layers. */
public final class HeatMapSize {
  private HeatMapSize() {}

  /**
   * {height, width} of the heat map; a token layer read as a grid of patches ({@code tokenGrid})
   * takes the image's size. A rank-4 input is read as channels-last unless its dimension 1
   * looks like channels (4 or fewer) and its last does not, whatever the layer's own format.
   */
  public static int[] of(InputBatch input, Layer layer, boolean tokenGrid) {
    long[] dims = input.shape().asArray();
    boolean layerFirst = layer.dataFormat() == DataFormat.CHANNELS_FIRST;
    long[] layerDims = layer.shape().asArray();
    if (layerDims.length == 2) {
      return new int[] {1, (int) layerDims[1]};
    }
    if (layerDims.length == 3 && !tokenGrid) {
      int t = (int) layerDims[layerFirst ? 2 : 1];
      return new int[] {1, dims.length >= 2 ? (int) dims[1] : t};
    }
    org.explain4j.input.ImageLayout image = org.explain4j.input.ImageLayout.orNull(input);
    if (image != null) {
      return new int[] {image.height(), image.width()};
    }
    return new int[] {(int) layerDims[layerFirst ? 2 : 1], (int) layerDims[layerFirst ? 3 : 2]};
  }

  /**
   * {height, width} of encoded images (a {@code DT_STRING} batch): the decoded size, which every
   * item of the batch must share (the map is one size per batch).
   */
  public static int[] ofEncoded(org.explain4j.input.InputBatch batch) {
    int[] size = null;
    java.util.List<byte[]> items = batch.encodedItems();
    for (int i = 0; i < items.size(); i++) {
      // The header gives the size: the model decodes the pixels itself.
      int[] here = org.explain4j.input.Images.size(items.get(i), "encoded item " + i);
      if (size != null && !java.util.Arrays.equals(size, here)) {
        throw new org.explain4j.exceptions.InvalidInputException("Encoded images of one batch must share a size for their maps: item 0 is "
            + size[1] + "x" + size[0] + ", item " + i + " is " + here[1] + "x" + here[0] + " (explain them in batches of one)");
      }
      size = here;
    }
    return size;
  }
}
