package org.explain4j.cam;

/**
 * How a low-resolution map is resampled to the input's size.
 *
 * <p>All kinds use half-pixel centres (source coordinate {@code (dst + 0.5) * in / out - 0.5}),
 * as OpenCV's {@code resize} and TensorFlow's {@code resize} with {@code half_pixel_centers}, and
 * clamp at the borders. {@link #BICUBIC} is Keys' cubic convolution with {@code a = -0.5}.
 */
public enum Interpolation {
  /** Each output cell takes the value of the source cell it falls in. */
  NEAREST(0),
  /** Linear in each axis (linear for sequences). */
  BILINEAR(1),
  /** Cubic convolution in each axis (cubic for sequences); may overshoot, so results are clamped. */
  BICUBIC(2),
  /**
   * Lanczos with three lobes: for drawing maps over images (the renderers' finest filter). The
   * native engines do not resample with it, so explainers do not take it.
   */
  LANCZOS(3);

  private final int code;

  Interpolation(int code) {
    this.code = code;
  }

  /**
   * The number native engines know this kind by: the {@code e4j::Interpolation} values in
   * {@code cam_math.h}, fixed so that reordering this enum changes nothing.
   */
  public int code() {
    return code;
  }

  /** Parses a name such as {@code "bilinear"}, {@code "linear"}, {@code "cubic"} or {@code "nearest"}. */
  public static Interpolation parse(String name) {
    switch (name.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "nearest":
        return NEAREST;
      case "linear":
      case "bilinear":
        return BILINEAR;
      case "cubic":
      case "bicubic":
        return BICUBIC;
      case "lanczos":
        return LANCZOS;
      default:
        throw new IllegalArgumentException(
            "Unknown interpolation '" + name + "': expected nearest, bilinear (linear), bicubic (cubic) or lanczos");
    }
  }
}
