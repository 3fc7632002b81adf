package org.explain4j.method;

import java.util.EnumSet;
import java.util.SplittableRandom;
import java.util.Set;
import org.explain4j.model.LayerKind;

/**
 * Random-CAM, a baseline (pytorch-grad-cam's {@code RandomCAM}): channel weights drawn uniformly
 * from [-1, 1] for each item, map = sum over channels of weight x activation. A method that scores
 * no better than this one on a metric, or whose maps survive the model's randomisation as well,
 * explains nothing. The weights come from a fixed seed, so that a run can be repeated; they ignore
 * the target and the gradient.
 */
public class RandomCam implements AttributionMethod {
  /** The seed of the weights: each item's are drawn from a generator split off this one. */
  static final long SEED = 0x5eedcafeL;

  @Override
  public String name() {
    return "random-cam";
  }

  @Override
  public Set<Need> needs() {
    return EnumSet.of(Need.ACTIVATIONS);
  }

  @Override
  public boolean supports(LayerKind kind) {
    return kind == LayerKind.SPATIAL || kind == LayerKind.TEMPORAL;
  }

  /** Random weights have no direction to reverse. */
  @Override
  public boolean hasCounterfactual() {
    return false;
  }

  @Override
  public MethodMaps compute(MethodInput input) {
    LayerValues v = new LayerValues(input, false);
    int cells = v.cells();
    int channels = v.channels();
    float[] raw = new float[input.layout().batch() * cells];
    SplittableRandom seeds = new SplittableRandom(SEED);
    for (int item = 0; item < input.layout().batch(); item++) {
      double[] weights = weights(seeds.split(), channels);
      for (int cell = 0; cell < cells; cell++) {
        double sum = 0;
        for (int c = 0; c < channels; c++) {
          sum += weights[c] * v.a(item, cell, c);
        }
        raw[item * cells + cell] = (float) sum;
      }
    }
    return LayerValues.finish(input, raw);
  }

  static double[] weights(SplittableRandom rng, int channels) {
    double[] w = new double[channels];
    for (int c = 0; c < channels; c++) {
      w[c] = rng.nextDouble(-1, 1);
    }
    return w;
  }
}
