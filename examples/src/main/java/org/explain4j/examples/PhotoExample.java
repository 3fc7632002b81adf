package org.explain4j.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.explain4j.Explainer;
import org.explain4j.Explanation;
import org.explain4j.TargetExplanation;
import org.explain4j.Targets;
import org.explain4j.input.ImagePreprocessor;
import org.explain4j.input.Images;
import org.explain4j.input.InputBatch;
import org.explain4j.render.image.HeatMapImages;
import org.explain4j.render.image.ImageStyle;

/**
 * A real ImageNet model on a real photo: Google's MobileNet v1 (the frozen graph that
 * {@code testdata/} carries) names the three most probable classes of a photo, and each is
 * explained with Grad-CAM and drawn over the photo. Run: {@code examples/run PhotoExample [PHOTO]
 * [--out DIR]} (default: testdata's portrait of Grace Hopper; output in {@code explain4j-out}).
 */
public final class PhotoExample {
  private PhotoExample() {}

  public static void main(String[] args) throws Exception {
    List<String> rest = new java.util.ArrayList<>(List.of(args));
    Path out = Path.of(Flags.take(rest, "--out", "explain4j-out"));
    Path model = Path.of(Flags.take(rest, "--model", "testdata/models/mobilenet-v1-025-128-frozen"));
    Path photo = Path.of(rest.isEmpty() ? "testdata/images/grace_hopper.jpg" : rest.get(0));
    for (String line : explain(model, photo, out)) {
      System.out.println(line);
    }
  }

  /** Explains the photo's three most probable classes; one line per class, naming its overlay. */
  static List<String> explain(Path model, Path photo, Path out) throws java.io.IOException {
    // labels.txt lines read "N:name, other names": the label is the first name.
    List<String> labels = Files.readAllLines(model.resolve("labels.txt")).stream()
        .map(l -> l.substring(l.indexOf(':') + 1).split(",")[0].trim()).toList();
    try (Explainer explainer = Explainer.builder().setModel(model.resolve("frozen_graph.pb")).optLabels(labels).build()) {
      var image = Images.read(photo);
      // Google's preprocessing for MobileNet: RGB scaled to [-1, 1].
      InputBatch batch = ImagePreprocessor.forModel(explainer.model()).optScale(1 / 127.5f).optMean(1f).build().toBatch(List.of(image));
      Explanation e = explainer.explain(batch, Targets.topK(3));
      Files.createDirectories(out);
      List<String> lines = new java.util.ArrayList<>();
      for (TargetExplanation t : e.targets()) {
        String label = t.label().orElse("class " + t.target());
        Path png = out.resolve(photo.getFileName().toString().replaceFirst("\\.[^.]*$", "") + "-" + label.replace(' ', '_') + ".png");
        Images.writePng(HeatMapImages.overlay(image, t.heatMap(), ImageStyle.builder().build()), png);
        int peak = t.heatMap().argMax();
        lines.add(String.format(java.util.Locale.ROOT, "%-20s p=%.3f  map peak at (row %d, col %d) of %dx%d -> %s", label,
            t.probability().orElse(Double.NaN), peak / t.heatMap().width(), peak % t.heatMap().width(), t.heatMap().height(),
            t.heatMap().width(), png));
      }
      return lines;
    }
  }
}
