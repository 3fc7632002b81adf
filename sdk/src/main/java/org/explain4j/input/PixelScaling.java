package org.explain4j.input;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * How image pixels become model inputs where a user said so (the command line's {@code --scale},
 * {@code --mean}, {@code --std}; Spark's pixel Params): a null field keeps
 * {@link ImagePreprocessor#forModel}'s default. Serializable, so that a Spark job carries it to
 * its executors.
 *
 * @param scale multiplies 0..255 pixel values
 * @param mean per-channel mean subtracted after scaling
 * @param std per-channel standard deviation divided by after the mean
 */
public record PixelScaling(Float scale, float[] mean, float[] std) implements Serializable {
  /** Nothing given: the model's defaults. */
  public static final PixelScaling DEFAULT = new PixelScaling(null, null, null);

  public PixelScaling {
    mean = mean == null ? null : mean.clone();
    std = std == null ? null : std.clone();
  }

  @Override
  public float[] mean() {
    return mean == null ? null : mean.clone();
  }

  @Override
  public float[] std() {
    return std == null ? null : std.clone();
  }

  /** Whether any setting was given. */
  public boolean given() {
    return scale != null || mean != null || std != null;
  }

  /** {@code builder} with the settings given applied. */
  public ImagePreprocessor.Builder applyTo(ImagePreprocessor.Builder builder) {
    if (scale != null) {
      builder.optScale(scale);
    }
    if (mean != null) {
      builder.optMean(mean);
    }
    if (std != null) {
      builder.optStd(std);
    }
    return builder;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PixelScaling p && Objects.equals(scale, p.scale) && Arrays.equals(mean, p.mean) && Arrays.equals(std, p.std);
  }

  @Override
  public int hashCode() {
    return Objects.hash(scale, Arrays.hashCode(mean), Arrays.hashCode(std));
  }

  @Override
  public String toString() {
    return "PixelScaling[scale=" + scale + ", mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
  }
}
