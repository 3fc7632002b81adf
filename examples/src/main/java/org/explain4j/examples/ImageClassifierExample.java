package org.explain4j.examples;

import java.nio.file.Path;
import java.util.List;
import org.explain4j.render.Renderers;
import org.explain4j.Explainer;
import org.explain4j.Explanation;
import org.explain4j.input.InputBatch;
import org.explain4j.render.Rendering;
import org.explain4j.render.ShowOptions;
import org.explain4j.TargetExplanation;
import org.explain4j.Targets;
import org.explain4j.demo.DemoModels;
import org.explain4j.render.image.Colormap;
import org.explain4j.render.image.HeatMapImages;
import org.explain4j.input.ImagePreprocessor;
import org.explain4j.render.image.ImageStyle;
import org.explain4j.input.Images;

/**
 * The Java API end to end for an image classifier: load a SavedModel, explain images, save the
 * overlays. Run: {@code examples/run ImageClassifierExample IMAGE... [--model DIR] [--out DIR]} (default: the
 * demo shapes model, trained on first use; output in {@code explain4j-out}).
 */
public final class ImageClassifierExample {
  private ImageClassifierExample() {}

  public static void main(String[] args) throws Exception {
    List<String> files = new java.util.ArrayList<>(List.of(args));
    Path out = Path.of(Flags.take(files, "--out", "explain4j-out"));
    String modelFlag = Flags.take(files, "--model", null);
    Path model = modelFlag != null ? Path.of(modelFlag) : DemoModels.shapes(out.resolve("models").resolve("shapes-" + DemoModels.VERSION));
    if (files.isEmpty()) {
      System.err.println("usage: ImageClassifierExample IMAGE... [--model DIR] [--out DIR]");
      System.exit(2);
    }
    try (Explainer explainer = Explainer.builder().setModel(model).build()) {
      // Images in, resized and scaled to what the model's signature expects.
      List<java.awt.image.BufferedImage> images = files.stream().map(f -> Images.read(Path.of(f))).toList();
      InputBatch batch = ImagePreprocessor.forModel(explainer.model()).build().toBatch(images);

      // Explain the two most probable classes of each image.
      Explanation explanation = explainer.explain(batch, Targets.topK(2));
      ImageStyle style = ImageStyle.builder().optColormap(Colormap.VIRIDIS).optColorBar(true).build();
      for (TargetExplanation t : explanation.targets()) {
        Path png = out.resolve("image" + t.item() + "-class" + t.target() + ".png");
        java.nio.file.Files.createDirectories(png.getParent());
        Images.writePng(HeatMapImages.overlay(images.get(t.item()), t.heatMap(), style), png);
        System.out.printf("%s: class %d, probability %.3f -> %s%n", files.get(t.item()), t.target(),
            t.probability().orElse(Double.NaN), png);
      }

      // Or in one call: a captioned grid of overlays.
      Rendering grid = Renderers.show(explainer, batch, ShowOptions.builder().optImages(images).build());
      grid.writeTo(out.resolve("images." + grid.format().extension()));
    }
  }
}
