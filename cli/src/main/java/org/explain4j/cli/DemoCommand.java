package org.explain4j.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import org.explain4j.render.Renderers;
import org.explain4j.Explainer;
import org.explain4j.Explanation;
import org.explain4j.input.InputBatch;
import org.explain4j.render.Rendering;
import org.explain4j.render.ShowOptions;
import org.explain4j.TargetExplanation;
import org.explain4j.cam.Interpolation;
import org.explain4j.quality.QualityMeasures;
import org.explain4j.demo.DemoModels;
import org.explain4j.demo.SentimentData;
import org.explain4j.demo.ShapesData;
import org.explain4j.render.image.Colormap;
import org.explain4j.render.image.ImageStyle;
import org.explain4j.render.text.AnsiHighlighter;
import org.explain4j.render.text.Padding;
import org.explain4j.render.text.TokenWeights;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code explain4j demo}: the embedded default. Trains the demo models from Java on first use
 * (cached under the output directory), explains generated images and sentences, writes overlay
 * PNGs, an HTML page and JSON, and prints the pointing-game figures.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Explain the demo shapes and sentiment models (trained from Java on first use, then cached) on generated data.")
final class DemoCommand implements Callable<Integer> {
  @Option(names = "--out", description = "Output directory (default: ${DEFAULT-VALUE}).", defaultValue = "explain4j-out")
  Path out;

  @Option(names = "--samples", description = "Held-back items scored for the pointing games (default: ${DEFAULT-VALUE}).", defaultValue = "200")
  int samples;

  @Option(names = "--engine", description = "CAM engine: auto, java, native, cuda (default: ${DEFAULT-VALUE}).", defaultValue = "auto")
  String engine;

  @Override
  public Integer call() throws Exception {
    Files.createDirectories(out);
    Path models = out.resolve("models");
    Path shapesDir = models.resolve("shapes-" + DemoModels.VERSION);
    Path textDir = models.resolve("sentiment-" + DemoModels.VERSION);
    if (!Files.isRegularFile(shapesDir.resolve("saved_model.pb"))) {
      System.err.println("explain4j: training the demo shapes model from Java (once, about a minute)...");
    }
    DemoModels.shapes(shapesDir);
    DemoModels.sentiment(textDir);
    StringWriter report = new StringWriter();
    PrintWriter w = new PrintWriter(report);
    List<Path> written = new ArrayList<>();
    Random rng = new Random(DemoModels.SEED + 42);
    try (Explainer shapes = Explainer.builder().setModel(shapesDir).optLabels(ShapesData.LABELS).optEngine(engine).build();
        Explainer text = Explainer.builder().setModel(textDir).optLabels(SentimentData.LABELS).optEngine(engine).build()) {
      w.printf(Locale.ROOT, "shapes model: %s, layer %s %s, engine %s%n", shapesDir, shapes.layer().name(), shapes.layer().shape(), shapes.engine());
      List<ShapesData.Sample> images = new ArrayList<>();
      float[] pixels = new float[8 * ShapesData.SIZE * ShapesData.SIZE * 3];
      for (int i = 0; i < 8; i++) {
        ShapesData.Sample s = ShapesData.sample(rng);
        images.add(s);
        System.arraycopy(s.pixels(), 0, pixels, i * s.pixels().length, s.pixels().length);
      }
      InputBatch batch = InputBatch.ofFloats(pixels, 8, ShapesData.SIZE, ShapesData.SIZE, 3);
      Explanation e = shapes.explain(batch);
      long sinceStart = System.currentTimeMillis() - java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
      System.err.printf(Locale.ROOT, "explain4j: first explanation %d ms after the JVM started%n", sinceStart);
      for (int i = 0; i < 8; i++) {
        TargetExplanation t = e.first(i);
        int peak = t.heatMap().argMax();
        boolean inside = images.get(i).inBox(peak / ShapesData.SIZE, peak % ShapesData.SIZE, QualityMeasures.POINTING_TOLERANCE);
        w.printf(Locale.ROOT, "  image %d: a %s; predicted %s (p=%.3f); heat-map peak at (%d, %d) %s the object's box%n", i,
            ShapesData.LABELS.get(images.get(i).label()), t.label().orElseThrow(), t.probability().getAsDouble(),
            peak / ShapesData.SIZE, peak % ShapesData.SIZE, inside ? "inside" : "OUTSIDE");
      }
      ImageStyle style = ImageStyle.builder().optColormap(Colormap.JET).optAlphaLimit(0.6f).optColorBar(false).build();
      written.add(write(Renderers.show(shapes, batch, ShowOptions.builder().optImageStyle(style).build()), out.resolve("shapes.png")));
      written.add(write(Renderers.show(shapes, batch, ShowOptions.builder().optFormat(Rendering.Format.JSON).optModelName("shapes-" + DemoModels.VERSION).build()),
          out.resolve("shapes.json")));
      // The same eight images as an array, for `explain4j evaluate --input` (the README shows the command).
      Path inputs = out.resolve("shapes-inputs.npy");
      org.explain4j.input.NpyWriter.write(inputs, pixels, 8, ShapesData.SIZE, ShapesData.SIZE, 3);
      written.add(inputs);
      // Their objects' boxes, for `evaluate --boxes` (the pointing game): the generator knows them.
      StringBuilder boxes = new StringBuilder("item,class,x0,y0,x1,y1\n");
      for (int i = 0; i < 8; i++) {
        ShapesData.Sample s = images.get(i);
        boxes.append(String.format(Locale.ROOT, "%d,%d,%d,%d,%d,%d%n", i, s.label(), s.left(), s.top(), s.right() + 1, s.bottom() + 1));
      }
      written.add(Files.writeString(out.resolve("shapes-boxes.csv"), boxes, StandardCharsets.UTF_8));

      w.printf(Locale.ROOT, "%nsentiment model: %s, layer %s %s%n", textDir, text.layer().name(), text.layer().shape());
      List<TokenWeights> sentences = new ArrayList<>();
      int[] ids = new int[4 * SentimentData.LENGTH];
      StringBuilder keywords = new StringBuilder("item,class,position\n");
      for (int i = 0; i < 4; i++) {
        SentimentData.Sample s = SentimentData.sample(rng);
        System.arraycopy(s.ids(), 0, ids, i * SentimentData.LENGTH, SentimentData.LENGTH);
        for (int p = 0; p < SentimentData.LENGTH; p++) {
          if (s.keyword()[p]) {
            keywords.append(String.format(Locale.ROOT, "%d,%d,%d%n", i, s.label(), p));
          }
        }
        TargetExplanation t = text.explain(InputBatch.ofInts(s.ids(), 1, SentimentData.LENGTH)).first(0);
        TokenWeights tw = TokenWeights.of(t, s.tokens(), SentimentData.PAD, Padding.POST, Interpolation.BILINEAR);
        sentences.add(tw);
        // Colours only for a terminal; plain weights when the output goes to a file or a pipe.
        w.print((System.console() != null ? AnsiHighlighter.render(tw) : plain(tw)).indent(2));
      }
      // The sentences' token ids and keyword positions, for `evaluate --input ... --keywords`.
      Path idsFile = out.resolve("sentences-ids.npy");
      org.explain4j.input.NpyWriter.write(idsFile, ids, 4, SentimentData.LENGTH);
      written.add(idsFile);
      written.add(Files.writeString(out.resolve("sentences-keywords.csv"), keywords, StandardCharsets.UTF_8));
      Path html = out.resolve("sentences.html");
      Files.writeString(html, org.explain4j.render.text.HtmlHighlighter.page("explain4j demo: sentiment", sentences), StandardCharsets.UTF_8);
      written.add(html);

      QualityMeasures.Share imagePointing = QualityMeasures.pointingGameImages(shapes, samples, DemoModels.SEED);
      QualityMeasures.Share textPointing = QualityMeasures.pointingGameText(text, samples, DemoModels.SEED);
      w.printf(Locale.ROOT, "%npointing game, images: %d of %d correctly classified held-back images (%.1f%%) peak inside the object%n",
          imagePointing.hits(), imagePointing.trials(), 100 * imagePointing.value());
      w.printf(Locale.ROOT, "pointing game, text: %d of %d correctly classified held-back sentences (%.1f%%) peak on a keyword%n",
          textPointing.hits(), textPointing.trials(), 100 * textPointing.value());
    }
    w.flush();
    Path file = out.resolve("demo.txt");
    Files.writeString(file, report.toString().replaceAll("\u001b\\[[0-9;]*m", ""), StandardCharsets.UTF_8);
    written.add(file);
    System.out.print(report);
    written.forEach(p -> System.out.println("wrote " + p));
    return 0;
  }

  private static String plain(TokenWeights t) {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "y=%s (probability %.3f):", t.label(), t.probability()));
    float[] weights = t.weights();
    for (int i = 0; i < weights.length; i++) {
      sb.append(String.format(Locale.ROOT, " %s[%.2f]", t.tokens().get(i), weights[i]));
    }
    return sb.append('\n').toString();
  }

  private static Path write(Rendering rendering, Path file) {
    rendering.writeTo(file);
    return file;
  }
}
