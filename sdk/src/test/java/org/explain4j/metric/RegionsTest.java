package org.explain4j.metric;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.explain4j.HeatMap;
import org.explain4j.exceptions.InvalidInputException;
import org.junit.jupiter.api.Test;

/** The pointing game's geometry against distances worked out by hand. */
class RegionsTest {
  /** A map of zeros with one peak at (x, y). */
  private static HeatMap peak(int height, int width, int x, int y) {
    float[] v = new float[height * width];
    v[y * width + x] = 1;
    return HeatMap.of(height, width, v);
  }

  @Test
  void aPeakInsideAnIntegerBoxHitsWithNoTolerance() {
    Regions r = Regions.builder().addBox(0, 2, 3, 4, 6, 9).build();
    assertTrue(r.hit(0, 2, peak(12, 12, 3, 4), 0), "top-left pixel of [3,6) x [4,9)");
    assertTrue(r.hit(0, 2, peak(12, 12, 5, 8), 0), "bottom-right pixel");
    assertFalse(r.hit(0, 2, peak(12, 12, 6, 8), 0), "x = 6 is outside [3, 6)");
    assertFalse(r.hit(0, 2, peak(12, 12, 5, 9), 0), "y = 9 is outside [4, 9)");
  }

  @Test
  void theToleranceIsTheDistanceFromThePeakCellsCentre() {
    // Peak (5, 5), centre (5.5, 5.5); box [8, 10) x [9, 12): dx = 2.5, dy = 3.5, distance sqrt(18.5) = 4.3012.
    Regions r = Regions.builder().addBox(0, 0, 8, 9, 10, 12).build();
    HeatMap m = peak(16, 16, 5, 5);
    assertFalse(r.hit(0, 0, m, 4.30));
    assertTrue(r.hit(0, 0, m, 4.31));
    // Straight to the right: box starts 3 cells after the peak's cell, distance 3.5.
    Regions right = Regions.builder().addBox(0, 0, 9, 0, 12, 16).build();
    assertFalse(right.hit(0, 0, m, 3.49));
    assertTrue(right.hit(0, 0, m, 3.5));
  }

  @Test
  void aBoxInAnnotatedImagePixelsIsScaledToTheMap() {
    // [10, 14) x [20, 24) on a 40x80 (w x h) photo is [4, 5.6) x [4, 4.8) on a 16x16 map: cell (4, 4) and (5, 4) hold it.
    Regions r = Regions.builder().addBox(0, 0, 10, 20, 14, 24, 40, 80).build();
    assertTrue(r.hit(0, 0, peak(16, 16, 4, 4), 0));
    assertTrue(r.hit(0, 0, peak(16, 16, 5, 4), 0), "centre (5.5, 4.5) lies in [4, 5.6) x [4, 4.8)");
    assertFalse(r.hit(0, 0, peak(16, 16, 6, 4), 0));
    assertFalse(r.hit(0, 0, peak(16, 16, 4, 5), 0), "centre y 5.5 is past 4.8");
    assertThrows(InvalidInputException.class, () -> Regions.builder().addBox(0, 0, 0, 0, 1, 1, 0, 10));
  }

  @Test
  void tokenPositionsCountWholeTokens() {
    Regions r = Regions.builder().addPosition(1, 3, 2).addPosition(1, 3, 9).build();
    HeatMap m = peak(1, 12, 5, 0);
    assertFalse(r.hit(1, 3, m, 0));
    assertFalse(r.hit(1, 3, m, 2), "token 5 is three tokens from 2: distance 2.5");
    assertTrue(r.hit(1, 3, m, 3));
    assertTrue(r.hit(1, 3, peak(1, 12, 9, 0), 0), "the peak on the keyword itself");
    assertTrue(r.tokens());
    assertTrue(r.defaultTolerance(12) == 0);
  }

  @Test
  void regionsForAnyClassHoldForEveryTarget() {
    Regions r = Regions.builder().addBox(0, Regions.ANY_CLASS, 0, 0, 4, 4).addBox(1, 7, 0, 0, 4, 4).build();
    assertTrue(r.covers(0, 0) && r.covers(0, 5) && r.covers(1, 7));
    assertFalse(r.covers(1, 6));
    assertFalse(r.covers(2, 7));
    assertTrue(r.hit(0, 5, peak(8, 8, 1, 1), 0));
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> r.hit(1, 6, peak(8, 8, 1, 1), 0));
    assertTrue(e.getMessage().contains("0:any, 1:7"), e.getMessage());
  }

  @Test
  void aFlatMapPointsNowhere() {
    Regions r = Regions.builder().addBox(0, 0, 0, 0, 8, 8).build();
    assertFalse(r.hit(0, 0, HeatMap.of(8, 8, new float[64]), 100));
  }

  @Test
  void badRegionsAreRefused() {
    assertThrows(InvalidInputException.class, () -> Regions.builder().addBox(0, 0, 4, 0, 4, 3));
    assertThrows(InvalidInputException.class, () -> Regions.builder().addBox(0, 0, 0, 0, Double.NaN, 3));
    assertThrows(InvalidInputException.class, () -> Regions.builder().addPosition(0, 0, -1));
    assertThrows(InvalidInputException.class, () -> Regions.builder().addBox(-1, 0, 0, 0, 1, 1));
    assertThrows(InvalidInputException.class, () -> Regions.builder().addBox(0, 0, 0, 0, 1, 1).addPosition(0, 0, 1));
    assertThrows(InvalidInputException.class, () -> Regions.builder().build());
    Regions tokens = Regions.builder().addPosition(0, 0, 1).build();
    assertThrows(InvalidInputException.class, () -> tokens.hit(0, 0, peak(4, 4, 1, 1), 0), "a 2-D map against token positions");
  }

  @Test
  void theDefaultImageToleranceIsFifteenPixelsAt224() {
    Regions r = Regions.builder().addBox(0, 0, 0, 0, 1, 1).build();
    assertTrue(Math.abs(r.defaultTolerance(224) - 15) < 1e-12);
    assertTrue(Math.abs(r.defaultTolerance(64) - 15 * 64 / 224.0) < 1e-12);
  }
}
