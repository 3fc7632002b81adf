package org.explain4j.examples;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import org.explain4j.Explain4j;
import org.explain4j.Explainer;
import org.explain4j.Rendering;
import org.explain4j.ShowOptions;
import org.explain4j.Explanation;
import org.explain4j.InputBatch;
import org.explain4j.TargetExplanation;
import org.explain4j.Targets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code explain4j demo}: explains the embedded default model on generated images. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Explain the embedded bright-patch model on generated images and check where its maps point.")
final class DemoCommand implements Callable<Integer> {
  @Option(names = "--out", description = "Output directory (default: ${DEFAULT-VALUE}).", defaultValue = "explain4j-out")
  Path out;

  @Option(names = "--samples", description = "Images scored for the pointing game (default: ${DEFAULT-VALUE}).", defaultValue = "200")
  int samples;

  @Option(names = "--seed", description = "Seed of the generated images (default: ${DEFAULT-VALUE}).", defaultValue = "2026")
  long seed;

  @Option(names = "--engine", description = "CAM engine: auto, java, or an installed engine (default: ${DEFAULT-VALUE}).", defaultValue = "auto")
  String engine;

  @Override
  public Integer call() throws Exception {
    Files.createDirectories(out);
    Path model = BrightPatchModel.ensure(out.resolve("models").resolve("bright-patch-" + BrightPatchModel.VERSION));
    StringWriter report = new StringWriter();
    PrintWriter w = new PrintWriter(report);
    try (Explainer explainer = Explainer.builder().setModel(model).optLabels(BrightPatchModel.LABELS).optEngine(engine).build()) {
      w.printf(Locale.ROOT, "model: %s (built from Java on first use)%n", model);
      w.printf(Locale.ROOT, "layer: %s %s, engine: %s%n%n", explainer.layer().name(), explainer.layer().shape(), explainer.engine());
      Random rng = new Random(seed);
      for (int i = 0; i < 4; i++) {
        BrightPatchModel.Sample s = BrightPatchModel.sample(rng, i < 3);
        TargetExplanation t = explain(explainer, s).first(0);
        if (i == 0) {
          long sinceStart = System.currentTimeMillis() - java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
          System.err.printf(Locale.ROOT, "explain4j: first explanation %d ms after the JVM started%n", sinceStart);
        }
        int peak = t.heatMap().argMax();
        w.printf(Locale.ROOT, "image %d: %s; predicted '%s' (p=%.3f); heat-map peak at (%d, %d)%s%n", i,
            s.withPatch() ? "patch at (" + s.top() + ", " + s.left() + ")" : "no patch",
            t.label().orElse(String.valueOf(t.target())), t.probability().orElse(Double.NaN),
            peak / t.heatMap().width(), peak % t.heatMap().width(),
            s.withPatch() ? (s.inPatch(peak / t.heatMap().width(), peak % t.heatMap().width()) ? ", inside the patch" : ", OUTSIDE the patch") : "");
        w.print(t.allZero() ? "  (all-zero map: nothing in the image raises this class)\n" : AsciiHeatMap.render(t.heatMap(), 2).indent(2));
        w.println();
      }
      // The same kind of images as pictures: overlays in a captioned grid, and the raw JSON.
      java.util.List<float[]> pixels = new java.util.ArrayList<>();
      for (int i = 0; i < 6; i++) {
        pixels.add(BrightPatchModel.sample(rng, i % 3 != 2).pixels());
      }
      float[] flat = new float[6 * BrightPatchModel.SIZE * BrightPatchModel.SIZE];
      for (int i = 0; i < 6; i++) {
        System.arraycopy(pixels.get(i), 0, flat, i * pixels.get(i).length, pixels.get(i).length);
      }
      InputBatch six = InputBatch.ofFloats(flat, 6, BrightPatchModel.SIZE, BrightPatchModel.SIZE, 1);
      org.explain4j.format.image.ImageStyle style = org.explain4j.format.image.ImageStyle.builder()
          .optColormap(org.explain4j.format.image.Colormap.JET).optAlphaLimit(0.6f).build();
      Path png = out.resolve("overlays.png");
      Explain4j.show(explainer, six, ShowOptions.builder().optImageStyle(style).build()).writeTo(png);
      Path json = out.resolve("explanations.json");
      Explain4j.show(explainer, six, ShowOptions.builder().optFormat(Rendering.Format.JSON).optModelName("bright-patch").build()).writeTo(json);
      w.printf(Locale.ROOT, "wrote %s (heat-map overlays of 6 images) and %s (the maps as JSON)%n%n", png, json);
      int hits = 0;
      int correct = 0;
      for (int i = 0; i < samples; i++) {
        BrightPatchModel.Sample s = BrightPatchModel.sample(rng, true);
        TargetExplanation t = explain(explainer, s).first(0);
        if (t.target() == 0) {
          correct++;
          int peak = t.heatMap().argMax();
          if (s.inPatch(peak / t.heatMap().width(), peak % t.heatMap().width())) {
            hits++;
          }
        }
      }
      w.printf(Locale.ROOT, "pointing game: %d of %d correctly classified images (%.1f%%) have their heat-map peak inside the patch%n",
          hits, correct, correct == 0 ? 0 : 100.0 * hits / correct);
    }
    w.flush();
    Path file = out.resolve("demo.txt");
    Files.writeString(file, report.toString(), StandardCharsets.UTF_8);
    System.out.print(report);
    System.out.println("wrote " + file);
    return 0;
  }

  private static Explanation explain(Explainer explainer, BrightPatchModel.Sample s) {
    return explainer.explain(InputBatch.ofFloats(s.pixels(), 1, BrightPatchModel.SIZE, BrightPatchModel.SIZE, 1), Targets.predicted());
  }
}
