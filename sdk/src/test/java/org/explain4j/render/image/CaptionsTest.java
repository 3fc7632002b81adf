package org.explain4j.render.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Grid captions are shown in full: wrapped, never cut to "gra~", however small the tiles. */
class CaptionsTest {
  private static final FontMetrics METRICS = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics()
      .getFontMetrics(new Font(Font.SANS_SERIF, Font.PLAIN, 12));

  @Test
  void captionsWrapWithNothingCut() {
    String caption = "0: suit, suit of clothes 0.294 grad-cam++ counterfactual (nearly flat: no evidence)";
    for (int width : new int[] {40, 90, 160, 1000}) {
      List<String> lines = HeatMapImages.captionLines(caption, METRICS, width);
      assertEquals(caption, String.join("", lines), "nothing is cut at width " + width);
      for (String line : lines) {
        assertTrue(METRICS.stringWidth(line.stripTrailing()) <= width, "'" + line + "' fits " + width);
      }
    }
    assertEquals(1, HeatMapImages.captionLines("short", METRICS, 160).size());
  }

  @Test
  void aGridOfTinyTilesWidensItsColumnsAndGrowsItsRowsForTheirCaptions() {
    String caption = "0: class 3 0.998 grad-cam++ counterfactual";
    BufferedImage tile = new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB);
    BufferedImage grid = HeatMapImages.grid(List.of(tile, tile), List.of(caption + " " + caption, "1: class 2 0.100"), 2);
    int lines = HeatMapImages.captionLines(caption + " " + caption, METRICS, HeatMapImages.MIN_CAPTION_WIDTH).size();
    assertTrue(lines >= 2, "the long caption wraps");
    assertTrue(grid.getWidth() >= 2 * HeatMapImages.MIN_CAPTION_WIDTH, "width " + grid.getWidth());
    assertTrue(grid.getHeight() >= 28 + lines * METRICS.getHeight(), "height " + grid.getHeight());
  }
}
