package org.explain4j.render;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.explain4j.Explanation;
import org.explain4j.TargetExplanation;
import org.explain4j.exceptions.InvalidInputException;
import org.explain4j.input.Images;
import org.explain4j.input.InputBatch;
import org.explain4j.render.image.HeatMapImages;
import org.tensorflow.proto.DataType;

/** PNG: one heat-map overlay per item and target, captioned, in a grid. */
final class OverlayRenderer implements Renderer {
  private static final int MIN_TILE = 128;

  @Override
  public Rendering.Format format() {
    return Rendering.Format.PNG;
  }

  @Override
  public byte[] render(Explanation explanation, InputBatch input, ShowOptions options) {
    List<BufferedImage> tiles = new ArrayList<>();
    List<String> captions = new ArrayList<>();
    for (TargetExplanation t : explanation.targets()) {
      BufferedImage base = enlarge(options.images() != null ? options.images().get(t.item()) : inputImage(input, t.item()));
      tiles.add(HeatMapImages.overlay(base, t.heatMap(), options.imageStyle()));
      boolean several = explanation.method().contains(",");
      captions.add(String.format(Locale.ROOT, "%d: %s %.3f%s%s%s", t.item(), t.label().orElse("class " + t.target()),
          t.probability().isPresent() ? t.probability().getAsDouble() : t.score(), several ? " " + t.method() : "",
          explanation.provenance().counterfactual() ? " counterfactual" : "",
          t.allZero() ? " (all zero)" : t.nearlyFlat() ? " (nearly flat: no evidence)" : ""));
    }
    BufferedImage grid = tiles.size() == 1 ? tiles.get(0) : HeatMapImages.grid(tiles, captions, Math.min(4, tiles.size()));
    return Images.encodePng(grid);
  }

  /** Small inputs (a 28x28 digit) are scaled up, pixels kept sharp, so that a person can see them. */
  private static BufferedImage enlarge(BufferedImage image) {
    int factor = (int) Math.ceil(MIN_TILE / (double) Math.max(image.getWidth(), image.getHeight()));
    if (factor <= 1) {
      return image;
    }
    BufferedImage out = new BufferedImage(image.getWidth() * factor, image.getHeight() * factor, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
      g.drawImage(image, 0, 0, out.getWidth(), out.getHeight(), null);
    } finally {
      g.dispose();
    }
    return out;
  }

  /** Draws an input item ([H, W, C] or [H, W]) as an image, its values stretched to 0..255. */
  static BufferedImage inputImage(InputBatch input, int item) {
    if (input.dataType() == DataType.DT_STRING) {
      return Images.decode(input.encodedItems().get(item), "encoded item " + item);
    }
    long[] dims = input.shape().asArray();
    if (input.dataType() == DataType.DT_INT32 || input.dataType() == DataType.DT_INT64 || dims.length < 3) {
      throw new InvalidInputException("Input of " + input.dataType() + " " + input.shape()
          + " cannot be drawn as an image: pass the images with optImages");
    }
    float[] values = input.toFloats();
    boolean first = input.imagesChannelsFirst();
    int h = (int) dims[first ? 2 : 1];
    int w = (int) dims[first ? 3 : 2];
    int c = dims.length == 4 ? (int) dims[first ? 1 : 3] : 1;
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
        int base = offset + (first ? y * w + x : (y * w + x) * c);
        int step = first ? h * w : 1;
        int r = Math.round(255 * (values[base] - lo) / range);
        int g = c >= 3 ? Math.round(255 * (values[base + step] - lo) / range) : r;
        int b = c >= 3 ? Math.round(255 * (values[base + 2 * step] - lo) / range) : r;
        image.setRGB(x, y, r << 16 | g << 8 | b);
      }
    }
    return image;
  }
}
