package org.explain4j.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.explain4j.render.text.HtmlHighlighter;
import org.explain4j.render.text.TokenWeights;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML opened in a real headless Chromium (Debian's {@code chromium}; {@code .ci/run} installs
 * it): highlighted spans counted, their computed background colours read, a screenshot kept in
 * {@code target/test-artifacts}, and hostile tokens checked to run nothing.
 */
class HtmlInChromiumTest {
  @TempDir Path tmp;

  private static Path chromium() {
    return org.explain4j.testkit.Chromium.require();
  }


  private String run(Path browser, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(browser.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + tmp.resolve("profile")));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectError(tmp.resolve("chromium.log").toFile()).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(90, TimeUnit.SECONDS), "Chromium did not finish");
    return new String(out, StandardCharsets.UTF_8);
  }

  private static TokenWeights sample() {
    return new TokenWeights(List.of("an", "absolutely", "wonderful", "<script>document.title='pwned'</script>",
        "<img src=x onerror=\"document.title='pwned'\">", "but", "slow"),
        new float[] {0.05f, 0.6f, 1f, 0.3f, 0.2f, -0.4f, -0.8f}, "positive <i>review</i>", 2.1f, 0.89);
  }

  @Test
  void spansAndComputedColoursInARealBrowser() throws Exception {
    Path browser = chromium();
    TokenWeights t = sample();
    // A probe page: our fragment, then a script of the test's own that writes what the browser computed.
    String probe = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>probe</title></head><body>"
        + HtmlHighlighter.fragment(List.of(t))
        + "<pre id=\"probe\"></pre><script>"
        + "const spans=[...document.querySelectorAll('span.e4j-token')];"
        + "document.getElementById('probe').textContent=spans.map(s=>getComputedStyle(s).backgroundColor+'|'+s.title+'|'+s.textContent).join('\\n');"
        + "</script></body></html>";
    Path page = tmp.resolve("probe.html");
    Files.writeString(page, probe);
    String dom = run(browser, "--dump-dom", page.toUri().toString());
    Matcher m = Pattern.compile("<pre id=\"probe\">(.*?)</pre>", Pattern.DOTALL).matcher(dom);
    assertTrue(m.find(), dom);
    List<String> rows = m.group(1).lines().toList();
    assertEquals(7, rows.size(), m.group(1));
    float[] weights = t.weights();
    for (int i = 0; i < rows.size(); i++) {
      String[] parts = rows.get(i).split("\\|", 3);
      // Browsers report an opaque colour as rgb(...), a translucent one as rgba(...).
      Matcher rgba = Pattern.compile("rgba?\\((\\d+), (\\d+), (\\d+)(?:, ([0-9.]+))?\\)").matcher(parts[0]);
      assertTrue(rgba.find(), parts[0]);
      boolean positive = weights[i] >= 0;
      assertEquals(positive ? 0 : 220, Integer.parseInt(rgba.group(1)), rows.get(i));
      assertEquals(positive ? 128 : 0, Integer.parseInt(rgba.group(2)), rows.get(i));
      float alpha = rgba.group(4) == null ? 1f : Float.parseFloat(rgba.group(4));
      assertEquals(Math.abs(weights[i]), alpha, 0.01, rows.get(i));
      assertEquals(weights[i], Float.parseFloat(parts[1]), 1e-4, "the tooltip holds the weight");
    }
    assertTrue(dom.contains("positive &lt;i&gt;review&lt;/i&gt;"), "the label is text, not markup");

    Path artifacts = Files.createDirectories(Path.of("target", "test-artifacts"));
    Path standalone = artifacts.resolve("text-explanation.html");
    Files.writeString(standalone, HtmlHighlighter.page("explain4j text explanation", List.of(t)));
    Path screenshot = artifacts.resolve("text-explanation.png").toAbsolutePath();
    run(browser, "--screenshot=" + screenshot, "--window-size=900,300", standalone.toUri().toString());
    assertTrue(Files.size(screenshot) > 1000, "a screenshot was taken: " + screenshot);
  }

  @Test
  void hostileTokensRunNoScript() throws Exception {
    Path browser = chromium();
    Path page = tmp.resolve("page.html");
    Files.writeString(page, HtmlHighlighter.page("safe title", List.of(sample())));
    String dom = run(browser, "--dump-dom", page.toUri().toString());
    assertTrue(dom.contains("<title>safe title</title>"), "no token script changed the title: " + dom);
    assertFalse(dom.contains("pwned</title>"), dom);
    assertFalse(dom.contains("<script>document.title"), "the script token stays text");
    assertFalse(Pattern.compile("<img[^>]*onerror", Pattern.CASE_INSENSITIVE).matcher(dom).find(), "no img element was created");
  }
}
