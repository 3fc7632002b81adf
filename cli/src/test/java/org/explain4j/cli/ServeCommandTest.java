package org.explain4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.explain4j.testkit.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./explain4j serve} as a process: it answers, guards with a token file, and exits on SIGTERM. */
class ServeCommandTest {
  @TempDir
  Path tmp;

  /** A started {@code ./explain4j serve} and the address it printed when ready. */
  private record Served(Process process, URI base) {}

  /**
   * Starts {@code ./explain4j serve ARGS --port 0} and waits for its ready line naming {@code models}.
   * Whatever happens, the process does not outlive two minutes (a read would otherwise wait forever).
   */
  private static Served serve(String models, String... args) throws Exception {
    Path root = Path.of("").toAbsolutePath().getParent();
    List<String> command = new java.util.ArrayList<>(List.of(root.resolve("explain4j").toString(), "serve", "--port", "0"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true);
    pb.environment().put("EXPLAIN4J_NO_BUILD", "1");
    Process p = pb.start();
    java.util.concurrent.CompletableFuture.delayedExecutor(120, TimeUnit.SECONDS).execute(p::destroyForcibly);
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    Pattern ready = Pattern.compile("serving \\[" + Pattern.quote(models) + "\\] on (http://\\S+) \\(ready\\)");
    StringBuilder seen = new StringBuilder();
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      seen.append(line).append('\n');
      Matcher m = ready.matcher(line);
      if (m.find()) {
        // Keep reading what it prints, so that a full pipe never blocks it.
        Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "serve-output");
        drain.setDaemon(true);
        drain.start();
        return new Served(p, URI.create(m.group(1)));
      }
    }
    p.destroyForcibly();
    throw new AssertionError("the service never said it was ready; it printed:\n" + seen);
  }

  @Test
  void servesWithATokenAndStopsOnSigterm() throws Exception {
    Path model = TestModels.cnn(tmp.resolve("cnn"), true);
    Path token = Files.writeString(tmp.resolve("token"), "t0ken\n");
    // A request waits a minute for company: it is still in flight when SIGTERM comes
    // (two at once fill a batch and are answered at once).
    Served served = serve("cnn", "--model", "cnn=" + model, "--auth-token-file", token.toString(), "--shutdown-timeout", "2",
        "--max-batch-size", "2", "--batch-timeout", "60000000");
    Process p = served.process();
    URI base = served.base();
    try {
      HttpClient client = HttpClient.newHttpClient();
      String body = "{\"instances\": " + java.util.Arrays.deepToString(new float[1][16][16][3]) + "}";
      HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/v1/models/cnn:predict"))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
      assertEquals(401, client.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode());
      request.header("Authorization", "Bearer t0ken");
      java.util.concurrent.CompletableFuture<HttpResponse<String>> pair = client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> answered = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, pair.get(60, TimeUnit.SECONDS).statusCode());
      assertEquals(200, answered.statusCode(), answered.body());
      assertTrue(answered.body().startsWith("{\"predictions\":[["), answered.body());
      java.util.concurrent.CompletableFuture<HttpResponse<String>> inFlight =
          client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
      // Until the request is accepted (the in-flight gauge counts it) and waits in the batcher.
      HttpRequest metrics = HttpRequest.newBuilder(base.resolve("/metrics")).header("Authorization", "Bearer t0ken").build();
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!client.send(metrics, HttpResponse.BodyHandlers.ofString()).body().contains("explain4j_requests_in_flight 1.0")) {
        assertTrue(System.nanoTime() < until, "the request was never accepted");
        Thread.sleep(20);
      }
      long start = System.nanoTime();
      p.destroy(); // SIGTERM
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the service did not exit on SIGTERM");
      double seconds = (System.nanoTime() - start) / 1e9;
      assertEquals(143, p.exitValue(), "exit status after SIGTERM (128 + 15)");
      assertTrue(seconds < 2 + 1, "exit took " + seconds + " s with --shutdown-timeout 2");
      HttpResponse<String> refused = inFlight.get(10, TimeUnit.SECONDS);
      assertEquals(503, refused.statusCode(), refused.body());
      assertTrue(refused.body().startsWith("{\"error\":\"The service shut down"), refused.body());
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void servesTheModelsOfAModelsFileEachWithItsLabels() throws Exception {
    TestModels.cnn(tmp.resolve("a"), true);
    TestModels.cnn(tmp.resolve("b"), true);
    Path file = Files.writeString(tmp.resolve("models.json"), "{\"models\": ["
        + "{\"name\": \"first\", \"path\": \"a\", \"labels\": [\"w\", \"x\", \"y\", \"z\"]},"
        + "{\"name\": \"second\", \"path\": \"b\", \"method\": \"grad-cam++\"}]}");
    Object[] both = CliTest.run("serve", "--models-file", file.toString(), "--model", tmp.resolve("a").toString());
    assertEquals(2, both[0], "refused: " + both[2]);
    assertTrue(both[2].toString().contains("not both"), both[2].toString());
    Served served = serve("first, second", "--models-file", file.toString());
    Process p = served.process();
    URI base = served.base();
    try {
      HttpClient client = HttpClient.newHttpClient();
      String first = client.send(HttpRequest.newBuilder(base.resolve("/v1/models/first")).build(), HttpResponse.BodyHandlers.ofString()).body();
      assertTrue(first.contains("\"labels\":[\"w\",\"x\",\"y\",\"z\"]"), first);
      String second = client.send(HttpRequest.newBuilder(base.resolve("/v1/models/second")).build(), HttpResponse.BodyHandlers.ofString()).body();
      assertTrue(second.contains("\"method\":\"grad-cam++\"") && !second.contains("\"labels\""), second);
      p.destroy();
      assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    } finally {
      p.destroyForcibly();
    }
  }
}
