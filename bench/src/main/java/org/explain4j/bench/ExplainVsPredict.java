package org.explain4j.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.explain4j.Explainer;
import org.explain4j.input.InputBatch;
import org.explain4j.Targets;
import org.explain4j.testkit.TestModels;

/**
 * Prints the median time of {@code explain} over the median time of a plain prediction, measured
 * side by side (interleaved) in one run, for the fixture CNNs at several batch sizes.
 *
 * <p>Usage: {@code ExplainVsPredict [iterations] [engine]} (engine: auto, java, native...). Not a
 * test: numbers depend on the machine.
 */
public final class ExplainVsPredict {
  private static String engine;

  private ExplainVsPredict() {}

  public static void main(String[] args) throws Exception {
    int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    engine = args.length > 1 ? args[1] : "auto";
    Path tmp = Files.createTempDirectory("explain4j-bench");
    System.out.printf(Locale.ROOT, "%-28s %-7s %6s %14s %14s %s%n", "model", "engine", "batch", "predict ms", "explain ms",
        "explain/predict, median of pairs [95% bootstrap interval]");
    run("fixture CNN 16x16x3, 8 ch", TestModels.cnn(tmp.resolve("small"), true), 16, iterations);
    run("CNN 64x64x3, 32 ch", TestModels.cnn(tmp.resolve("medium"), true, 64, 32), 64, iterations / 4);
  }

  private static void run(String name, Path model, int size, int iterations) {
    try (Explainer explainer = Explainer.builder().setModel(model).optEngine(engine).build()) {
      for (int batch : new int[] {1, 32}) {
        InputBatch input = InputBatch.ofFloats(TestModels.random(new java.util.Random(batch), batch * size * size * 3, 1.0),
            batch, size, size, 3);
        // Warm up for a few seconds so that the JIT has compiled the CAM loops before timing.
        long warmUntil = System.nanoTime() + 3_000_000_000L;
        while (System.nanoTime() < warmUntil) {
          explainer.predict(input);
          explainer.explain(input, Targets.predicted());
        }
        Measure.Paired times = Measure.paired(() -> explainer.predict(input),
            () -> explainer.explain(input, Targets.predicted()), iterations);
        System.out.printf(Locale.ROOT, "%-28s %-7s %6d %14.3f %14.3f %s%n", name, explainer.engine(), batch,
            Measure.median(times.first()), Measure.median(times.second()), times.ratio());
      }
    }
  }
}
