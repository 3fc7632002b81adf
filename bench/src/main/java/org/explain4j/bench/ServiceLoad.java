package org.explain4j.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.explain4j.Explainer;
import org.explain4j.ExplainerConfig;
import org.explain4j.Targets;
import org.explain4j.input.ImagePreprocessor;
import org.explain4j.input.Images;
import org.explain4j.input.InputBatch;
import org.explain4j.service.ExplainService;
import org.explain4j.service.ServiceConfig;
import org.explain4j.testkit.TestModels;

/**
 * Load on the explanation service: N concurrent clients (the JDK HttpClient) each sending M
 * {@code :explain} requests of one image, with micro-batching on and off, on the ResNet-50 fixture
 * (a real JPEG sent as base64) and the small test CNN (JSON arrays). Prints throughput and
 * p50/p95/p99 latency per row, then the service's overhead over in-process explanation of the same
 * single image (decode, preprocess, explain), as paired alternating runs.
 *
 * <p>Usage: {@code ServiceLoad [requests per client, 8] [model: resnet50|cnn|both|mobilenet] [pairs, 10]}.
 * {@code mobilenet} measures batching on the frozen ImageNet MobileNet in testdata/ (its input
 * declares a batch of one, freed at load): alternating runs of 32 clients with batching on and
 * off ({@code --max-batch-size 1}), the throughput ratio per pair with its 95% interval. Server and
 * clients share this JVM and its cores, as a sidecar's clients would not: the figures are a floor.
 * Not a test.
 */
public final class ServiceLoad {
  private ServiceLoad() {}

  public static void main(String[] args) throws Exception {
    int perClient = args.length > 0 ? Integer.parseInt(args[0]) : 8;
    String which = args.length > 1 ? args[1] : "both";
    if (which.equals("mobilenet")) {
      mobilenet(perClient, args.length > 2 ? Integer.parseInt(args[2]) : 10);
      System.exit(0); // the HTTP clients' pools are not daemons
    }
    Path tmp = Files.createTempDirectory("explain4j-service-load");
    byte[] photo = Files.readAllBytes(Path.of("../shared/images/grace_hopper.jpg"));
    System.out.printf(Locale.ROOT, "%-9s %-9s %7s %8s %10s %9s %9s %9s %10s%n", "model", "batching", "clients", "requests",
        "req/s", "p50 ms", "p95 ms", "p99 ms", "mean batch");
    if (!which.equals("cnn")) {
      Path resnet = TestModels.resnet(tmp.resolve("resnet50"), 50);
      String body = "{\"instances\": [{\"b64\": \"" + Base64.getEncoder().encodeToString(photo) + "\"}]}";
      table("ResNet-50", resnet, body, perClient, new int[] {1, 32});
      ceiling("ResNet-50", resnet, photo, perClient);
      overhead("ResNet-50", resnet, photo, body, Math.max(10, perClient * 2));
    }
    if (!which.equals("resnet50")) {
      Path cnn = TestModels.cnn(tmp.resolve("cnn"), true);
      float[] values = TestModels.imageValues(1, 7);
      String body = "{\"instances\": " + Arrays.deepToString(nest(values)) + "}";
      table("CNN-16", cnn, body, perClient * 8, new int[] {1, 32});
    }
  }

  private static void table(String name, Path model, String body, int perClient, int[] clientCounts) throws Exception {
    ExplainerConfig config = Explainer.builder().setModel(model).config();
    for (boolean batching : new boolean[] {false, true}) {
      ServiceConfig service = ServiceConfig.builder().addModel("m", config).optPort(0)
          .optMaxBatchSize(batching ? 32 : 1).optBatchTimeout(Duration.ofMillis(batching ? 2 : 0)).optMaxQueue(1024).build();
      try (ExplainService s = ExplainService.start(service)) {
        URI uri = s.uri().resolve("/v1/models/m:explain");
        run(uri, body, 2, 2); // warm the server and clients
        for (int clients : clientCounts) {
          long[] before = batchCounts(s);
          Result r = run(uri, body, clients, perClient);
          long[] after = batchCounts(s);
          double mean = (after[1] - before[1]) / (double) Math.max(1, after[0] - before[0]);
          System.out.printf(Locale.ROOT, "%-9s %-9s %7d %8d %10.1f %9.1f %9.1f %9.1f %10.1f%n", name, batching ? "on" : "off",
              clients, r.latencies.length, r.throughput(), r.percentile(50), r.percentile(95), r.percentile(99), mean);
        }
      }
    }
  }

  /**
   * What batching can gain at most, in process on the same cores: images/s explaining batches of 1
   * and of 16, with and without decoding and preparing each JPEG (work the service does per request).
   */
  private static void ceiling(String name, Path model, byte[] photo, int rounds) {
    try (Explainer explainer = Explainer.builder().setModel(model).build()) {
      ImagePreprocessor pre = ImagePreprocessor.forModel(explainer.model()).build();
      for (boolean decode : new boolean[] {false, true}) {
        for (int batch : new int[] {1, 16}) {
          java.util.function.Supplier<InputBatch> input = () -> {
            List<java.awt.image.BufferedImage> images = new ArrayList<>();
            for (int i = 0; i < batch; i++) {
              images.add(Images.decode(photo, "photo"));
            }
            return pre.toBatch(images);
          };
          InputBatch ready = input.get();
          explainer.explain(ready, Targets.predicted());
          int n = Math.max(2, rounds * 16 / batch);
          long t0 = System.nanoTime();
          for (int i = 0; i < n; i++) {
            explainer.explain(decode ? input.get() : ready, Targets.predicted());
          }
          double seconds = (System.nanoTime() - t0) / 1e9;
          System.out.printf(Locale.ROOT, "%s in process, batch %2d, %-28s %6.1f images/s%n", name, batch,
              decode ? "decoding each JPEG:" : "images decoded beforehand:", n * batch / seconds);
        }
      }
    }
  }

  /** Paired runs: in-process decode + preprocess + explain, then one HTTP request of the same image. */
  private static void overhead(String name, Path model, byte[] photo, String body, int pairs) throws Exception {
    ExplainerConfig config = Explainer.builder().setModel(model).config();
    ServiceConfig service = ServiceConfig.builder().addModel("m", config).optPort(0).optMaxBatchSize(1)
        .optBatchTimeout(Duration.ZERO).build();
    try (ExplainService s = ExplainService.start(service); Explainer explainer = Explainer.of(config)) {
      ImagePreprocessor pre = ImagePreprocessor.forModel(explainer.model()).build();
      HttpClient client = HttpClient.newHttpClient();
      HttpRequest request = HttpRequest.newBuilder(s.uri().resolve("/v1/models/m:explain"))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
      Runnable inProcess = () -> {
        InputBatch batch = pre.toBatch(List.of(Images.decode(photo, "photo")));
        explainer.explain(batch, Targets.predicted());
      };
      Runnable overHttp = () -> {
        try {
          HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
          if (r.statusCode() != 200) {
            throw new IllegalStateException("status " + r.statusCode());
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      };
      for (int i = 0; i < 3; i++) {
        inProcess.run();
        overHttp.run();
      }
      Measure.Paired times = Measure.paired(inProcess, overHttp, pairs);
      System.out.printf(Locale.ROOT, "%s, one image, batch 1, %d pairs: in-process %.1f ms, service %.1f ms (medians);"
          + " service/in-process %s%n", name, pairs, Measure.median(times.first()), Measure.median(times.second()), times.ratio());
    }
  }

  /** Batching on vs off at 32 clients on the frozen MobileNet, alternating; the ratio of throughputs per pair. */
  private static void mobilenet(int perClient, int pairs) throws Exception {
    byte[] photo = Files.readAllBytes(org.explain4j.testkit.TestData.image("grace_hopper.jpg"));
    // As the photo comes (517x606, decoded and resized by the service), and as a client that sends the
    // model's input size (128x128) sends it: the second leaves the service less per-request work.
    mobilenet(perClient, pairs, photo, "the photo as it is (517x606 JPEG)");
    java.io.ByteArrayOutputStream small = new java.io.ByteArrayOutputStream();
    javax.imageio.ImageIO.write(Images.resize(Images.decode(photo, "photo"), 128, 128), "jpg", small);
    mobilenet(perClient, pairs, small.toByteArray(), "the photo at the model's size (128x128 JPEG)");
  }

  private static void mobilenet(int perClient, int pairs, byte[] photo, String what) throws Exception {
    Path model = org.explain4j.testkit.TestData.model("mobilenet-v1-025-128-frozen");
    String body = "{\"instances\": [{\"b64\": \"" + Base64.getEncoder().encodeToString(photo) + "\"}]}";
    ExplainerConfig config = Explainer.builder().setModel(model.resolve("frozen_graph.pb")).optLabels(model.resolve("labels.txt")).config();
    int clients = 32;
    try (ExplainService on = ExplainService.start(ServiceConfig.builder().addModel("m", config).optPort(0).optMaxBatchSize(32)
            .optBatchTimeout(Duration.ofMillis(2)).optMaxQueue(1024).build());
        ExplainService off = ExplainService.start(ServiceConfig.builder().addModel("m", config).optPort(0).optMaxBatchSize(1)
            .optBatchTimeout(Duration.ZERO).optMaxQueue(1024).build())) {
      URI onUri = on.uri().resolve("/v1/models/m:explain");
      URI offUri = off.uri().resolve("/v1/models/m:explain");
      run(onUri, body, clients, 2);
      run(offUri, body, clients, 2);
      long[] before = batchCounts(on);
      Measure.Paired times = Measure.paired(() -> unchecked(() -> run(onUri, body, clients, perClient)),
          () -> unchecked(() -> run(offUri, body, clients, perClient)), pairs);
      long[] after = batchCounts(on);
      int requests = clients * perClient;
      System.out.printf(Locale.ROOT, "MobileNet v1 0.25/128 (frozen, batch 1 declared), %s, %d clients x %d requests, %d alternating"
          + " pairs:%n  batching on: median %.1f req/s, mean batch %.1f%n  batching off (--max-batch-size 1): median %.1f req/s%n"
          + "  on/off throughput, median of per-pair ratios [95%% bootstrap interval]: %s%n", what, clients, perClient, pairs,
          requests / (Measure.median(times.first()) / 1000), (after[1] - before[1]) / (double) Math.max(1, after[0] - before[0]),
          requests / (Measure.median(times.second()) / 1000), times.ratio());
    }
  }

  private static void unchecked(java.util.concurrent.Callable<?> work) {
    try {
      work.call();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static long[] batchCounts(ExplainService s) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(s.uri().resolve("/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    long count = 0;
    long sum = 0;
    for (String line : r.body().split("\n")) {
      if (line.startsWith("explain4j_batch_size_items_count")) {
        count = (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      } else if (line.startsWith("explain4j_batch_size_items_sum")) {
        sum = (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return new long[] {count, sum};
  }

  private record Result(double[] latencies, double seconds) {
    double throughput() {
      return latencies.length / seconds;
    }

    double percentile(double p) {
      double[] sorted = latencies.clone();
      Arrays.sort(sorted);
      return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100 * sorted.length) - 1)];
    }
  }

  private static Result run(URI uri, String body, int clients, int perClient) throws Exception {
    HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(4)).build();
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(5))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    List<Future<double[]>> futures = new ArrayList<>();
    long start = System.nanoTime();
    for (int c = 0; c < clients; c++) {
      futures.add(pool.submit(() -> {
        double[] times = new double[perClient];
        for (int i = 0; i < perClient; i++) {
          long t0 = System.nanoTime();
          HttpResponse<Void> r = http.send(request, HttpResponse.BodyHandlers.discarding());
          if (r.statusCode() != 200) {
            throw new IllegalStateException("status " + r.statusCode());
          }
          times[i] = (System.nanoTime() - t0) / 1e6;
        }
        return times;
      }));
    }
    double[] all = new double[clients * perClient];
    int at = 0;
    for (Future<double[]> f : futures) {
      for (double t : f.get()) {
        all[at++] = t;
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    pool.shutdown();
    ((ExecutorService) http.executor().orElseThrow()).shutdown();
    return new Result(all, seconds);
  }

  private static float[][][][] nest(float[] values) {
    float[][][][] out = new float[1][TestModels.H][TestModels.W][3];
    int at = 0;
    for (int y = 0; y < TestModels.H; y++) {
      for (int x = 0; x < TestModels.W; x++) {
        for (int c = 0; c < 3; c++) {
          out[0][y][x][c] = values[at++];
        }
      }
    }
    return out;
  }
}
