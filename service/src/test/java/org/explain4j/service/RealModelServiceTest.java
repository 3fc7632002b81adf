package org.explain4j.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
 * The service on a real third-party model: TF-slim's frozen ImageNet MobileNet, whose signature
 * fixes the batch at one, with a real photo sent as a base64 JPEG (both carried in testdata/).
 */
class RealModelServiceTest {
  static final Path MODEL = org.explain4j.testkit.TestData.model("mobilenet-v1-025-128-frozen");
  static final Path PHOTO = org.explain4j.testkit.TestData.image("grace_hopper.jpg");

  @Test
  void aFixedBatchModelIsNeverSentMergedBatchesAndMatchesInProcess() throws Exception {
    Path model = MODEL.toAbsolutePath().normalize();
    Path photo = PHOTO.toAbsolutePath().normalize();
    var config = Explainer.builder().setModel(model.resolve("frozen_graph.pb")).optLabels(model.resolve("labels.txt")).config();
    byte[] jpeg = Files.readAllBytes(photo);
    String body = "{\"instances\": [{\"b64\": \"" + Base64.getEncoder().encodeToString(jpeg) + "\"}], \"parameters\": {\"top_k\": 2}}";
    // A long batch timeout: were the model's batch of one ignored, the requests would wait for company, or fail merged.
    try (ExplainService service = ExplainService.start(ServiceConfig.builder().addModel("mobilenet", config).optPort(0)
            .optMaxBatchSize(8).optBatchTimeout(Duration.ofSeconds(30)).build());
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
      // One request of two instances: the explainer runs them one at a time, as the graph wants.
      String b64 = Base64.getEncoder().encodeToString(jpeg);
      JsonNode two = ServiceEndpointsTest.ok(http.post("/v1/models/mobilenet:explain",
          "{\"instances\": [{\"b64\": \"" + b64 + "\"}, {\"b64\": \"" + b64 + "\"}], \"parameters\": {\"top_k\": 2}}"));
      assertEquals(2, two.get("explanations").size());
      for (int item = 0; item < 2; item++) {
        ServiceEndpointsTest.assertMap(expected.forItem(0).get(0).layerMap(), two.get("explanations").get(item).get("targets").get(0)
            .get("layerMap"));
      }
    }
  }
}
