package org.explain4j.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.explain4j.Explainer;
import org.explain4j.Explanation;
import org.explain4j.input.InputBatch;
import org.explain4j.testkit.TestModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Merging, bursts, a soak, a full queue, broken and slow clients, tokens and shutdown: each with
 * its own service, so that the settings under test are the only ones that differ.
 */
class ServiceLoadAndFaultsTest {
  static final int H = TestModels.H;
  static final int W = TestModels.W;

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
    return Http.instances(TestModels.imageValues(1, seed), 1, H, W, 3, null);
  }

  @Test
  void concurrentRequestsAreMergedIntoOneRunAndEachGetsItsOwnItems() throws Exception {
    // A long batch timeout and a batch of exactly four: the run starts when the fourth request arrives.
    try (ExplainService service = ExplainService.start(config().optMaxBatchSize(4).optBatchTimeout(Duration.ofSeconds(30)).build());
        Explainer reference = Explainer.builder().setModel(cnn).build()) {
      Http http = new Http(service.uri());
      List<CompletableFuture<Http.Reply>> replies = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        String body = body(100 + i);
        replies.add(CompletableFuture.supplyAsync(() -> http.post("/v1/models/cnn:explain", body)));
      }
      for (int i = 0; i < 4; i++) {
        JsonNode r = ServiceEndpointsTest.ok(replies.get(i).get(60, TimeUnit.SECONDS));
        Explanation expected = reference.explain(InputBatch.ofFloats(TestModels.imageValues(1, 100 + i), 1, H, W, 3));
        ServiceEndpointsTest.assertMap(expected.first(0).layerMap(), r.get("explanations").get(0).get("targets").get(0).get("layerMap"));
      }
      String metrics = http.get("/metrics").text();
      assertTrue(metrics.contains("explain4j_batch_size_items_count 1\n"), metrics);
      assertTrue(metrics.contains("explain4j_batch_size_items_sum 4.0"), metrics);
    }
  }

  @Test
  void aBurstOf256RequestsFrom32ClientsIsAllAnsweredWithCorrectMaps() throws Exception {
    try (ExplainService service = ExplainService.start(config().optMaxBatchSize(16).optMaxQueue(256).build());
        Explainer reference = Explainer.builder().setModel(cnn).build()) {
      Http http = new Http(service.uri());
      float[][] expected = new float[8][];
      for (int s = 0; s < 8; s++) {
        expected[s] = reference.explain(InputBatch.ofFloats(TestModels.imageValues(1, 200 + s), 1, H, W, 3)).first(0).layerMap().values();
      }
      ExecutorService clients = Executors.newFixedThreadPool(32);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < 32; c++) {
          int client = c;
          done.add(clients.submit(() -> {
            for (int k = 0; k < 8; k++) {
              int s = (client + k) % 8;
              JsonNode r = ServiceEndpointsTest.ok(http.post("/v1/models/cnn:explain", body(200 + s)));
              JsonNode values = r.get("explanations").get(0).get("targets").get(0).get("layerMap").get("values");
              for (int i = 0; i < expected[s].length; i++) {
                assertEquals(expected[s][i], values.get(i).floatValue(), 1e-5 * Math.max(1, Math.abs(expected[s][i])));
              }
            }
            return null;
          }));
        }
        for (Future<?> f : done) {
          f.get(120, TimeUnit.SECONDS);
        }
      } finally {
        clients.shutdownNow();
      }
      assertTrue(http.get("/metrics").text().contains("explain4j_requests_total{endpoint=\"explain\",model=\"cnn\",status=\"200\"} 256.0"));
      assertEquals(0, service.inFlight());
    }
  }

  @Test
  void aSoakOfThousandsOfRequestsKeepsMemoryFlat() throws Exception {
    try (ExplainService service = ExplainService.start(config().optMaxBatchSize(8).build())) {
      Http http = new Http(service.uri());
      String body = body(300);
      long[] heap = new long[2];
      ExecutorService clients = Executors.newFixedThreadPool(8);
      try {
        for (int phase = 0; phase < 2; phase++) {
          // 500 requests to warm every path, then 2,500 more: the heap after a GC must not grow with them.
          int requests = phase == 0 ? 500 : 2500;
          List<Future<Integer>> statuses = new ArrayList<>();
          for (int i = 0; i < requests; i++) {
            statuses.add(clients.submit(() -> http.post("/v1/models/cnn:explain", body).status()));
          }
          for (Future<Integer> s : statuses) {
            assertEquals(200, s.get(120, TimeUnit.SECONDS));
          }
          heap[phase] = usedHeapAfterGc();
        }
      } finally {
        clients.shutdownNow();
      }
      long growth = heap[1] - heap[0];
      assertTrue(growth < 24L << 20, "heap grew by " + (growth >> 20) + " MiB over 2,500 requests");
      assertEquals(0, service.inFlight());
    }
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(50);
    }
    return rt.totalMemory() - rt.freeMemory();
  }

  @Test
  void aFullQueueAnswers503WithRetryAfterAndTheQueuedRequestsAreServed() throws Exception {
    // One worker holds the first request while it waits for company; one more fills the queue of one.
    try (ExplainService service = ExplainService.start(config().optMaxQueue(1).optMaxBatchSize(8)
        .optBatchTimeout(Duration.ofSeconds(2)).build())) {
      Http http = new Http(service.uri());
      CompletableFuture<Http.Reply> first = CompletableFuture.supplyAsync(() -> http.post("/v1/models/cnn:explain", body(400)));
      awaitQueue(service, 0, first);
      String otherKey = body(401).replace("]]]]}", "]]]], \"parameters\": {\"top_k\": 2}}");
      CompletableFuture<Http.Reply> second = CompletableFuture.supplyAsync(() -> http.post("/v1/models/cnn:explain", otherKey));
      awaitQueue(service, 1, second);
      Http.Reply refused = http.post("/v1/models/cnn:explain", body(402).replace("]]]]}", "]]]], \"parameters\": {\"top_k\": 3}}"));
      ServiceEndpointsTest.assertError(503, "queue is full", refused);
      assertEquals("1", refused.response().headers().firstValue("Retry-After").orElse(""));
      assertEquals(200, first.get(60, TimeUnit.SECONDS).status());
      assertEquals(200, second.get(60, TimeUnit.SECONDS).status());
    }
  }

  /** Waits until the batcher holds {@code depth} queued requests (the request's future must not have failed). */
  private static void awaitQueue(ExplainService service, int depth, CompletableFuture<?> request) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!(service.batched() > depth && service.queueDepth() == depth)) {
      assertTrue(System.nanoTime() < until, "the request never reached the queue");
      assertTrue(!request.isDone(), "the request was answered before it could wait");
      Thread.sleep(5);
    }
  }

  @Test
  void clientsThatDisconnectOrStallDoNotHurtTheServer() throws Exception {
    try (ExplainService service = ExplainService.start(config().optIdleTimeout(Duration.ofSeconds(3)).build())) {
      Http http = new Http(service.uri());
      byte[] body = body(500).getBytes(StandardCharsets.UTF_8);
      // Gone mid-body: promises more than it sends, then closes.
      try (Socket s = new Socket("127.0.0.1", service.port())) {
        OutputStream out = s.getOutputStream();
        out.write(headers(body.length).getBytes(StandardCharsets.US_ASCII));
        out.write(body, 0, body.length / 3);
        out.flush();
      }
      // Gone after a whole request, before the answer.
      try (Socket s = new Socket("127.0.0.1", service.port())) {
        OutputStream out = s.getOutputStream();
        out.write(headers(body.length).getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
      }
      // Stalls mid-body: the server closes the connection after its idle timeout, while others are served.
      try (Socket slow = new Socket("127.0.0.1", service.port())) {
        slow.setSoTimeout(30_000);
        OutputStream out = slow.getOutputStream();
        out.write(headers(body.length).getBytes(StandardCharsets.US_ASCII));
        out.write(body, 0, 10);
        out.flush();
        assertEquals(200, http.post("/v1/models/cnn:explain", new String(body, StandardCharsets.UTF_8)).status());
        InputStream in = slow.getInputStream();
        String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        assertTrue(answer.isEmpty() || answer.startsWith("HTTP/1.1 4") || answer.startsWith("HTTP/1.1 5"),
            "a stalled request is closed or refused, got: " + answer);
      }
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (service.inFlight() > 0 && System.nanoTime() < until) {
        Thread.sleep(10);
      }
      assertEquals(0, service.inFlight(), "every accepted request was answered");
      // A new client: the first one's pooled connection sat idle past the idle timeout, and the
      // server closing it just as the client reuses it is the client's race, not the server's.
      assertEquals(200, new Http(service.uri()).post("/v1/models/cnn:explain", new String(body, StandardCharsets.UTF_8)).status());
    }
  }

  private static String headers(int length) {
    return "POST /v1/models/cnn:explain HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: "
        + length + "\r\n\r\n";
  }

  @Test
  void aBearerTokenGuardsEverythingButHealth(@TempDir Path tmp) {
    try (ExplainService service = ExplainService.start(config().optAuthToken("s3cret-token").build())) {
      Http anonymous = new Http(service.uri());
      Http wrong = new Http(service.uri(), "s3cret-tokem");
      Http right = new Http(service.uri(), "s3cret-token");
      ServiceEndpointsTest.assertError(401, "bearer token", anonymous.post("/v1/models/cnn:explain", body(600)));
      Http.Reply refused = wrong.post("/v1/models/cnn:explain", body(600));
      ServiceEndpointsTest.assertError(401, "bearer token", refused);
      assertEquals("Bearer", refused.response().headers().firstValue("WWW-Authenticate").orElse(""));
      assertEquals(401, anonymous.get("/metrics").status());
      assertEquals(200, anonymous.get("/v2/health/ready").status());
      assertEquals(200, right.post("/v1/models/cnn:explain", body(600)).status());
    }
  }

  @Test
  void closingAnswersTheRequestsInFlightThenRefusesNewOnes() throws Exception {
    ExplainService service = ExplainService.start(config().optMaxBatchSize(8).optBatchTimeout(Duration.ofSeconds(1)).build());
    Http http = new Http(service.uri());
    CompletableFuture<Http.Reply> inFlight = CompletableFuture.supplyAsync(() -> http.post("/v1/models/cnn:explain", body(700)));
    awaitQueue(service, 0, inFlight);
    CompletableFuture<Void> closing = CompletableFuture.runAsync(service::close);
    Http.Reply answered = inFlight.get(60, TimeUnit.SECONDS);
    assertEquals(200, answered.status(), answered.text());
    assertTrue(answered.json().get("explanations").size() == 1);
    closing.get(60, TimeUnit.SECONDS);
    assertThrowsIo(() -> http.post("/v1/models/cnn:explain", body(701)));
  }

  private static void assertThrowsIo(Runnable call) {
    try {
      call.run();
    } catch (java.io.UncheckedIOException expected) {
      return;
    }
    throw new AssertionError("the closed service still answered");
  }
}
