package org.explain4j.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import org.explain4j.Explainer;
import org.explain4j.input.InputBatch;
import org.explain4j.Targets;
import org.explain4j.testkit.TestModels;

/**
 * Resident memory over many explanations, to catch native leaks: RSS after each block of
 * explanations, with the Java heap fixed in size (run with {@code -Xms -Xmx} equal and
 * {@code -XX:+AlwaysPreTouch}) so that heap growth does not pass for a leak.
 *
 * <p>Usage: {@code JAVA_OPTS="-Xms1g -Xmx1g -XX:+AlwaysPreTouch" MemoryDrift [model: resnet18|cnn] [total] [block]}.
 * Not a test.
 */
public final class MemoryDrift {
  private MemoryDrift() {}

  public static void main(String[] args) throws Exception {
    if (!heapIsFixed()) {
      System.err.println("MemoryDrift needs a fixed heap, or heap growth passes for a leak: run it with -Xms equal to -Xmx"
          + " and -XX:+AlwaysPreTouch (scripts/bench.sh MemoryDrift sets -Xms1g -Xmx1g -XX:+AlwaysPreTouch)");
      System.exit(2);
    }
    String which = args.length > 0 ? args[0] : "resnet18";
    int total = args.length > 1 ? Integer.parseInt(args[1]) : 5000;
    int block = args.length > 2 ? Integer.parseInt(args[2]) : 500;
    Path tmp = Files.createTempDirectory("explain4j-drift");
    Path model = which.equals("cnn") ? TestModels.cnn(tmp.resolve("cnn"), true) : TestModels.resnet(tmp.resolve("r18"), 18);
    int size = which.equals("cnn") ? 16 : 224;
    float[] values = new float[size * size * 3];
    Random rng = new Random(1);
    for (int i = 0; i < values.length; i++) {
      values[i] = rng.nextFloat();
    }
    InputBatch one = InputBatch.ofFloats(values, 1, size, size, 3);
    try (Explainer explainer = Explainer.builder().setModel(model).build()) {
      long first = 0;
      for (int i = 1; i <= total; i++) {
        explainer.explain(one, Targets.predicted());
        if (i % block == 0) {
          long rss = Measure.rssBytes();
          if (first == 0) {
            first = rss;
          }
          System.out.printf(Locale.ROOT, "%s: after %5d explanations RSS %d MB (%+.1f%% from the first %d)%n", which, i,
              rss >> 20, 100.0 * (rss - first) / first, block);
        }
      }
    }
  }

  /** Whether the JVM was started with equal -Xms and -Xmx and pre-touched heap pages. */
  private static boolean heapIsFixed() {
    java.util.List<String> flags = java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments();
    String xms = flags.stream().filter(f -> f.startsWith("-Xms")).reduce((a, b) -> b).orElse("");
    String xmx = flags.stream().filter(f -> f.startsWith("-Xmx")).reduce((a, b) -> b).orElse("");
    return !xms.isEmpty() && xms.substring(4).equals(xmx.substring(4)) && flags.contains("-XX:+AlwaysPreTouch");
  }
}
