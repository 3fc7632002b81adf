package org.explain4j;

import java.util.Arrays;

/**
 * A map of relevance values, row-major {@code height x width}; sequences have height 1. Immutable:
 * {@link #values()} returns a copy.
 */
public final class HeatMap {
  private final int height;
  private final int width;
  private final float[] values;

  HeatMap(int height, int width, float[] values) {
    if (values.length != height * width) {
      throw new IllegalArgumentException("A " + height + "x" + width + " map needs " + height * width + " values, got " + values.length);
    }
    this.height = height;
    this.width = width;
    this.values = values;
  }

  /** Wraps a copy of the given values. */
  public static HeatMap of(int height, int width, float[] values) {
    return new HeatMap(height, width, values.clone());
  }

  public int height() {
    return height;
  }

  public int width() {
    return width;
  }

  /** The value at row {@code y}, column {@code x}. */
  public float get(int y, int x) {
    if (y < 0 || y >= height || x < 0 || x >= width) {
      throw new IndexOutOfBoundsException("(" + y + ", " + x + ") is outside a " + height + "x" + width + " map");
    }
    return values[y * width + x];
  }

  /** A copy of the values, row-major. */
  public float[] values() {
    return values.clone();
  }

  /** The largest value. */
  public float max() {
    float m = Float.NEGATIVE_INFINITY;
    for (float v : values) {
      m = Math.max(m, v);
    }
    return m;
  }

  /** The smallest value. */
  public float min() {
    float m = Float.POSITIVE_INFINITY;
    for (float v : values) {
      m = Math.min(m, v);
    }
    return m;
  }

  /** The row-major index of the largest value (the first one on ties). */
  public int argMax() {
    int best = 0;
    for (int i = 1; i < values.length; i++) {
      if (values[i] > values[best]) {
        best = i;
      }
    }
    return best;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HeatMap m && m.height == height && m.width == width && Arrays.equals(m.values, values);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * height + width) + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "HeatMap[" + height + "x" + width + ", min=" + min() + ", max=" + max() + "]";
  }
}
