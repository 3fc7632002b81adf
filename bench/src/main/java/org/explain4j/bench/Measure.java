package org.explain4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Timing and memory readings shared by the harnesses. */
final class Measure {
  private Measure() {}

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  /** The times in milliseconds of {@code n} alternating runs of {@code first} and {@code second}. */
  static Paired paired(Runnable first, Runnable second, int n) {
    double[] a = new double[n];
    double[] b = new double[n];
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      first.run();
      long t1 = System.nanoTime();
      second.run();
      long t2 = System.nanoTime();
      a[i] = (t1 - t0) / 1e6;
      b[i] = (t2 - t1) / 1e6;
    }
    return new Paired(a, b);
  }

  /** Times of paired runs, in milliseconds. */
  record Paired(double[] first, double[] second) {

    /**
     * The median of the per-pair ratios second / first, with a 95% percentile-bootstrap interval
     * (2,000 resamples of the pairs, seeded): a ratio is reported with its spread, never alone.
     */
    Interval ratio() {
      int n = first.length;
      double[] ratios = new double[n];
      for (int i = 0; i < n; i++) {
        ratios[i] = second[i] / first[i];
      }
      java.util.Random rng = new java.util.Random(42);
      double[] boot = new double[2000];
      double[] sample = new double[n];
      for (int r = 0; r < boot.length; r++) {
        for (int i = 0; i < n; i++) {
          sample[i] = ratios[rng.nextInt(n)];
        }
        boot[r] = median(sample);
      }
      Arrays.sort(boot);
      return new Interval(median(ratios), boot[(int) (0.025 * boot.length)], boot[(int) (0.975 * boot.length) - 1]);
    }
  }

  /** A median and its 95% interval. */
  record Interval(double median, double low, double high) {
    @Override
    public String toString() {
      return String.format(java.util.Locale.ROOT, "%.2f [%.2f, %.2f]", median, low, high);
    }
  }

  /**
   * The native address of a tensor's data, as the SDK reads it for the native engines, so that a
   * harness hands an engine what {@code explain} hands it: tensor memory, not a Java array to copy.
   */
  static long address(org.tensorflow.types.TFloat32 tensor) throws ReflectiveOperationException {
    java.lang.reflect.Method m = org.tensorflow.RawTensor.class.getDeclaredMethod("nativeHandle");
    m.setAccessible(true);
    return org.tensorflow.internal.c_api.global.tensorflow.TF_TensorData(
        (org.tensorflow.internal.c_api.TF_Tensor) m.invoke(tensor.asRawTensor())).address();
  }

  /** A batch of random 224x224x3 images in [0, 1), seeded. */
  static org.explain4j.input.InputBatch randomImages(int batch, long seed) {
    float[] values = new float[batch * 224 * 224 * 3];
    java.util.Random rng = new java.util.Random(seed);
    for (int i = 0; i < values.length; i++) {
      values[i] = rng.nextFloat();
    }
    return org.explain4j.input.InputBatch.ofFloats(values, batch, 224, 224, 3);
  }

  /** Resident memory of this process, in bytes. */
  static long rssBytes() throws IOException {
    return statusKb("VmRSS") << 10;
  }

  /** The peak resident memory while {@code work} runs, after resetting the peak. */
  static long peakDuring(Runnable work) throws IOException {
    System.gc();
    Files.writeString(Path.of("/proc/self/clear_refs"), "5");
    work.run();
    return statusKb("VmHWM") << 10;
  }

  private static long statusKb(String key) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith(key + ":")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IOException(key + " not in /proc/self/status");
  }
}
