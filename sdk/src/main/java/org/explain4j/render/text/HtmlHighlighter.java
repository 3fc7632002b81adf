package org.explain4j.render.text;

import java.util.List;
import java.util.Locale;

/**
 * Renders token weights as HTML in the ELI5 style: each token on a background of green (positive)
 * or red (negative) whose opacity is the weight's magnitude, the weight in its tooltip, and the
 * target's label and score above. Every token and label is HTML-escaped.
 */
public final class HtmlHighlighter {
  private HtmlHighlighter() {}

  /** An embeddable fragment: one {@code div.e4j-explanation} per explanation. */
  public static String fragment(List<TokenWeights> explanations) {
    StringBuilder sb = new StringBuilder();
    for (TokenWeights t : explanations) {
      sb.append("<div class=\"e4j-explanation\">\n<p class=\"e4j-target\">");
      sb.append("y=").append(escape(t.label()));
      sb.append(String.format(Locale.ROOT, " (score %.3f", t.score()));
      if (t.probability() != null) {
        sb.append(String.format(Locale.ROOT, ", probability %.3f", t.probability()));
      }
      sb.append(")</p>\n<p class=\"e4j-text\">");
      List<String> tokens = t.tokens();
      float[] weights = t.weights();
      for (int i = 0; i < tokens.size(); i++) {
        if (i > 0) {
          sb.append(' ');
        }
        float w = weights[i];
        String color = w >= 0 ? "0, 128, 0" : "220, 0, 0";
        sb.append(String.format(Locale.ROOT,
            "<span class=\"e4j-token\" style=\"background-color: rgba(%s, %.3f)\" title=\"%.4f\">", color, Math.abs(w), w));
        sb.append(escape(tokens.get(i))).append("</span>");
      }
      sb.append("</p>\n</div>\n");
    }
    return sb.toString();
  }

  /** A standalone page holding the fragment. */
  public static String page(String title, List<TokenWeights> explanations) {
    return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + escape(title) + "</title>\n"
        + "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em;line-height:1.8}"
        + ".e4j-token{padding:0.1em 0.15em;border-radius:0.2em}.e4j-target{font-weight:bold}</style>\n"
        + "</head>\n<body>\n" + fragment(explanations) + "</body>\n</html>\n";
  }

  /** Escapes text for HTML content and attribute values. */
  public static String escape(String text) {
    StringBuilder sb = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }
}
