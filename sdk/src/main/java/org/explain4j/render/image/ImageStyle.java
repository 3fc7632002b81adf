package org.explain4j.render.image;

import org.explain4j.cam.Interpolation;

/**
 * How heat maps are drawn: the colormap, the largest opacity of the overlay (opacity grows with
 * the value, as ELI5's {@code alpha_limit}), the filter that resizes the map to the image, and
 * whether a colour bar with values is added. Immutable; build with {@link #builder()}.
 */
public record ImageStyle(Colormap colormap, float alphaLimit, Interpolation resampling, boolean colorBar) {

  public ImageStyle {
    if (!(alphaLimit >= 0 && alphaLimit <= 1)) {
      throw new IllegalArgumentException("alphaLimit must be in [0, 1], got " + alphaLimit);
    }
  }

  /** Jet, alpha limit 0.6, bilinear, no colour bar. */
  public static ImageStyle defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds an {@link ImageStyle}; every setting is optional. */
  public static final class Builder {
    private Colormap colormap = Colormap.JET;
    private float alphaLimit = 0.6f;
    private Interpolation resampling = Interpolation.BILINEAR;
    private boolean colorBar;

    public Builder optColormap(Colormap colormap) {
      this.colormap = colormap;
      return this;
    }

    public Builder optAlphaLimit(float alphaLimit) {
      this.alphaLimit = alphaLimit;
      return this;
    }

    /** The filter that resizes the map to the image: bilinear by default; Lanczos is the sharpest. */
    public Builder optResampling(Interpolation resampling) {
      this.resampling = resampling;
      return this;
    }

    public Builder optColorBar(boolean colorBar) {
      this.colorBar = colorBar;
      return this;
    }

    public ImageStyle build() {
      return new ImageStyle(colormap, alphaLimit, resampling, colorBar);
    }
  }
}
