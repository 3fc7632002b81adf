package org.explain4j.render;

import java.awt.image.BufferedImage;
import java.util.List;
import org.explain4j.cam.Interpolation;
import org.explain4j.render.image.ImageStyle;
import org.explain4j.render.text.Padding;
import org.explain4j.Targets;

/**
 * Options of {@link Renderers#show}: targets, the format (chosen from the model kind by default),
 * and the image and text settings. Immutable; build with {@link #builder()}.
 */
public record ShowOptions(
    Targets targets,
    Rendering.Format format,
    ImageStyle imageStyle,
    List<BufferedImage> images,
    List<List<String>> tokens,
    String padValue,
    Padding padding,
    Interpolation textInterpolation,
    String modelName) {

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these options, to change some of them. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.targets = targets;
    b.format = format;
    b.imageStyle = imageStyle;
    b.images = images;
    b.tokens = tokens;
    b.padValue = padValue;
    b.padding = padding;
    b.textInterpolation = textInterpolation;
    b.modelName = modelName;
    return b;
  }

  /** Configures {@link ShowOptions}; every setting is optional. */
  public static final class Builder {
    private Targets targets = Targets.predicted();
    private Rendering.Format format = Rendering.Format.AUTO;
    private ImageStyle imageStyle = ImageStyle.defaults();
    private List<BufferedImage> images;
    private List<List<String>> tokens;
    private String padValue;
    private Padding padding = Padding.POST;
    private Interpolation textInterpolation = Interpolation.BILINEAR;
    private String modelName = "";

    public Builder optTargets(Targets targets) {
      this.targets = targets;
      return this;
    }

    /** Forces a format instead of choosing one from the model kind. */
    public Builder optFormat(Rendering.Format format) {
      this.format = format;
      return this;
    }

    public Builder optImageStyle(ImageStyle style) {
      this.imageStyle = style;
      return this;
    }

    /** The original images to draw the maps over; by default the input itself is drawn. */
    public Builder optImages(List<BufferedImage> images) {
      this.images = List.copyOf(images);
      return this;
    }

    /** The tokens of each item, for text models; by default the input values (ids) are shown. */
    public Builder optTokens(List<List<String>> tokens) {
      this.tokens = tokens.stream().map(List::copyOf).toList();
      return this;
    }

    /** The padding token (or id, as text) to remove before display, and where padding sits. */
    public Builder optPadding(String padValue, Padding padding) {
      this.padValue = padValue;
      this.padding = padding;
      return this;
    }

    /** How a sequence map is interpolated to the token count. */
    public Builder optTextInterpolation(Interpolation kind) {
      this.textInterpolation = kind;
      return this;
    }

    /** The model's name in JSON output. */
    public Builder optModelName(String name) {
      this.modelName = name;
      return this;
    }

    public ShowOptions build() {
      return new ShowOptions(targets, format, imageStyle, images, tokens, padValue, padding, textInterpolation, modelName);
    }
  }
}
