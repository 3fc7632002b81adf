package org.explain4j.render.image;

import java.util.Locale;

/** The filter used to resize a heat map to an image's size. */
public enum Resampling {
  NEAREST(0.5),
  BILINEAR(1),
  BICUBIC(2),
  /** Lanczos with three lobes. */
  LANCZOS(3);

  final double support;

  Resampling(double support) {
    this.support = support;
  }

  /** The filter's weight at distance {@code x} (in source cells). */
  double weight(double x) {
    double ax = Math.abs(x);
    return switch (this) {
      case NEAREST -> ax < 0.5 || x == -0.5 ? 1 : 0;
      case BILINEAR -> ax < 1 ? 1 - ax : 0;
      case BICUBIC -> ax <= 1 ? (1.5 * ax - 2.5) * ax * ax + 1 : ax < 2 ? ((-0.5 * ax + 2.5) * ax - 4) * ax + 2 : 0;
      case LANCZOS -> ax < 1e-9 ? 1 : ax < 3 ? 3 * Math.sin(Math.PI * ax) * Math.sin(Math.PI * ax / 3) / (Math.PI * Math.PI * ax * ax) : 0;
    };
  }

  /** Parses a name such as {@code "lanczos"}. */
  public static Resampling parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Unknown resampling filter '" + name + "': expected nearest, bilinear, bicubic or lanczos", e);
    }
  }
}
