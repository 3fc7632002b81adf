package org.explain4j;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** A nearly flat map (tiny against its score) is flagged, so that its stretched colours are not read as evidence. */
class NearlyFlatTest {
  private static TargetExplanation target(float[] map, float score, boolean allZero) {
    HeatMap m = new HeatMap(1, map.length, map);
    return new TargetExplanation(0, 1, Optional.empty(), score, OptionalDouble.empty(), m, m, "layer", "grad-cam", "java", allZero);
  }

  @Test
  void aMapAMillionTimesSmallerThanItsScoreIsNearlyFlat() {
    assertTrue(target(new float[] {1e-8f, -3e-9f}, 4f, false).nearlyFlat());
    assertTrue(target(new float[] {5e-7f, 0f}, 0.01f, false).nearlyFlat(), "scores near zero compare with 1");
    assertFalse(target(new float[] {0.02f, 0.5f}, 4f, false).nearlyFlat());
    assertFalse(target(new float[] {3e-6f, 0f}, 0.5f, false).nearlyFlat());
    assertFalse(target(new float[2], 4f, true).nearlyFlat(), "all zeros is its own flag");
  }
}
