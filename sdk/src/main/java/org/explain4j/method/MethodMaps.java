package org.explain4j.method;

/**
 * What a method made of one batch: per item, the map at the layer's resolution (after the ReLU,
 * before normalisation) and the normalised heat map at the output size, with the engine that
 * computed them.
 *
 * @param layerMaps {@code batch * mapHeight * mapWidth} values, item after item
 * @param heatMaps {@code batch * outHeight * outWidth} values in [0, 1] (with ReLU) or [-1, 1]
 * @param allZero per item, true where the map had nothing to normalise (it is all zeros)
 * @param engine the name of the engine that computed the maps
 */
public record MethodMaps(
    int mapHeight, int mapWidth, float[] layerMaps, int outHeight, int outWidth, float[] heatMaps, boolean[] allZero,
    String engine) {

  public MethodMaps {
    int batch = allZero.length;
    if (layerMaps.length != batch * mapHeight * mapWidth || heatMaps.length != batch * outHeight * outWidth) {
      throw new IllegalArgumentException("Maps for " + batch + " items of " + mapHeight + "x" + mapWidth + " -> "
          + outHeight + "x" + outWidth + " need " + batch * mapHeight * mapWidth + " and " + batch * outHeight * outWidth
          + " values, got " + layerMaps.length + " and " + heatMaps.length);
    }
  }

  /** Item {@code item}'s map at the layer's resolution. */
  public float[] layerMap(int item) {
    int n = mapHeight * mapWidth;
    return java.util.Arrays.copyOfRange(layerMaps, item * n, (item + 1) * n);
  }

  /** Item {@code item}'s normalised heat map at the output size. */
  public float[] heatMap(int item) {
    int n = outHeight * outWidth;
    return java.util.Arrays.copyOfRange(heatMaps, item * n, (item + 1) * n);
  }
}
