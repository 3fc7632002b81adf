package org.explain4j.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.explain4j.Explainer;
import org.explain4j.testkit.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service's web page in a real headless Chromium, driven over the DevTools protocol (the JDK's
 * WebSocket client, no driver library): a photo is set on the page's file input as a user's choice
 * would be, two methods are ticked, and the test waits for the overlays and checks that each is a
 * decoded image of the photo's size with its label and probability.
 */
class WebPageInChromiumTest {
  @TempDir
  Path tmp;

  private static Path chromium() {
    return org.explain4j.testkit.Chromium.require();
  }


  @Test
  void aChosenPhotoIsExplainedWithTwoMethodsAndTheOverlaysAreDrawn() throws Exception {
    Path browser = chromium();
    Path model = TestData.model("mobilenet-v1-025-128-frozen");
    Path photo = TestData.image("grace_hopper.jpg").toAbsolutePath();
    var config = Explainer.builder().setModel(model.resolve("frozen_graph.pb")).optLabels(model.resolve("labels.txt")).config();
    try (ExplainService service = ExplainService.start(ServiceConfig.builder().addModel("mobilenet", config).optPort(0).build())) {
      Process chrome = new ProcessBuilder(browser.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
          "--disable-background-networking", "--disable-component-update", "--disable-sync", "--remote-debugging-port=0",
          "--user-data-dir=" + tmp.resolve("profile"), "--window-size=1200,900", service.uri() + "/")
          .redirectErrorStream(true).start();
      try (Cdp cdp = Cdp.connect(chrome)) {
        // The page loads the model list and the model's methods: wait for the checkboxes.
        cdp.waitFor("document.querySelectorAll('#methods input').length > 0", 60);
        cdp.evaluate("document.querySelector('#methods input[value=\"grad-cam++\"]').click()");
        int document = cdp.call("DOM.getDocument", Map.of()).get("root").get("nodeId").asInt();
        int input = cdp.call("DOM.querySelector", Map.of("nodeId", document, "selector", "#file")).get("nodeId").asInt();
        // As a user's file choice: the page reads it and explains at once.
        cdp.call("DOM.setFileInputFiles", Map.of("nodeId", input, "files", List.of(photo.toString())));
        cdp.waitFor("document.querySelectorAll('img.overlay').length === 2"
            + " && [...document.querySelectorAll('img.overlay')].every(i => i.complete && i.naturalWidth > 0)", 120);
        String drawn = cdp.evaluate("JSON.stringify([...document.querySelectorAll('#results figure')].map(f => ({"
            + "w: f.querySelector('img').naturalWidth, h: f.querySelector('img').naturalHeight,"
            + "caption: f.querySelector('figcaption').textContent})))").asText();
        JsonNode figures = Http.JSON.readTree(drawn);
        assertEquals(2, figures.size(), drawn);
        java.awt.image.BufferedImage original = org.explain4j.input.Images.read(photo);
        List<String> methods = List.of("grad-cam", "grad-cam++");
        for (int i = 0; i < 2; i++) {
          JsonNode f = figures.get(i);
          assertEquals(original.getWidth(), f.get("w").asInt(), "the overlay is drawn over the photo: " + drawn);
          assertEquals(original.getHeight(), f.get("h").asInt(), drawn);
          // "grad-cam: 835:suit, suit of clothes (30.7%)": the method, the model's label, the probability.
          assertTrue(f.get("caption").asText().matches(Pattern.quote(methods.get(i)) + ": .*suit.* \\(\\d+\\.\\d%\\)"), drawn);
        }
        assertTrue(cdp.evaluate("document.getElementById('download').href.startsWith('blob:')").asBoolean(), "the JSON can be downloaded");
        assertTrue(cdp.evaluate("document.getElementById('status').textContent").asText().startsWith("Done: 2 overlays"));
        Path screenshot = Files.createDirectories(Path.of("target", "test-artifacts")).resolve("web-page.png");
        Files.write(screenshot, java.util.Base64.getDecoder().decode(cdp.call("Page.captureScreenshot", Map.of()).get("data").asText()));
      } finally {
        chrome.destroyForcibly();
        chrome.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }

  /** A minimal Chrome DevTools Protocol client over the JDK's WebSocket: calls by id, answers matched by id. */
  static final class Cdp implements AutoCloseable, WebSocket.Listener {
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;

    static Cdp connect(Process chrome) throws Exception {
      // Chromium prints "DevTools listening on ws://127.0.0.1:PORT/devtools/browser/ID" when it is up.
      BufferedReader out = new BufferedReader(new InputStreamReader(chrome.getInputStream(), StandardCharsets.UTF_8));
      Pattern listening = Pattern.compile("DevTools listening on ws://127\\.0\\.0\\.1:(\\d+)/");
      CompletableFuture<Integer> port = CompletableFuture.supplyAsync(() -> {
        try {
          for (String line = out.readLine(); line != null; line = out.readLine()) {
            Matcher m = listening.matcher(line);
            if (m.find()) {
              Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "chromium-output");
              drain.setDaemon(true);
              drain.start();
              return Integer.parseInt(m.group(1));
            }
          }
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        throw new IllegalStateException("Chromium ended without opening DevTools");
      });
      int devtools = port.get(60, TimeUnit.SECONDS);
      HttpClient http = HttpClient.newHttpClient();
      String page = null;
      for (int attempt = 0; attempt < 100 && page == null; attempt++) {
        JsonNode targets = Http.JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + devtools + "/json/list"))
            .build(), HttpResponse.BodyHandlers.ofString()).body());
        for (JsonNode t : targets) {
          if (t.get("type").asText().equals("page")) {
            page = t.get("webSocketDebuggerUrl").asText();
          }
        }
        if (page == null) {
          Thread.sleep(100);
        }
      }
      assertTrue(page != null, "Chromium opened no page");
      Cdp cdp = new Cdp();
      cdp.socket = http.newWebSocketBuilder().buildAsync(URI.create(page), cdp).get(30, TimeUnit.SECONDS);
      return cdp;
    }

    JsonNode call(String method, Map<String, ?> params) throws Exception {
      int id = ids.incrementAndGet();
      CompletableFuture<JsonNode> answer = new CompletableFuture<>();
      pending.put(id, answer);
      ObjectNode message = Http.JSON.createObjectNode().put("id", id).put("method", method);
      message.set("params", Http.JSON.valueToTree(params));
      socket.sendText(message.toString(), true).get(30, TimeUnit.SECONDS);
      JsonNode reply = answer.get(60, TimeUnit.SECONDS);
      if (reply.has("error")) {
        throw new AssertionError(method + " failed: " + reply.get("error"));
      }
      return reply.get("result");
    }

    /** The value of a JavaScript expression in the page. */
    JsonNode evaluate(String expression) throws Exception {
      JsonNode result = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true));
      if (result.has("exceptionDetails")) {
        throw new AssertionError("The page threw: " + result.get("exceptionDetails"));
      }
      return result.get("result").get("value");
    }

    /** Polls until {@code condition} holds in the page, failing with the page's status text after {@code seconds}. */
    void waitFor(String condition, int seconds) throws Exception {
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      while (!evaluate("Boolean(" + condition + ")").asBoolean()) {
        if (System.nanoTime() > until) {
          throw new AssertionError("Never true: " + condition + "; the page says: "
              + evaluate("(document.getElementById('status') || {}).textContent"));
        }
        Thread.sleep(100);
      }
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        try {
          JsonNode message = Http.JSON.readTree(partial.toString());
          if (message.has("id")) {
            CompletableFuture<JsonNode> f = pending.remove(message.get("id").asInt());
            if (f != null) {
              f.complete(message);
            }
          }
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        } finally {
          partial.setLength(0);
        }
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public void close() {
      if (socket != null) {
        socket.abort();
      }
    }
  }
}
