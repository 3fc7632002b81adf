package org.explain4j;

import java.nio.file.Path;
import org.explain4j.testkit.TestData;

/** The third-party models and photos the repository carries in {@code testdata/} (a missing one is an error, not a skip). */
final class SharedModels {
  private SharedModels() {}

  static Path require(String name) {
    return TestData.model(name);
  }

  static Path image(String name) {
    return TestData.image(name);
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
