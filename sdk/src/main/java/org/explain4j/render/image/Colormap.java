package org.explain4j.render.image;

import java.util.Locale;

/**
 * Maps a value in [0, 1] to a colour through a 256-entry lookup table. The perceptual maps are
 * defined by anchor colours at even steps of their published definitions (matplotlib's viridis,
 * magma, inferno; Google's turbo; ColorBrewer's 9-class Reds and Greens), interpolated linearly in
 * RGB; jet is MATLAB's piecewise-linear formula; gray runs from black to white.
 */
public enum Colormap {
  JET(null),
  VIRIDIS(new int[] {0x440154, 0x482878, 0x3e4989, 0x31688e, 0x26828e, 0x1f9e89, 0x35b779, 0x6ece58, 0xfde725}),
  MAGMA(new int[] {0x000004, 0x1c1044, 0x4f127b, 0x812581, 0xb5367a, 0xe55064, 0xfb8761, 0xfec287, 0xfcfdbf}),
  INFERNO(new int[] {0x000004, 0x1f0c48, 0x550f6d, 0x88226a, 0xba3655, 0xe35933, 0xf98e09, 0xf8c932, 0xfcffa4}),
  TURBO(new int[] {0x30123b, 0x4145ab, 0x4675ed, 0x39a2fc, 0x1bcfd4, 0x24eca6, 0x61fc6c, 0xa4fc3b, 0xd1e834, 0xf3c63a,
      0xfe9b2d, 0xf36315, 0xd93806, 0xb11901, 0x7a0403}),
  REDS(new int[] {0xfff5f0, 0xfee0d2, 0xfcbba1, 0xfc9272, 0xfb6a4a, 0xef3b2c, 0xcb181d, 0xa50f15, 0x67000d}),
  GREENS(new int[] {0xf7fcf5, 0xe5f5e0, 0xc7e9c0, 0xa1d99b, 0x74c476, 0x41ab5d, 0x238b45, 0x006d2c, 0x00441b}),
  GRAY(new int[] {0x000000, 0xffffff});

  private final int[] table = new int[256];

  Colormap(int[] anchors) {
    for (int i = 0; i < 256; i++) {
      double t = i / 255.0;
      table[i] = anchors == null ? jet(t) : interpolate(anchors, t);
    }
  }

  /** The packed 0xRRGGBB colour of {@code value}, clamped to [0, 1]; NaN maps to 0. */
  public int rgb(double value) {
    double v = Double.isNaN(value) ? 0 : Math.max(0, Math.min(1, value));
    return table[(int) Math.round(v * 255)];
  }

  /** Parses a name such as {@code "viridis"}. */
  public static Colormap parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Unknown colormap '" + name + "': expected one of "
          + java.util.Arrays.stream(values()).map(c -> c.name().toLowerCase(Locale.ROOT)).toList(), e);
    }
  }

  private static int interpolate(int[] anchors, double t) {
    double position = t * (anchors.length - 1);
    int i = Math.min((int) Math.floor(position), anchors.length - 2);
    double f = position - i;
    int a = anchors[i];
    int b = anchors[i + 1];
    return mix(a >> 16 & 255, b >> 16 & 255, f) << 16 | mix(a >> 8 & 255, b >> 8 & 255, f) << 8 | mix(a & 255, b & 255, f);
  }

  private static int mix(int a, int b, double f) {
    return (int) Math.round(a + (b - a) * f);
  }

  /** MATLAB's jet: red, green and blue ramps of slope 4 centred at 3/4, 1/2 and 1/4. */
  private static int jet(double t) {
    int r = channel(1.5 - Math.abs(4 * t - 3));
    int g = channel(1.5 - Math.abs(4 * t - 2));
    int b = channel(1.5 - Math.abs(4 * t - 1));
    return r << 16 | g << 8 | b;
  }

  private static int channel(double v) {
    return (int) Math.round(Math.max(0, Math.min(1, v)) * 255);
  }
}
