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

  /**
   * Runs {@code first} and {@code second} alternately {@code n} times and returns their median
   * times in milliseconds: side by side, so that machine drift hits both alike.
   */
  static double[] interleaved(Runnable first, Runnable second, int n) {
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
    return new double[] {median(a), median(b)};
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
