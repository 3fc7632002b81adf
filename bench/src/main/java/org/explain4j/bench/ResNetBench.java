package org.explain4j.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.explain4j.Explainer;
import org.explain4j.input.InputBatch;
import org.explain4j.Targets;
import org.explain4j.testkit.TestModels;

/**
 * ResNet-18 / ResNet-50 fixtures (224x224x3, random fixed weights, BatchNorm in inference):
 * throughput of predict and explain, the explain/predict ratio, peak memory, and memory drift.
 *
 * <p>Usage: {@code ResNetBench [interleaved pairs, 40] [leak explanations]}. Peak resident memory is read from
 * {@code /proc/self/status} (VmHWM) after resetting it through {@code /proc/self/clear_refs}.
 * Not a test.
 */
public final class ResNetBench {
  private ResNetBench() {}

  public static void main(String[] args) throws Exception {
    int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 40;
    int leak = args.length > 1 ? Integer.parseInt(args[1]) : 5000;
    Path tmp = Files.createTempDirectory("explain4j-resnet");
    System.out.printf(Locale.ROOT, "%d interleaved pairs per row; ratio: median of per-pair explain/predict with its 95%% bootstrap interval%n",
        iterations);
    System.out.printf(Locale.ROOT, "%-10s %-7s %6s %14s %14s %s%n", "model", "engine", "batch", "predict img/s", "explain img/s",
        "explain/predict");
    for (int depth : new int[] {18, 50}) {
      Path model = TestModels.resnet(tmp.resolve("resnet" + depth), depth);
      try (Explainer explainer = Explainer.builder().setModel(model).build()) {
        for (int batch : new int[] {1, 8, 32}) {
          InputBatch input = images(batch);
          for (int i = 0; i < 2; i++) {
            explainer.predict(input);
            explainer.explain(input, Targets.predicted());
          }
          Measure.Paired times = Measure.paired(() -> explainer.predict(input),
              () -> explainer.explain(input, Targets.predicted()), iterations);
          System.out.printf(Locale.ROOT, "%-10s %-7s %6d %14.1f %14.1f %s%n", "ResNet-" + depth, explainer.engine(), batch,
              1000 * batch / Measure.median(times.first()), 1000 * batch / Measure.median(times.second()), times.ratio());
        }
        if (depth == 50) {
          InputBatch input = images(32);
          Runnable predicting = () -> {
            for (int i = 0; i < 3; i++) {
              explainer.predict(input);
            }
          };
          Runnable explaining = () -> {
            for (int i = 0; i < 3; i++) {
              explainer.explain(input, Targets.predicted());
            }
          };
          // Both orders, the larger peak of each: what runs first may leave memory to the second.
          long predictPeak = Measure.peakDuring(predicting);
          long explainPeak = Measure.peakDuring(explaining);
          explainPeak = Math.max(explainPeak, Measure.peakDuring(explaining));
          predictPeak = Math.max(predictPeak, Measure.peakDuring(predicting));
          System.out.printf(Locale.ROOT, "ResNet-50 batch 32 peak RSS: predict %d MB, explain %d MB, ratio %.2f%n",
              predictPeak >> 20, explainPeak >> 20, (double) explainPeak / predictPeak);
        }
      }
    }
    if (leak > 0) {
      try (Explainer explainer = Explainer.builder().setModel(tmp.resolve("resnet18")).build()) {
        InputBatch one = images(1);
        long after500 = 0;
        for (int i = 1; i <= leak; i++) {
          explainer.explain(one, Targets.predicted());
          if (i == Math.min(500, leak)) {
            after500 = Measure.rssBytes();
          }
        }
        long end = Measure.rssBytes();
        System.out.printf(Locale.ROOT, "ResNet-18 batch 1: RSS after 500 explanations %d MB, after %d: %d MB (%+.1f%%)%n",
            after500 >> 20, leak, end >> 20, 100.0 * (end - after500) / after500);
      }
    }
  }

  private static InputBatch images(int batch) {
    return Measure.randomImages(batch, batch);
  }


}
