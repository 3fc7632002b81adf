package org.explain4j.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.explain4j.Explainer;
import org.explain4j.testkit.TestModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service as an operator runs it: shutdown under load, hostile and huge images, slow clients,
 * container-level errors and response bounds. Every fault targets 127.0.0.1, bounded in count and time.
 */
class ServiceProductionTest {
  @TempDir
  static Path dir;
  static Path cnn;

  @BeforeAll
  static void model() {
    cnn = TestModels.cnn(dir.resolve("cnn"), true);
  }

  static ServiceConfig.Builder config() {
    return ServiceConfig.builder().addModel("cnn", Explainer.builder().setModel(cnn).config()).optPort(0);
  }

  static String body(long seed) {
    return ServiceLoadAndFaultsTest.body(seed);
  }

  // ---- drain ----

  @Test
  void closingAnswersEveryAcceptedRequestIncludingOneStillSendingItsBodyAndRefusesNewConnections() throws Exception {
    // The queued request waits 2 s for company: it is still waiting when the second is accepted, however slow the machine.
    ExplainService service = ExplainService.start(config().optMaxBatchSize(8).optBatchTimeout(Duration.ofSeconds(2))
        .optShutdownTimeout(Duration.ofSeconds(10)).build());
    Http http = new Http(service.uri());
    int port = service.port();
    // Queued: waits for company when the shutdown begins.
    CompletableFuture<Http.Reply> queued = CompletableFuture.supplyAsync(() -> http.post("/v1/models/cnn:explain", body(1)));
    // Being read: half its body is sent before the shutdown, the rest after.
    byte[] slowBody = body(2).getBytes(StandardCharsets.UTF_8);
    try (Socket reading = sendPart(port, slowBody, slowBody.length / 2)) {
      OutputStream out = reading.getOutputStream();
      await(() -> service.inFlight() >= 2);
      assertEquals(2, service.inFlight(), "both requests were accepted before the shutdown");
      long start = System.nanoTime();
      CompletableFuture<Void> closing = CompletableFuture.runAsync(service::close);
      Thread.sleep(300);
      assertConnectionRefused(port);
      assertFalse(closing.isDone(), "the service waits for the request still being read");
      out.write(slowBody, slowBody.length / 2, slowBody.length - slowBody.length / 2);
      out.flush();
      String answer = readResponse(reading.getInputStream());
      assertTrue(answer.startsWith("HTTP/1.1 200"), answer.length() > 300 ? answer.substring(0, 300) : answer);
      assertEquals(200, queued.get(30, TimeUnit.SECONDS).status());
      closing.get(30, TimeUnit.SECONDS);
      double seconds = (System.nanoTime() - start) / 1e9;
      assertTrue(seconds < 10 + 1, "closing took " + seconds + " s");
    }
  }

  @Test
  void pastTheShutdownTimeoutTheRequestsLeftGetAJson503AndCloseReturnsWithinASecondMore() throws Exception {
    // A batch timeout far past the shutdown timeout: the request would wait 60 s for company.
    ExplainService service = ExplainService.start(config().optMaxBatchSize(8).optBatchTimeout(Duration.ofSeconds(60))
        .optShutdownTimeout(Duration.ofSeconds(1)).build());
    Http http = new Http(service.uri());
    CompletableFuture<Http.Reply> waiting = CompletableFuture.supplyAsync(() -> http.post("/v1/models/cnn:explain", body(3)));
    await(() -> service.batched() >= 1);
    long start = System.nanoTime();
    service.close();
    double seconds = (System.nanoTime() - start) / 1e9;
    assertTrue(seconds < 1 + 1, "closing took " + seconds + " s with a shutdown timeout of 1 s");
    Http.Reply reply = waiting.get(10, TimeUnit.SECONDS);
    ServiceEndpointsTest.assertError(503, "shut down", reply);
    assertEquals("1", reply.response().headers().firstValue("Retry-After").orElse(""));
  }

  // ---- decoding limits ----

  @Test
  void aHugePngIsRefusedFromItsHeaderQuicklyAndCostsNoMemory() throws Exception {
    byte[] huge = Pngs.rgb(30000, 30000, false); // about 11 MB declaring 900 million pixels (2.7 GB as RGB)
    String b64 = "{\"instances\": [{\"b64\": \"" + Base64.getEncoder().encodeToString(huge) + "\"}]}";
    try (ExplainService service = ExplainService.start(config().build())) {
      Http http = new Http(service.uri());
      http.get("/v2/health/live"); // the client's first connection is not part of what is measured
      long baseline = rssBytes();
      resetPeakRss();
      long start = System.nanoTime();
      Http.Reply raw = http.post("/v1/models/cnn:explain", huge, "image/png");
      double seconds = (System.nanoTime() - start) / 1e9;
      long growth = peakRssBytes() - baseline;
      ServiceEndpointsTest.assertError(413, "--max-pixels", raw);
      assertTrue(raw.json().get("error").asText().contains("30000x30000"), raw.text());
      assertTrue(seconds < 2, "the refusal took " + seconds + " s");
      assertTrue(growth < 300L << 20, "RSS grew by " + (growth >> 20) + " MB");
      // Three at once, encoded in JSON (they once ran the JVM out of heap): each refused the same way.
      List<CompletableFuture<Http.Reply>> three = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        three.add(CompletableFuture.supplyAsync(() -> http.post("/v1/models/cnn:predict", b64)));
      }
      for (CompletableFuture<Http.Reply> r : three) {
        ServiceEndpointsTest.assertError(413, "over the limit of " + ServiceConfig.DEFAULT_MAX_PIXELS + " pixels", r.get(30, TimeUnit.SECONDS));
      }
      assertEquals(200, http.get("/v2/health/live").status(), "the service goes on");
    }
  }

  @Test
  void manyLargeValidImagesAtOnceAreAllDecodedNotCalledCorrupt() throws Exception {
    String b64 = "{\"instances\": [{\"b64\": \"" + Base64.getEncoder().encodeToString(Pngs.rgb(4000, 4000, true)) + "\"}]}";
    try (ExplainService service = ExplainService.start(config().build())) {
      Http http = new Http(service.uri());
      List<CompletableFuture<Http.Reply>> replies = new ArrayList<>();
      for (int i = 0; i < 16; i++) { // the case: 16 concurrent 4000x4000 PNGs
        replies.add(CompletableFuture.supplyAsync(() -> http.post("/v1/models/cnn:predict", b64)));
      }
      for (CompletableFuture<Http.Reply> r : replies) {
        JsonNode ok = ServiceEndpointsTest.ok(r.get(60, TimeUnit.SECONDS));
        assertEquals(4, ok.get("predictions").get(0).size());
      }
    }
  }

  // ---- slow clients ----

  @Test
  void threeHundredSlowBodiesLeaveHealthChecksFastAndASlowBodyGetsAJson408() throws Exception {
    try (ExplainService service = ExplainService.start(config().optReadTimeout(Duration.ofSeconds(2)).build())) {
      List<Socket> slow = new ArrayList<>();
      try {
        for (int i = 0; i < 300; i++) {
          Socket s = new Socket("127.0.0.1", service.port());
          s.setSoTimeout(20_000);
          s.getOutputStream().write((headers("/v1/models/cnn:explain", 100_000) + "{").getBytes(StandardCharsets.US_ASCII));
          slow.add(s);
        }
        Http http = new Http(service.uri());
        for (int round = 0; round < 6; round++) {
          for (Socket s : slow) {
            try {
              s.getOutputStream().write(' '); // a byte at a time: a body that would take forever
            } catch (IOException closedByTheServer) {
              // refused (503) or timed out (408): the server let go of it
            }
          }
          long start = System.nanoTime();
          Http.Reply live = http.get("/v2/health/live");
          double seconds = (System.nanoTime() - start) / 1e9;
          assertEquals(200, live.status());
          assertTrue(seconds < 1, "health took " + seconds + " s beside 300 slow bodies");
          Thread.sleep(500);
        }
        // Every slow client got an answer: 503 (no reading slot) or 408 (past the read timeout), as JSON.
        int timedOut = 0;
        for (Socket s : slow) {
          String answer = readResponse(s.getInputStream());
          assertTrue(answer.startsWith("HTTP/1.1 503") || answer.startsWith("HTTP/1.1 408"), answer);
          assertTrue(answer.contains("application/json") && answer.contains("\"status\":"), answer);
          timedOut += answer.startsWith("HTTP/1.1 408") ? 1 : 0;
        }
        assertTrue(timedOut > 0, "some slow bodies were read until the read timeout");
      } finally {
        for (Socket s : slow) {
          s.close();
        }
      }
    }
  }

  // ---- errors ----

  @Test
  void containerLevelErrorsAreJsonAndNoBodyCarriesJavaInternals() throws Exception {
    try (ExplainService service = ExplainService.start(config().build())) {
      int port = service.port();
      String longUri = "GET /v1/models/" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: localhost\r\n\r\n";
      assertJsonStatus(414, exchange(port, longUri));
      String bigHeader = "GET /v2/health/live HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n";
      assertJsonStatus(431, exchange(port, bigHeader));
      assertJsonStatus(400, exchange(port, "GARBAGE\r\n\r\n"));
      assertJsonStatus(400, exchange(port, "POST /v1/models/cnn:explain HTTP/1.1\r\nHost: localhost\r\nContent-Length: x\r\n\r\n"));
      Http http = new Http(service.uri());
      List<Http.Reply> bad = List.of(
          http.post("/v1/models/cnn:explain", "{"),
          http.post("/v1/models/cnn:explain", "[1, 2]"),
          http.post("/v1/models/cnn:explain", "{\"instances\": [[[1]]]}"),
          http.post("/v1/models/cnn:explain", "{\"instances\": [{\"b64\": \"AAAA\"}]}"),
          http.post("/v1/models/cnn:explain", new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3}, "image/png"),
          http.post("/v1/models/cnn:explain", body(5).replace("]]]]}", "]]]], \"parameters\": {\"layer\": \"nope\"}}")),
          http.post("/v1/models/cnn:explain", body(5).replace("]]]]}", "]]]], \"parameters\": {\"method\": 7}}")),
          http.post("/v1/models/nope:explain", body(5)),
          http.get("/v1/models/cnn:explain"));
      for (Http.Reply r : bad) {
        assertTrue(r.status() >= 400 && r.status() < 500, r.status() + " " + r.text());
        String text = r.text();
        assertEquals(r.status(), r.json().get("status").asInt(), text);
        for (String internal : List.of("java.", "Exception", "at org.", "jackson", "jetty", "javalin", dir.toString())) {
          assertFalse(text.contains(internal), "'" + internal + "' in " + text);
        }
      }
    }
  }

  @Test
  void aClientThatLeavesMidBodyIsCounted499NotAsAServerError() throws Exception {
    try (ExplainService service = ExplainService.start(config().build())) {
      byte[] body = body(6).getBytes(StandardCharsets.UTF_8);
      try (Socket s = sendPart(service.port(), body, body.length / 3)) {
        await(() -> service.inFlight() >= 1);
      }
      await(() -> service.inFlight() == 0);
      String metrics = new Http(service.uri()).get("/metrics").text();
      assertTrue(metrics.contains("endpoint=\"explain\",model=\"cnn\",status=\"499\"} 1.0"), metrics);
      assertFalse(metrics.contains("status=\"500\""), metrics);
    }
  }

  // ---- bounds ----

  @Test
  void anAnswerOverTheResponseCapIs400NamingIt() throws Exception {
    try (ExplainService service = ExplainService.start(config().optMaxResponseBytes(2000).build())) {
      Http http = new Http(service.uri());
      ServiceEndpointsTest.ok(http.post("/v1/models/cnn:predict", body(7)));
      Http.Reply big = http.post("/v1/models/cnn:explain", body(7).replace("]]]]}", "]]]], \"parameters\": {\"top_k\": 4}}"));
      ServiceEndpointsTest.assertError(400, "--max-response-bytes", big);
      assertTrue(big.json().get("error").asText().contains("2000 bytes"), big.text());
    }
  }

  // ---- helpers ----

  /** A connection that has sent the headers of an explain request for {@code body} and its first {@code bytes} bytes. */
  private static Socket sendPart(int port, byte[] body, int bytes) throws IOException {
    Socket s = new Socket("127.0.0.1", port);
    s.setSoTimeout(30_000);
    OutputStream out = s.getOutputStream();
    out.write(headers("/v1/models/cnn:explain", body.length).getBytes(StandardCharsets.US_ASCII));
    out.write(body, 0, bytes);
    out.flush();
    return s;
  }

  /** Waits up to 30 s for {@code condition}; the assertions after it say what was expected. */
  private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean() && System.nanoTime() < until) {
      Thread.sleep(5);
    }
  }

  static String headers(String path, int length) {
    return "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: " + length + "\r\n\r\n";
  }

  private static void assertConnectionRefused(int port) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      // Accepted by the kernel's backlog only if the socket were still listening: it must not be.
      s.setSoTimeout(2000);
      s.getOutputStream().write("GET /v2/health/live HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      String answer = readResponse(s.getInputStream());
      throw new AssertionError("a new connection was accepted during the shutdown: " + answer);
    } catch (ConnectException expected) {
      // refused: the listening socket is closed
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** One raw HTTP exchange on a new connection: the response as text. */
  private static String exchange(int port, String request) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(20_000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      return readResponse(s.getInputStream());
    }
  }

  /** A response's head and body (by Content-Length, else until the server closes). */
  static String readResponse(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0) {
      head.append((char) c);
      if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
        break;
      }
    }
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
    byte[] body = m.find() ? in.readNBytes(Integer.parseInt(m.group(1))) : in.readAllBytes();
    return head + new String(body, StandardCharsets.UTF_8);
  }

  private static void assertJsonStatus(int status, String response) {
    assertTrue(response.startsWith("HTTP/1.1 " + status), response);
    assertTrue(response.toLowerCase(java.util.Locale.ROOT).contains("content-type: application/json"), response);
    String body = response.substring(response.indexOf("\r\n\r\n") + 4);
    assertTrue(body.startsWith("{\"error\":") && body.contains("\"status\":" + status), response);
    assertFalse(body.contains("<html") || body.contains("Exception") || body.contains("jetty"), response);
  }

  private static long rssBytes() throws IOException {
    return statusField("VmRSS:");
  }

  private static long peakRssBytes() throws IOException {
    return statusField("VmHWM:");
  }

  /** Linux: writing 5 to clear_refs resets the peak resident set size (VmHWM) to the current one. */
  private static void resetPeakRss() throws IOException {
    Files.writeString(Path.of("/proc/self/clear_refs"), "5");
  }

  private static long statusField(String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith(field)) {
        return Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
      }
    }
    throw new IllegalStateException("no " + field + " in /proc/self/status");
  }
}
