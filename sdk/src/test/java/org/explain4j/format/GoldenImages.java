package org.explain4j.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.explain4j.input.Images;

/**
 * Compares rendered images with the PNGs under {@code src/test/resources/golden}. Run the tests
 * with {@code -Dexplain4j.updateGolden=true} to rewrite them after an intended change, and look at
 * them before committing.
 */
final class GoldenImages {
  private GoldenImages() {}

  static void assertMatches(String name, BufferedImage rendered, int tolerance) throws Exception {
    Path source = Path.of("src/test/resources/golden", name + ".png");
    if (Boolean.getBoolean("explain4j.updateGolden")) {
      Files.createDirectories(source.getParent());
      Images.writePng(rendered, source);
      return;
    }
    BufferedImage golden;
    try (InputStream in = GoldenImages.class.getResourceAsStream("/golden/" + name + ".png")) {
      assertTrue(in != null, "no golden image " + name + ".png: run with -Dexplain4j.updateGolden=true");
      golden = Images.decode(in.readAllBytes(), name + ".png");
    }
    assertEquals(golden.getWidth(), rendered.getWidth(), name + " width");
    assertEquals(golden.getHeight(), rendered.getHeight(), name + " height");
    for (int y = 0; y < golden.getHeight(); y++) {
      for (int x = 0; x < golden.getWidth(); x++) {
        int a = golden.getRGB(x, y);
        int b = rendered.getRGB(x, y);
        for (int shift = 0; shift <= 16; shift += 8) {
          int d = Math.abs((a >> shift & 255) - (b >> shift & 255));
          assertTrue(d <= tolerance, name + " pixel (" + x + ", " + y + "): " + Integer.toHexString(a) + " vs " + Integer.toHexString(b));
        }
      }
    }
  }
}
