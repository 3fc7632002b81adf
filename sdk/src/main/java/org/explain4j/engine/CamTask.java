package org.explain4j.engine;

import org.explain4j.cam.Interpolation;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.ndarray.buffer.FloatDataBuffer;

/**
 * One batch of Grad-CAM work, in three named parts: the {@link Layout} of the layer's values, the
 * {@link Buffers} that hold them, and the {@link Options} of the map.
 *
 * <p>The buffers may be views of TensorFlow tensor memory: an engine must not keep them after
 * {@link CamEngine#gradCam} returns.
 */
public record CamTask(Layout layout, Buffers buffers, Options options) {

  /**
   * Where the values sit: {@code batch * height * width * channels} floats laid out as
   * {@code [batch, height, width, channels]}, or {@code [batch, channels, height, width]} when
   * {@code channelsFirst}. Sequence layers use {@code height = 1}.
   */
  public record Layout(int batch, int height, int width, int channels, boolean channelsFirst) {
    public Layout {
      if (batch <= 0 || height <= 0 || width <= 0 || channels <= 0) {
        throw new IllegalArgumentException("CAM layout sizes must be positive: batch=" + batch + ", layer="
            + height + "x" + width + "x" + channels);
      }
    }

    /** Cells in one item's map. */
    public int cells() {
      return height * width;
    }

    /** Values in one item. */
    public int itemSize() {
      return height * width * channels;
    }

    /** Values in the whole batch. */
    public long size() {
      return (long) batch * itemSize();
    }
  }

  /**
   * The activations and the target score's gradients for them. <b>Read them only during
   * {@link CamEngine#compute}</b>: the explainer's buffers are views of a session run's tensors,
   * and once compute returns every read throws an {@link IllegalStateException} (copy what you keep).
   * The native engines read tensor memory in place through the jni module, without a copy.
   */
  public record Buffers(FloatDataBuffer activations, FloatDataBuffer gradients) {

    /** Buffers over {@code activations} and {@code gradients}. */
    public static Buffers of(FloatDataBuffer activations, FloatDataBuffer gradients) {
      return new Buffers(activations, gradients);
    }

    /** Buffers over Java arrays (not copied). */
    public static Buffers of(float[] activations, float[] gradients) {
      return of(DataBuffers.of(activations, true, false), DataBuffers.of(gradients, true, false));
    }
  }

  /**
   * How the map is made: {@code sign} 1 for Grad-CAM and -1 for the counterfactual (negated
   * gradients), {@code relu} cuts negative values before normalisation, and the normalised map is
   * resampled to {@code outHeight x outWidth} with {@code interpolation}.
   */
  public record Options(float sign, boolean relu, int outHeight, int outWidth, Interpolation interpolation) {
    public Options {
      if (outHeight <= 0 || outWidth <= 0) {
        throw new IllegalArgumentException("The output size must be positive, got " + outHeight + "x" + outWidth);
      }
      if (sign != 1f && sign != -1f) {
        throw new IllegalArgumentException("The sign must be 1 or -1, got " + sign);
      }
    }

    /** Cells in one item's upsampled heat map. */
    public int outSize() {
      return outHeight * outWidth;
    }
  }

  public CamTask {
    long expected = layout.size();
    if (buffers.activations().size() != expected || buffers.gradients().size() != expected) {
      throw new IllegalArgumentException("Expected " + expected + " activations and gradients for " + layout + ", got "
          + buffers.activations().size() + " and " + buffers.gradients().size());
    }
  }
}
