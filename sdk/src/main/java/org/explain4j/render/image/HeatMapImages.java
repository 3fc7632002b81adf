package org.explain4j.render.image;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;
import org.explain4j.HeatMap;
import org.explain4j.cam.AxisResampling;
import org.explain4j.cam.GradCam;
import org.explain4j.cam.Interpolation;

/** Draws heat maps: over an image, alone, with a colour bar, and as a captioned grid. */
public final class HeatMapImages {
  private static final int BAR_WIDTH = 14;
  private static final int BAR_MARGIN = 48;

  private HeatMapImages() {}

  /**
   * The image with the heat map over it: each pixel blends the map's colour with opacity
   * {@code alphaLimit * |value|}. Maps with negative values (ReLU off) use the colormap over
   * [-1, 1]. The map is resized to the image with the style's filter.
   */
  public static BufferedImage overlay(BufferedImage image, HeatMap map, ImageStyle style) {
    int w = image.getWidth();
    int h = image.getHeight();
    float[] values = resize(map, h, w, style.resampling());
    boolean signed = map.min() < 0;
    BufferedImage out = new BufferedImage(w + (style.colorBar() ? BAR_MARGIN : 0), h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        float v = values[y * w + x];
        int color = style.colormap().rgb(signed ? (v + 1) / 2 : v);
        float alpha = style.alphaLimit() * Math.min(1f, Math.abs(v));
        out.setRGB(x, y, blend(image.getRGB(x, y), color, alpha));
      }
    }
    if (style.colorBar()) {
      drawColorBar(out, w, h, style.colormap(), signed);
    }
    return out;
  }

  /** The heat map alone, resized to {@code width x height}, fully opaque. */
  public static BufferedImage heatMap(HeatMap map, int width, int height, ImageStyle style) {
    float[] values = resize(map, height, width, style.resampling());
    boolean signed = map.min() < 0;
    BufferedImage out = new BufferedImage(width + (style.colorBar() ? BAR_MARGIN : 0), height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        float v = values[y * width + x];
        out.setRGB(x, y, style.colormap().rgb(signed ? (v + 1) / 2 : v));
      }
    }
    if (style.colorBar()) {
      drawColorBar(out, width, height, style.colormap(), signed);
    }
    return out;
  }

  /** Tiles in rows of {@code columns}, each with its caption underneath (a label and a score, say). */
  public static BufferedImage grid(List<BufferedImage> tiles, List<String> captions, int columns) {
    if (tiles.isEmpty() || tiles.size() != captions.size() || columns < 1) {
      throw new IllegalArgumentException("A grid needs tiles, one caption per tile and at least one column; got "
          + tiles.size() + " tiles, " + captions.size() + " captions, " + columns + " columns");
    }
    // A column is at least as wide as a short caption line, and captions wrap: every word is shown in full.
    int tileW = Math.max(MIN_CAPTION_WIDTH, tiles.stream().mapToInt(BufferedImage::getWidth).max().orElse(1));
    int tileH = tiles.stream().mapToInt(BufferedImage::getHeight).max().orElse(1);
    int pad = 6;
    int cols = Math.min(columns, tiles.size());
    int rows = (tiles.size() + cols - 1) / cols;
    Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    FontMetrics metrics = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics().getFontMetrics(font);
    List<List<String>> lines = captions.stream().map(c -> captionLines(c, metrics, tileW)).toList();
    int captionH = lines.stream().mapToInt(List::size).max().orElse(1) * metrics.getHeight() + 4;
    BufferedImage out = new BufferedImage(cols * (tileW + pad) + pad, rows * (tileH + captionH + pad) + pad, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, out.getWidth(), out.getHeight());
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setFont(font);
      g.setColor(Color.BLACK);
      for (int i = 0; i < tiles.size(); i++) {
        int x = pad + (i % cols) * (tileW + pad);
        int y = pad + (i / cols) * (tileH + captionH + pad);
        g.drawImage(tiles.get(i), x, y, null);
        List<String> caption = lines.get(i);
        for (int line = 0; line < caption.size(); line++) {
          g.drawString(caption.get(line), x, y + tileH + metrics.getAscent() + 2 + line * metrics.getHeight());
        }
      }
    } finally {
      g.dispose();
    }
    return out;
  }

  /** The narrowest a grid column gets, so that a caption line holds a few words even under a 28-pixel tile. */
  public static final int MIN_CAPTION_WIDTH = 160;

  /**
   * A caption broken into lines no wider than {@code width}: at spaces where it can, inside a word
   * only when the word alone is wider. Nothing is dropped: the lines joined are the caption.
   */
  static List<String> captionLines(String text, FontMetrics metrics, int width) {
    List<String> lines = new java.util.ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.split("(?<= )")) {
      if (metrics.stringWidth(line + word.stripTrailing()) <= width) {
        line.append(word);
        continue;
      }
      if (line.length() > 0) {
        lines.add(line.toString());
        line.setLength(0);
      }
      String rest = word;
      while (metrics.stringWidth(rest.stripTrailing()) > width && rest.length() > 1) {
        int fit = 1;
        while (fit < rest.length() && metrics.stringWidth(rest.substring(0, fit + 1)) <= width) {
          fit++;
        }
        lines.add(rest.substring(0, fit));
        rest = rest.substring(fit);
      }
      line.append(rest);
    }
    if (line.length() > 0) {
      lines.add(line.toString());
    }
    return lines;
  }

  private static void drawColorBar(BufferedImage out, int left, int height, Colormap colormap, boolean signed) {
    Graphics2D g = out.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(left, 0, BAR_MARGIN, height);
      int top = 6;
      int bottom = height - 6;
      for (int y = top; y <= bottom; y++) {
        double t = 1 - (double) (y - top) / Math.max(1, bottom - top);
        g.setColor(new Color(colormap.rgb(t)));
        g.fillRect(left + 4, y, BAR_WIDTH, 1);
      }
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      double lo = signed ? -1 : 0;
      for (int i = 0; i <= 2; i++) {
        double value = lo + (1 - lo) * (1 - i / 2.0);
        int y = top + (bottom - top) * i / 2;
        g.drawString(String.format(Locale.ROOT, "%.1f", value), left + BAR_WIDTH + 7, Math.min(height - 2, Math.max(10, y + 4)));
      }
    } finally {
      g.dispose();
    }
  }

  /**
   * The map resized with the engines' resampler, antialiased when shrinking, and clamped to the
   * map's own range (cubic and Lanczos filters overshoot).
   */
  static float[] resize(HeatMap map, int outHeight, int outWidth, Interpolation kind) {
    return GradCam.resample(map.values(), AxisResampling.of(map.height(), outHeight, kind, true),
        AxisResampling.of(map.width(), outWidth, kind, true), map.min(), map.max());
  }

  private static int blend(int base, int color, float alpha) {
    int r = Math.round((base >> 16 & 255) * (1 - alpha) + (color >> 16 & 255) * alpha);
    int g = Math.round((base >> 8 & 255) * (1 - alpha) + (color >> 8 & 255) * alpha);
    int b = Math.round((base & 255) * (1 - alpha) + (color & 255) * alpha);
    return r << 16 | g << 8 | b;
  }
}
