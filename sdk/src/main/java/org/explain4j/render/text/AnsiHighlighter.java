package org.explain4j.render.text;

import java.util.List;
import java.util.Locale;

/** Renders token weights for a terminal: ANSI 24-bit background colours, green positive, red negative. */
public final class AnsiHighlighter {
  private static final String RESET = "\u001b[0m";

  private AnsiHighlighter() {}

  public static String render(TokenWeights t) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "y=%s (score %.3f%s)%n", t.label(), t.score(),
        t.probability() != null ? String.format(Locale.ROOT, ", probability %.3f", t.probability()) : ""));
    List<String> tokens = t.tokens();
    float[] weights = t.weights();
    for (int i = 0; i < tokens.size(); i++) {
      if (i > 0) {
        sb.append(' ');
      }
      float a = Math.min(1f, Math.abs(weights[i]));
      int level = Math.round(40 + 180 * a);
      String background = weights[i] >= 0 ? "0;" + level + ";0" : level + ";0;0";
      // Control characters in tokens could drive the terminal: show them as '?'.
      sb.append("\u001b[48;2;").append(background).append('m').append(tokens.get(i).replaceAll("\\p{Cntrl}", "?")).append(RESET);
    }
    return sb.append('\n').toString();
  }
}
