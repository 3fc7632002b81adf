package org.explain4j.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.explain4j.HeatMap;
import org.explain4j.TargetExplanation;
import org.explain4j.cam.Interpolation;
import org.explain4j.render.text.AnsiHighlighter;
import org.explain4j.render.text.HtmlHighlighter;
import org.explain4j.render.text.Padding;
import org.explain4j.render.text.TokenWeights;
import org.junit.jupiter.api.Test;

class TextFormatsTest {

  static TargetExplanation sequence(float... layerMap) {
    HeatMap map = HeatMap.of(1, layerMap.length, layerMap);
    return new TargetExplanation(0, 1, Optional.of("positive"), 2.5f, OptionalDouble.of(0.9), map, map, "features",
        "grad-cam", "java", false);
  }

  @Test
  void sameLengthMapsAreNormalisedAndPaddingIsCut() {
    TargetExplanation t = sequence(0, 2, 4, -1, 0, 0);
    List<String> tokens = List.of("the", "movie", "great", "sadly", "<pad>", "<pad>");
    TokenWeights post = TokenWeights.of(t, tokens, "<pad>", Padding.POST, Interpolation.NEAREST);
    assertEquals(List.of("the", "movie", "great", "sadly"), post.tokens());
    assertArrayEquals(new float[] {0, 0.5f, 1, -0.25f}, post.weights(), 1e-6f);
    assertEquals("positive", post.label());
    TokenWeights pre = TokenWeights.of(sequence(0, 0, 3, 1), List.of("<pad>", "<pad>", "good", "film"), "<pad>", Padding.PRE,
        Interpolation.NEAREST);
    assertEquals(List.of("good", "film"), pre.tokens());
    assertArrayEquals(new float[] {1, 1 / 3f}, pre.weights(), 1e-6f);
    // A pad token inside the text stays: only the leading or trailing run is padding.
    assertEquals(4, TokenWeights.of(sequence(1, 1, 1, 1), List.of("a", "<pad>", "b", "<pad>"), "<pad>", Padding.PRE,
        Interpolation.NEAREST).tokens().size());
  }

  @Test
  void coarseMapsAreInterpolatedToTheTokenCount() {
    // Two cells over four tokens: nearest repeats, linear ramps between the half-pixel centres.
    TargetExplanation t = sequence(0, 1);
    List<String> tokens = List.of("a", "b", "c", "d");
    assertArrayEquals(new float[] {0, 0, 1, 1}, TokenWeights.of(t, tokens, null, Padding.POST, Interpolation.NEAREST).weights());
    assertArrayEquals(new float[] {0, 0.25f, 0.75f, 1}, TokenWeights.of(t, tokens, null, Padding.POST, Interpolation.BILINEAR).weights(), 1e-6f);
    float[] cubic = TokenWeights.of(t, tokens, null, Padding.POST, Interpolation.BICUBIC).weights();
    assertTrue(cubic[0] <= cubic[1] && cubic[1] <= cubic[2] && cubic[2] <= cubic[3], java.util.Arrays.toString(cubic));
    HeatMap image = HeatMap.of(2, 2, new float[] {1, 2, 3, 4});
    TargetExplanation spatial = new TargetExplanation(0, 0, Optional.empty(), 1, OptionalDouble.empty(), image, image, "x", "m", "e", false);
    assertThrows(org.explain4j.exceptions.InvalidInputException.class, () -> TokenWeights.of(spatial, tokens, null, Padding.POST, Interpolation.NEAREST));
  }

  @Test
  void htmlEscapesEveryTokenAndLabel() {
    String evil = "<script>alert(1)</script>";
    TokenWeights t = new TokenWeights(List.of(evil, "a&b", "\"q\"", "it's"), new float[] {0.5f, -0.5f, 1, 0}, "<b>label</b>", 1, null);
    String html = HtmlHighlighter.fragment(List.of(t));
    assertFalse(html.contains("<script>"), html);
    assertFalse(html.contains("<b>label"), html);
    assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), html);
    assertTrue(html.contains("a&amp;b") && html.contains("&quot;q&quot;") && html.contains("it&#39;s"), html);
    assertTrue(html.contains("background-color: rgba(0, 128, 0, 0.500)\" title=\"0.5000\""), html);
    assertTrue(html.contains("background-color: rgba(220, 0, 0, 0.500)\" title=\"-0.5000\""), html);
    String page = HtmlHighlighter.page("t <x>", List.of(t));
    assertTrue(page.startsWith("<!DOCTYPE html>") && page.contains("<title>t &lt;x&gt;</title>"), page);
  }

  @Test
  void ansiUsesBackgroundColoursAndNeutralisesControlCharacters() {
    TokenWeights t = new TokenWeights(List.of("good", "bad", "x\u001b[2Jy"), new float[] {1, -1, 0}, "pos", 1, 0.75);
    String out = AnsiHighlighter.render(t);
    assertTrue(out.contains("\u001b[48;2;0;220;0mgood\u001b[0m"), out);
    assertTrue(out.contains("\u001b[48;2;220;0;0mbad\u001b[0m"), out);
    assertTrue(out.contains("x?[2Jy"), "the token's own escape sequence is defused: " + out);
    assertTrue(out.startsWith("y=pos (score 1.000, probability 0.750)"), out);
  }
}
