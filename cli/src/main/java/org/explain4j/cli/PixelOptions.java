package org.explain4j.cli;

import org.explain4j.input.ImagePreprocessor;
import org.explain4j.input.PixelScaling;
import picocli.CommandLine.Option;

/** How image pixels become model inputs, where the model's signature does not say: one set for explain and serve. */
final class PixelOptions {
  @Option(names = "--scale", description = "Multiplies 0..255 pixel values (default: 1/255, or 1 for a uint8 input).")
  Float scale;

  @Option(names = "--mean", split = ",", description = "Per-channel mean subtracted after scaling.")
  float[] mean;

  @Option(names = "--std", split = ",", description = "Per-channel standard deviation divided by after the mean.")
  float[] std;

  /** The options as given (null where not). */
  PixelScaling scaling() {
    return new PixelScaling(scale, mean, std);
  }

  /** Whether any was given. */
  boolean given() {
    return scaling().given();
  }

  /** The builder with the options given applied. */
  ImagePreprocessor.Builder apply(ImagePreprocessor.Builder b) {
    return scaling().applyTo(b);
  }
}
