package org.explain4j.render;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.explain4j.Explanation;
import org.explain4j.TargetExplanation;
import org.explain4j.input.InputBatch;
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
    List<TokenWeights> weights = new ArrayList<>();
    for (TargetExplanation t : explanation.targets()) {
      List<String> tokens = options.tokens() != null ? options.tokens().get(t.item()) : input.itemStrings(t.item());
      weights.add(TokenWeights.of(t, tokens, options.padValue(), options.padding(), options.textInterpolation()));
    }
    return HtmlHighlighter.page("explain4j: " + explanation.layer(), weights).getBytes(StandardCharsets.UTF_8);
  }
}
