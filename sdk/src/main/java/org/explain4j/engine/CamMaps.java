package org.explain4j.engine;

/**
 * The result of a {@link CamTask}: per item, the map at the layer's resolution (after the ReLU,
 * before normalisation) and the normalised heat map at the output size.
 *
 * <p>{@code layerMaps} holds {@code batch * height * width} values, {@code heatMaps}
 * {@code batch * outHeight * outWidth} values in {@code [0, 1]} (with ReLU) or {@code [-1, 1]}
 * (without), and {@code allZero[i]} is true where item {@code i}'s map had nothing to normalise.
 */
public record CamMaps(float[] layerMaps, float[] heatMaps, boolean[] allZero) {}
