package org.explain4j;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the third-party models in {@code ../shared/models}, skipping with a printed reason when absent. */
final class SharedModels {
  private SharedModels() {}

  static Path require(String name) {
    Path root = locate();
    Path dir = root == null ? null : root.resolve(name);
    boolean present = dir != null && Files.isDirectory(dir);
    if (!present) {
      String reason = "Skipping: shared model '" + name + "' not found (looked for ../shared/models from the project root)";
      System.out.println(reason);
      assumeTrue(false, reason);
    }
    return dir;
  }

  /** A photo in {@code ../shared/images}, skipping with a printed reason when absent. */
  static Path image(String name) {
    Path models = locate();
    Path file = models == null ? null : models.resolveSibling("images").resolve(name);
    if (file == null || !Files.isRegularFile(file)) {
      String reason = "Skipping: shared image '" + name + "' not found (looked for ../shared/images from the project root)";
      System.out.println(reason);
      assumeTrue(false, reason);
    }
    return file;
  }

  private static Path locate() {
    Path here = Path.of("").toAbsolutePath();
    for (Path p = here; p != null; p = p.getParent()) {
      Path candidate = p.resolveSibling("shared").resolve("models");
      if (Files.isRegularFile(p.resolve("pom.xml")) && Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  /** A 28x28 "7": a bar across the top and a stroke down to the bottom left; white on black in [0, 1]. */
  static float[] drawnSeven() {
    float[] img = new float[28 * 28];
    for (int x = 7; x <= 20; x++) {
      for (int y = 6; y <= 7; y++) {
        img[y * 28 + x] = 1f;
      }
    }
    for (int y = 8; y <= 22; y++) {
      int x = 20 - (y - 8) * 8 / 14;
      img[y * 28 + x] = 1f;
      img[y * 28 + x - 1] = 1f;
    }
    return img;
  }
}
