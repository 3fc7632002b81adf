package org.explain4j.demo;

import java.util.List;
import java.util.Random;

/**
 * Generated "shapes" images: 64x64 RGB, one object (circle, square, triangle or cross) of random
 * size, colour and position over a noisy background; the label is the shape and the bounding box
 * is known.
 */
public final class ShapesData {
  public static final int SIZE = 64;
  public static final List<String> LABELS = List.of("circle", "square", "triangle", "cross");

  private ShapesData() {}

  /** One image, channels-last RGB in [0, 1], with its label and the object's bounding box. */
  public record Sample(float[] pixels, int label, int top, int left, int bottom, int right) {
    /** Whether (y, x) lies in the object's bounding box. */
    public boolean inBox(int y, int x) {
      return inBox(y, x, 0);
    }

    /** Whether (y, x) lies in the object's bounding box grown by {@code margin} pixels on each side. */
    public boolean inBox(int y, int x, int margin) {
      return y >= top - margin && y <= bottom + margin && x >= left - margin && x <= right + margin;
    }
  }

  public static Sample sample(Random rng) {
    int label = rng.nextInt(LABELS.size());
    float[] pixels = new float[SIZE * SIZE * 3];
    float[] background = {0.2f + 0.3f * rng.nextFloat(), 0.2f + 0.3f * rng.nextFloat(), 0.2f + 0.3f * rng.nextFloat()};
    for (int i = 0; i < SIZE * SIZE; i++) {
      for (int c = 0; c < 3; c++) {
        pixels[i * 3 + c] = clamp(background[c] + (float) (rng.nextGaussian() * 0.08));
      }
    }
    int half = 7 + rng.nextInt(8);
    int cy = half + 1 + rng.nextInt(SIZE - 2 * half - 2);
    int cx = half + 1 + rng.nextInt(SIZE - 2 * half - 2);
    float[] color = new float[3];
    int bright = rng.nextInt(3);
    for (int c = 0; c < 3; c++) {
      color[c] = c == bright ? 0.9f + 0.1f * rng.nextFloat() : rng.nextFloat() * 0.6f;
    }
    int top = SIZE;
    int left = SIZE;
    int bottom = -1;
    int right = -1;
    for (int y = cy - half; y <= cy + half; y++) {
      for (int x = cx - half; x <= cx + half; x++) {
        if (inside(label, y - cy, x - cx, half)) {
          for (int c = 0; c < 3; c++) {
            pixels[(y * SIZE + x) * 3 + c] = clamp(color[c] + (float) (rng.nextGaussian() * 0.03));
          }
          top = Math.min(top, y);
          left = Math.min(left, x);
          bottom = Math.max(bottom, y);
          right = Math.max(right, x);
        }
      }
    }
    return new Sample(pixels, label, top, left, bottom, right);
  }

  private static boolean inside(int label, int dy, int dx, int half) {
    return switch (label) {
      case 0 -> dy * dy + dx * dx <= half * half;
      case 1 -> Math.abs(dy) <= half * 3 / 4 && Math.abs(dx) <= half * 3 / 4;
      case 2 -> dy >= -half && dy <= half && Math.abs(dx) <= (dy + half) / 2;
      default -> Math.abs(dy) <= half && Math.abs(dx) <= half / 4 || Math.abs(dx) <= half && Math.abs(dy) <= half / 4;
    };
  }

  private static float clamp(float v) {
    return Math.max(0, Math.min(1, v));
  }
}
