package org.explain4j.method;

/**
 * How the perturbation methods (Score-CAM, Ablation-CAM) spend their extra forward runs.
 *
 * @param maxChannels 0 for every channel; else only each item's {@code maxChannels} channels with
 *     the largest activation take part (Faster-ScoreCAM's top-k; Ablation-CAM's channel subset, the
 *     other channels weighing 0)
 * @param inputsPerRun 0 for one channel per run over the whole batch; else Score-CAM's masked
 *     inputs and Ablation-CAM's ablated layer values of several channels share runs of about this
 *     many items (never fewer than the batch), trading memory for fewer, larger runs
 */
public record Perturbation(int maxChannels, int inputsPerRun) {
  /** Every channel, one run per channel. */
  public static final Perturbation ALL = new Perturbation(0, 0);

  public Perturbation {
    if (maxChannels < 0 || inputsPerRun < 0) {
      throw new IllegalArgumentException("maxChannels and inputsPerRun must be 0 (none) or more, got " + maxChannels + " and "
          + inputsPerRun);
    }
  }

  /** Each item's channels taking part, most activated first (all of them, in order, when {@code maxChannels} is 0). */
  int[][] channels(LayerValues v, int batch) {
    int channels = v.channels();
    int k = maxChannels == 0 ? channels : Math.min(maxChannels, channels);
    int[][] out = new int[batch][];
    for (int item = 0; item < batch; item++) {
      if (k == channels) {
        out[item] = java.util.stream.IntStream.range(0, channels).toArray();
        continue;
      }
      double[] peak = new double[channels];
      java.util.Arrays.fill(peak, Double.NEGATIVE_INFINITY);
      for (int cell = 0; cell < v.cells(); cell++) {
        for (int c = 0; c < channels; c++) {
          peak[c] = Math.max(peak[c], v.a(item, cell, c));
        }
      }
      out[item] = java.util.stream.IntStream.range(0, channels).boxed()
          .sorted(java.util.Comparator.<Integer>comparingDouble(c -> -peak[c]).thenComparingInt(c -> c))
          .limit(k).mapToInt(Integer::intValue).toArray();
    }
    return out;
  }
}
