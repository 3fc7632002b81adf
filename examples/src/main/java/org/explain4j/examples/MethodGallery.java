package org.explain4j.examples;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.explain4j.Explainer;
import org.explain4j.TargetExplanation;
import org.explain4j.input.ImagePreprocessor;
import org.explain4j.input.Images;
import org.explain4j.input.InputBatch;
import org.explain4j.method.AttributionMethod;
import org.explain4j.method.Methods;
import org.explain4j.model.LayerKind;
import org.explain4j.render.image.HeatMapImages;
import org.explain4j.render.image.ImageStyle;

/**
 * Every attribution method that fits the model's layer, on one image, side by side: one explainer
 * per method, one captioned tile each. Run: {@code java -cp examples/target/classes:$(cat
 * examples/target/classpath.txt) org.explain4j.examples.MethodGallery MODEL IMAGE OUT.png [SCALE MEAN]}
 * (scale and mean as for {@code --scale} and {@code --mean}; MobileNet wants 0.0078431 and 1).
 */
public final class MethodGallery {
  private static final int TILE = 150;

  private MethodGallery() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("usage: MethodGallery MODEL IMAGE OUT.png [SCALE MEAN]");
      System.exit(2);
    }
    Path model = Path.of(args[0]);
    BufferedImage image = Images.read(Path.of(args[1]));
    // The tiles keep the photo's aspect, TILE pixels wide.
    BufferedImage tile = Images.resize(image, TILE, Math.max(1, image.getHeight() * TILE / image.getWidth()));
    List<BufferedImage> tiles = new ArrayList<>();
    List<String> captions = new ArrayList<>();
    List<String> fitting;
    try (Explainer probe = Explainer.builder().setModel(model).build()) {
      LayerKind kind = LayerKind.ofRank(probe.layer().shape().numDimensions());
      fitting = Methods.all().stream().filter(m -> m.supports(kind)).map(AttributionMethod::name)
          .filter(name -> !name.startsWith("test-")).toList();
    }
    for (String method : fitting) {
      try (Explainer explainer = Explainer.builder().setModel(model).optMethod(method).build()) {
        ImagePreprocessor.Builder pre = ImagePreprocessor.forModel(explainer.model());
        if (args.length >= 5) {
          pre.optScale(Float.parseFloat(args[3])).optMean(Float.parseFloat(args[4]));
        }
        InputBatch batch = pre.build().toBatch(List.of(image));
        TargetExplanation t = explainer.explain(batch).first(0);
        tiles.add(HeatMapImages.overlay(tile, t.heatMap(), ImageStyle.defaults()));
        captions.add(method);
        System.out.println(method + ": class " + t.target() + ", peak at " + t.heatMap().argMax());
      }
    }
    Images.writePng(HeatMapImages.grid(tiles, captions, 5), Path.of(args[2]));
    System.out.println("wrote " + args[2]);
  }
}
