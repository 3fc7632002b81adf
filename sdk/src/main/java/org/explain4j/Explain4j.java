package org.explain4j;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.explain4j.format.image.HeatMapImages;
import org.explain4j.format.raw.CsvFormatter;
import org.explain4j.format.raw.JsonFormatter;
import org.explain4j.format.raw.TextTable;
import org.explain4j.format.text.HtmlHighlighter;
import org.explain4j.format.text.TokenWeights;

/** One call that explains and formats, choosing the format from the model kind. */
public final class Explain4j {
  private static final int MIN_TILE = 128;

  private Explain4j() {}

  /** {@link #show(Explainer, InputBatch, ShowOptions)} with the default options. */
  public static Rendering show(Explainer explainer, InputBatch input) {
    return show(explainer, input, ShowOptions.builder().build());
  }

  /**
   * Explains {@code input} and formats the result: image inputs (a spatial layer) give a PNG of
   * heat-map overlays, one captioned tile per item and target; token inputs (integer ids, or a
   * temporal layer) give an HTML page with highlighted tokens; anything else a text table. The
   * options can force a format (JSON and CSV included).
   */
  public static Rendering show(Explainer explainer, InputBatch input, ShowOptions options) {
    Explanation explanation = explainer.explain(input, options.targets());
    Rendering.Format format = options.format() == Rendering.Format.AUTO ? choose(explainer, input) : options.format();
    byte[] content = switch (format) {
      case PNG -> png(explanation, input, options);
      case HTML -> HtmlHighlighter.page("explain4j: " + explanation.layer(), tokenWeights(explanation, input, options))
          .getBytes(StandardCharsets.UTF_8);
      case JSON -> JsonFormatter.toJson(explanation, options.modelName()).getBytes(StandardCharsets.UTF_8);
      case CSV -> CsvFormatter.toCsv(explanation).getBytes(StandardCharsets.UTF_8);
      case TEXT, AUTO -> TextTable.render(explanation).getBytes(StandardCharsets.UTF_8);
    };
    return new Rendering(format, format.mediaType, content, explanation);
  }

  private static Rendering.Format choose(Explainer explainer, InputBatch input) {
    Layer layer = explainer.layer();
    boolean ids = input.dataType() != org.tensorflow.proto.DataType.DT_FLOAT;
    if (ids || layer.isTemporal()) {
      return Rendering.Format.HTML;
    }
    if (layer.isSpatial()) {
      return Rendering.Format.PNG;
    }
    return Rendering.Format.TEXT;
  }

  private static byte[] png(Explanation explanation, InputBatch input, ShowOptions options) {
    List<BufferedImage> tiles = new ArrayList<>();
    List<String> captions = new ArrayList<>();
    for (TargetExplanation t : explanation.targets()) {
      BufferedImage base = enlarge(options.images() != null ? options.images().get(t.item()) : inputImage(input, t.item()));
      tiles.add(HeatMapImages.overlay(base, t.heatMap(), options.imageStyle()));
      captions.add(String.format(Locale.ROOT, "%d: %s %.3f", t.item(), t.label().orElse("class " + t.target()),
          t.probability().isPresent() ? t.probability().getAsDouble() : t.score()));
    }
    BufferedImage grid = tiles.size() == 1 ? tiles.get(0) : HeatMapImages.grid(tiles, captions, Math.min(4, tiles.size()));
    return org.explain4j.format.image.Images.encodePng(grid);
  }

  /** Small inputs (a 28x28 digit) are scaled up, pixels kept sharp, so that a person can see them. */
  private static BufferedImage enlarge(BufferedImage image) {
    int factor = (int) Math.ceil(MIN_TILE / (double) Math.max(image.getWidth(), image.getHeight()));
    if (factor <= 1) {
      return image;
    }
    BufferedImage out = new BufferedImage(image.getWidth() * factor, image.getHeight() * factor, BufferedImage.TYPE_INT_RGB);
    java.awt.Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
      g.drawImage(image, 0, 0, out.getWidth(), out.getHeight(), null);
    } finally {
      g.dispose();
    }
    return out;
  }

  /** Draws an input item ([H, W, C] or [H, W]) as an image, its values stretched to 0..255. */
  static BufferedImage inputImage(InputBatch input, int item) {
    float[] values = input.floatValues();
    long[] dims = input.shape().asArray();
    if (values == null || dims.length < 3) {
      throw new IllegalArgumentException("Input of shape " + input.shape() + " cannot be drawn as an image: pass the images with optImages");
    }
    int h = (int) dims[1];
    int w = (int) dims[2];
    int c = dims.length == 4 ? (int) dims[3] : 1;
    int offset = item * h * w * c;
    float lo = Float.POSITIVE_INFINITY;
    float hi = Float.NEGATIVE_INFINITY;
    for (int i = offset; i < offset + h * w * c; i++) {
      lo = Math.min(lo, values[i]);
      hi = Math.max(hi, values[i]);
    }
    float range = hi > lo ? hi - lo : 1;
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int base = offset + (y * w + x) * c;
        int r = Math.round(255 * (values[base] - lo) / range);
        int g = c >= 3 ? Math.round(255 * (values[base + 1] - lo) / range) : r;
        int b = c >= 3 ? Math.round(255 * (values[base + 2] - lo) / range) : r;
        image.setRGB(x, y, r << 16 | g << 8 | b);
      }
    }
    return image;
  }

  private static List<TokenWeights> tokenWeights(Explanation explanation, InputBatch input, ShowOptions options) {
    List<TokenWeights> out = new ArrayList<>();
    for (TargetExplanation t : explanation.targets()) {
      List<String> tokens = options.tokens() != null ? options.tokens().get(t.item()) : input.itemStrings(t.item());
      out.add(TokenWeights.of(t, tokens, options.padValue(), options.padding(), options.textInterpolation()));
    }
    return out;
  }
}
