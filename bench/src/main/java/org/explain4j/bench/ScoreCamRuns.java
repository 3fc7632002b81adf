package org.explain4j.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.explain4j.Explainer;
import org.explain4j.Targets;
import org.explain4j.input.InputBatch;
import org.explain4j.testkit.TestModels;

/**
 * Score-CAM's masked runs: Faster-ScoreCAM's top-k channels and masked inputs gathered into larger
 * runs, on the ResNet-18 fixture's last block (512 channels). Prints forward passes per image, the
 * run size, the median time of an explanation and masked images per second.
 *
 * <p>Usage: {@code ScoreCamRuns [batch, 8] [repeats, 3]}. Not a test.
 */
public final class ScoreCamRuns {
  private ScoreCamRuns() {}

  public static void main(String[] args) throws Exception {
    int batch = args.length > 0 ? Integer.parseInt(args[0]) : 8;
    int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Path model = TestModels.resnet(Files.createTempDirectory("explain4j-scorecam").resolve("resnet"), 18);
    InputBatch input = Measure.randomImages(batch, 5);
    System.out.printf(Locale.ROOT, "ResNet-18 fixture, layer4 (7x7x512), batch %d, median of %d explanations%n", batch, repeats);
    System.out.printf(Locale.ROOT, "%-9s %-16s %-22s %12s %18s%n", "channels", "inputs per run", "forward passes/image",
        "explain ms", "masked images/s");
    int[][] rows = {{32, 0}, {32, 64}, {32, 256}, {128, 256}};
    for (int[] row : rows) {
      try (Explainer explainer = Explainer.builder().setModel(model).optMethod("score-cam").optPerturbation(row[0], row[1]).build()) {
        explainer.explain(input, Targets.predicted());
        double[] ms = new double[repeats];
        for (int r = 0; r < repeats; r++) {
          long t0 = System.nanoTime();
          explainer.explain(input, Targets.predicted());
          ms[r] = (System.nanoTime() - t0) / 1e6;
        }
        double median = Measure.median(ms);
        int perRun = Math.max(1, row[1] / batch) * batch;
        System.out.printf(Locale.ROOT, "%-9d %-16s %-22s %12.1f %18.1f%n", row[0], row[1] == 0 ? batch + " (1 channel)" : perRun
            + " (" + perRun / batch + " channels)", row[0] + " (+1 plain)", median, row[0] * batch / (median / 1000));
      }
    }
  }
}
