package org.explain4j.spark;

import java.io.Serializable;
import java.util.Arrays;
import org.explain4j.input.ImagePreprocessor;
import org.explain4j.model.ModelDescription;

/**
 * How image pixels become model inputs where the model's signature does not say (as the CLI's
 * {@code --scale}, {@code --mean}, {@code --std}): a null field keeps
 * {@link ImagePreprocessor#forModel}'s default (0..255 scaled to [0, 1], or raw for uint8 inputs).
 *
 * @param scale multiplies 0..255 pixel values
 * @param mean per-channel mean subtracted after scaling
 * @param std per-channel standard deviation divided by after the mean
 */
public record Pixels(Float scale, float[] mean, float[] std) implements Serializable {
  /** The model's defaults. */
  public static final Pixels DEFAULT = new Pixels(null, null, null);

  public Pixels {
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

  /** The preprocessor for {@code model} with these settings applied. */
  ImagePreprocessor preprocessor(ModelDescription model) {
    ImagePreprocessor.Builder b = ImagePreprocessor.forModel(model);
    if (scale != null) {
      b.optScale(scale);
    }
    if (mean != null) {
      b.optMean(mean);
    }
    if (std != null) {
      b.optStd(std);
    }
    return b.build();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Pixels p && java.util.Objects.equals(scale, p.scale) && Arrays.equals(mean, p.mean) && Arrays.equals(std, p.std);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(scale, Arrays.hashCode(mean), Arrays.hashCode(std));
  }

  @Override
  public String toString() {
    return "Pixels[scale=" + scale + ", mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
  }
}
