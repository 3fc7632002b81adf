package org.explain4j.engine;

import org.tensorflow.ndarray.buffer.FloatDataBuffer;

/**
 * One batch of Grad-CAM work: a layer's activations and the target score's gradients for them.
 *
 * <p>Both buffers hold {@code batch * height * width * channels} floats laid out as
 * {@code [batch, height, width, channels]}, or {@code [batch, channels, height, width]} when
 * {@code channelsFirst}. Sequence layers use {@code height = 1}. The buffers may be views of
 * TensorFlow tensor memory: an engine must not keep them after {@link CamEngine#gradCam} returns.
 *
 * @param activationsAddress the native address of the activations, or 0 when they are not in
 *     native memory; engines with native code read there without a copy
 * @param gradientsAddress likewise for the gradients
 * @param sign {@code 1} for Grad-CAM, {@code -1} for the counterfactual (negated gradients)
 * @param relu whether negative map values are cut to zero before normalisation
 */
public record CamTask(
    FloatDataBuffer activations,
    FloatDataBuffer gradients,
    long activationsAddress,
    long gradientsAddress,
    int batch,
    int height,
    int width,
    int channels,
    boolean channelsFirst,
    float sign,
    boolean relu,
    int outHeight,
    int outWidth,
    Interpolation interpolation) {

  /** A task over buffers in Java memory (no native addresses). */
  public CamTask(FloatDataBuffer activations, FloatDataBuffer gradients, int batch, int height, int width, int channels,
      boolean channelsFirst, float sign, boolean relu, int outHeight, int outWidth, Interpolation interpolation) {
    this(activations, gradients, 0, 0, batch, height, width, channels, channelsFirst, sign, relu, outHeight, outWidth,
        interpolation);
  }

  public CamTask {
    if (batch <= 0 || height <= 0 || width <= 0 || channels <= 0 || outHeight <= 0 || outWidth <= 0) {
      throw new IllegalArgumentException("CAM task sizes must be positive: batch=" + batch + ", layer="
          + height + "x" + width + "x" + channels + ", out=" + outHeight + "x" + outWidth);
    }
    long expected = (long) batch * height * width * channels;
    if (activations.size() != expected || gradients.size() != expected) {
      throw new IllegalArgumentException("Expected " + expected + " activations and gradients, got "
          + activations.size() + " and " + gradients.size());
    }
  }

  /** Cells in one item's layer map. */
  public int mapSize() {
    return height * width;
  }

  /** Cells in one item's upsampled heat map. */
  public int outSize() {
    return outHeight * outWidth;
  }
}
