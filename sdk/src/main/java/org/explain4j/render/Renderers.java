package org.explain4j.render;

import org.explain4j.Explainer;
import org.explain4j.Explanation;
import org.explain4j.input.InputBatch;
import org.explain4j.model.Layer;
import org.tensorflow.proto.DataType;

/** One call that explains and renders, choosing the format from the model kind; and the renderer of each format. */
public final class Renderers {
  private Renderers() {}

  /** {@link #show(Explainer, InputBatch, ShowOptions)} with the default options. */
  public static Rendering show(Explainer explainer, InputBatch input) {
    return show(explainer, input, ShowOptions.builder().build());
  }

  /**
   * Explains {@code input} and renders the result: image inputs (a spatial layer) give a PNG of
   * heat-map overlays, one captioned tile per item and target; token inputs (integer ids, or a
   * temporal layer) give an HTML page with highlighted tokens; anything else a text table. The
   * options can force a format (JSON and CSV included).
   */
  public static Rendering show(Explainer explainer, InputBatch input, ShowOptions options) {
    Explanation explanation = explainer.explain(input, options.targets());
    Rendering.Format format = options.format() == Rendering.Format.AUTO ? choose(explainer.layer(), input) : options.format();
    return render(explanation, input, withTextTokens(explainer, input, options).toBuilder().optFormat(format).build());
  }

  /**
   * The options with a raw-text model's own tokens (its vocabulary's words per padded position,
   * padding "" removed from the end) where none were given: sentences carry no tokens of their own.
   */
  public static ShowOptions withTextTokens(Explainer explainer, InputBatch input, ShowOptions options) {
    boolean text = input.dataType() == DataType.DT_STRING && explainer.layer().isTemporal() && options.tokens() == null;
    if (!text) {
      return options;
    }
    ShowOptions.Builder b = options.toBuilder().optTokens(explainer.textTokens(input));
    if (options.padValue() == null) {
      b.optPadding("", org.explain4j.render.text.Padding.POST);
    }
    return b.build();
  }

  /** Renders an explanation made already, in the options' format (a text table for {@code AUTO}). */
  public static Rendering render(Explanation explanation, InputBatch input, ShowOptions options) {
    Renderer renderer = forFormat(options.format());
    return new Rendering(renderer.format(), renderer.format().mediaType, renderer.render(explanation, input, options), explanation);
  }

  /** The renderer of a format; {@code AUTO} gives the text table. */
  public static Renderer forFormat(Rendering.Format format) {
    return switch (format) {
      case PNG -> new OverlayRenderer();
      case HTML -> new TokenRenderer();
      case JSON, CSV -> new RawRenderer(format);
      case TEXT, AUTO -> new RawRenderer(Rendering.Format.TEXT);
    };
  }

  /** The format a layer's explanations read best in: HTML for sequences, PNG for images, else text (dense layers included). */
  public static Rendering.Format choose(Layer layer, InputBatch input) {
    boolean ids = input.dataType() == DataType.DT_INT32 || input.dataType() == DataType.DT_INT64;
    boolean image = !ids && input.shape().numDimensions() == 4;
    // Raw text (a string input explained at a temporal layer) is highlighted like token ids.
    if (input.dataType() == DataType.DT_STRING && layer.isTemporal()) {
      return Rendering.Format.HTML;
    }
    // An image's maps are drawn over it, whether the layer is spatial or a transformer's tokens.
    if (image && (layer.isSpatial() || layer.isTemporal())) {
      return Rendering.Format.PNG;
    }
    // Token ids explained at a dense layer give a map over its units, not over the tokens.
    if (layer.isTemporal() || (ids && layer.shape().numDimensions() > 2)) {
      return Rendering.Format.HTML;
    }
    if (layer.isSpatial()) {
      return Rendering.Format.PNG;
    }
    return Rendering.Format.TEXT;
  }

}
