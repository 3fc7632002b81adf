package org.explain4j.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.explain4j.Explainer;
import org.explain4j.Explanation;
import org.explain4j.input.ImagePreprocessor;
import org.explain4j.input.Images;
import org.junit.jupiter.api.Test;

/**
 * The service on a real third-party model: TF-slim's frozen ImageNet MobileNet, whose input
 * declares a batch of one that no op depends on (so it is loaded with a free batch and requests are
 * merged), with a real photo sent as a base64 JPEG (both carried in testdata/); and a frozen graph
 * that does depend on its batch of one, whose requests are never merged.
 */
class RealModelServiceTest {
  static final Path MODEL = org.explain4j.testkit.TestData.model("mobilenet-v1-025-128-frozen");
  static final Path PHOTO = org.explain4j.testkit.TestData.image("grace_hopper.jpg");

  @Test
  void requestsToTheFrozenMobileNetAreMergedAndEachMatchesInProcess() throws Exception {
    Path model = MODEL.toAbsolutePath().normalize();
    Path photo = PHOTO.toAbsolutePath().normalize();
    var config = Explainer.builder().setModel(model.resolve("frozen_graph.pb")).optLabels(model.resolve("labels.txt")).config();
    byte[] jpeg = Files.readAllBytes(photo);
    String body = "{\"instances\": [{\"b64\": \"" + Base64.getEncoder().encodeToString(jpeg) + "\"}], \"parameters\": {\"top_k\": 2}}";
    // A batch of exactly four and a long timeout: the run starts when the fourth request arrives.
    try (ExplainService service = ExplainService.start(ServiceConfig.builder().addModel("mobilenet", config).optPort(0)
            .optMaxBatchSize(4).optBatchTimeout(Duration.ofSeconds(30)).build());
        Explainer reference = Explainer.of(config)) {
      Http http = new Http(service.uri());
      List<CompletableFuture<Http.Reply>> replies = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        replies.add(CompletableFuture.supplyAsync(() -> http.post("/v1/models/mobilenet:explain", body)));
      }
      Explanation expected = reference.explain(ImagePreprocessor.forModel(reference.model()).build()
          .toBatch(List.of(Images.decode(jpeg, "photo"))), org.explain4j.Targets.topK(2));
      for (CompletableFuture<Http.Reply> reply : replies) {
        JsonNode r = ServiceEndpointsTest.ok(reply.get(20, TimeUnit.SECONDS));
        for (int rank = 0; rank < 2; rank++) {
          JsonNode t = r.get("explanations").get(0).get("targets").get(rank);
          assertEquals(expected.forItem(0).get(rank).target(), t.get("target").asInt());
          assertEquals(expected.forItem(0).get(rank).label().orElseThrow(), t.get("label").asText());
          ServiceEndpointsTest.assertMap(expected.forItem(0).get(rank).layerMap(), t.get("layerMap"));
        }
      }
      String metrics = http.get("/metrics").text();
      assertTrue(metrics.contains("explain4j_batch_size_items_sum 4.0"), metrics);
      assertTrue(metrics.contains("explain4j_batch_size_items_count 1\n"), "the four requests ran as one batch: " + metrics);
      // Two requests of two instances each: one batch of four again, each instance its own map.
      String b64 = Base64.getEncoder().encodeToString(jpeg);
      String pair = "{\"instances\": [{\"b64\": \"" + b64 + "\"}, {\"b64\": \"" + b64 + "\"}], \"parameters\": {\"top_k\": 2}}";
      List<CompletableFuture<Http.Reply>> pairs = List.of(CompletableFuture.supplyAsync(() -> http.post("/v1/models/mobilenet:explain", pair)),
          CompletableFuture.supplyAsync(() -> http.post("/v1/models/mobilenet:explain", pair)));
      for (CompletableFuture<Http.Reply> reply : pairs) {
        JsonNode two = ServiceEndpointsTest.ok(reply.get(20, TimeUnit.SECONDS));
        assertEquals(2, two.get("explanations").size());
        for (int item = 0; item < 2; item++) {
          ServiceEndpointsTest.assertMap(expected.forItem(0).get(0).layerMap(), two.get("explanations").get(item).get("targets").get(0)
              .get("layerMap"));
        }
      }
      assertTrue(http.get("/metrics").text().contains("explain4j_batch_size_items_count 2\n"), "two runs in all");
    }
  }

  @Test
  void requestsToAFrozenGraphThatDependsOnItsBatchOfOneAreNeverMerged(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
    Path fixed = org.explain4j.testkit.TestModels.frozenSlim(tmp.resolve("fixed.pb"), 1, 1);
    Path free = org.explain4j.testkit.TestModels.frozenSlim(tmp.resolve("free.pb"), -1, -1);
    // A long batch timeout: were the batch of one ignored, requests would wait for company, or fail merged.
    try (ExplainService service = ExplainService.start(ServiceConfig.builder().addModel("fixed", Explainer.builder().setModel(fixed).config())
            .optPort(0).optMaxBatchSize(8).optBatchTimeout(Duration.ofSeconds(30)).build());
        Explainer reference = Explainer.builder().setModel(free).build()) {
      Http http = new Http(service.uri());
      List<CompletableFuture<Http.Reply>> replies = new ArrayList<>();
      List<float[]> images = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        float[] image = org.explain4j.testkit.TestModels.random(new java.util.Random(40 + i), 8 * 8 * 3, 1.0);
        images.add(image);
        String body = Http.instances(image, 1, 8, 8, 3, null);
        replies.add(CompletableFuture.supplyAsync(() -> http.post("/v1/models/fixed:explain", body)));
      }
      for (int i = 0; i < 3; i++) {
        JsonNode r = ServiceEndpointsTest.ok(replies.get(i).get(20, TimeUnit.SECONDS));
        Explanation expected = reference.explain(org.explain4j.input.InputBatch.ofFloats(images.get(i), 1, 8, 8, 3));
        ServiceEndpointsTest.assertMap(expected.first(0).layerMap(), r.get("explanations").get(0).get("targets").get(0).get("layerMap"));
      }
      String metrics = http.get("/metrics").text();
      assertTrue(metrics.contains("explain4j_batch_size_items_max 1.0"), "no run held more than one item: " + metrics);
    }
  }
}
