package org.explain4j.render;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.explain4j.Explanation;
import org.explain4j.TargetExplanation;
import org.explain4j.exceptions.InvalidInputException;
import org.explain4j.input.InputBatch;
import org.explain4j.model.LayerKind;
import org.explain4j.render.text.HtmlHighlighter;
import org.explain4j.render.text.TokenWeights;

/** HTML: each item's tokens highlighted by their weight, ELI5 style. */
final class TokenRenderer implements Renderer {

  @Override
  public Rendering.Format format() {
    return Rendering.Format.HTML;
  }

  @Override
  public byte[] render(Explanation explanation, InputBatch input, ShowOptions options) {
    LayerKind kind = explanation.provenance().layerKind();
    if (kind != LayerKind.TEMPORAL) {
      // A dense layer's 1 x units map looks like token weights but is not: refuse, do not stretch it.
      throw new InvalidInputException("Token highlighting needs a map over time steps (a temporal layer [batch, time, channels]);"
          + " layer '" + explanation.layer() + "' is " + kind.name().toLowerCase(java.util.Locale.ROOT)
          + ": render it as text, JSON or CSV, or explain a temporal layer");
    }
    List<TokenWeights> weights = new ArrayList<>();
    for (TargetExplanation t : explanation.targets()) {
      List<String> tokens = options.tokens() != null ? options.tokens().get(t.item()) : displayed(input, t.item());
      weights.add(TokenWeights.of(t, tokens, options.padValue(), options.padding(), options.textInterpolation()));
    }
    return HtmlHighlighter.page("explain4j: " + explanation.layer(), weights).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * What stands for an item's tokens when none were given: its ids for {@code [batch, tokens]},
   * the step indices {@code #0, #1, ...} for a pre-embedded sequence {@code [batch, time, features]}
   * (no token can be read back from vectors).
   */
  static List<String> displayed(InputBatch input, int item) {
    long[] shape = input.shape().asArray();
    if (shape.length == 3) {
      List<String> steps = new ArrayList<>();
      for (int i = 0; i < shape[1]; i++) {
        steps.add("#" + i);
      }
      return steps;
    }
    return input.itemStrings(item);
  }
}
