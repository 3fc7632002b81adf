package org.explain4j.service;

import static org.explain4j.service.ServiceEndpointsTest.assertError;
import static org.explain4j.service.ServiceEndpointsTest.assertMap;
import static org.explain4j.service.ServiceEndpointsTest.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.explain4j.Explainer;
import org.explain4j.Explanation;
import org.explain4j.input.InputBatch;
import org.explain4j.testkit.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A raw-text model served: sentences in V1 instances and V2 BYTES, its own words in the HTML. */
class ServiceTextTest {
  @TempDir
  Path tmp;

  @Test
  void sentencesAreExplainedOverTheModelsOwnWords() {
    Path model = TestModels.textVectorized(tmp.resolve("text"));
    try (ExplainService service = ExplainService.start(ServiceConfig.builder().addModel("reviews", Explainer.builder().setModel(model)
            .config()).optPort(0).build());
        Explainer reference = Explainer.builder().setModel(model).build()) {
      Http http = new Http(service.uri());
      JsonNode meta = ok(http.get("/v1/models/reviews"));
      assertTrue(meta.get("text").asBoolean() && !meta.get("image").asBoolean(), meta.toString());
      JsonNode r = ok(http.post("/v1/models/reviews:explain",
          "{\"instances\": [\"the movie was wonderful\", \"a zebra film\"], \"parameters\": {\"output\": [\"layer_map\", \"html\"]}}"));
      Explanation expected = reference.explain(InputBatch.ofStrings(List.of("the movie was wonderful", "a zebra film")));
      for (int item = 0; item < 2; item++) {
        assertMap(expected.first(item).layerMap(), r.get("explanations").get(item).get("targets").get(0).get("layerMap"));
      }
      String html = r.get("explanations").get(0).get("targets").get(0).get("html").asText();
      for (String w : List.of("the", "movie", "was", "wonderful")) {
        assertTrue(html.contains(">" + w + "<"), w + " in " + html);
      }
      assertTrue(r.get("explanations").get(1).get("targets").get(0).get("html").asText().contains(">[UNK]<"));
      // The Open Inference Protocol carries the sentences as BYTES strings.
      JsonNode v2 = ok(http.post("/v2/models/reviews/infer",
          "{\"inputs\": [{\"name\": \"image\", \"shape\": [1], \"datatype\": \"BYTES\", \"data\": [\"the movie was wonderful\"]}]}"));
      assertEquals(expected.outputs()[0][1], v2.get("outputs").get(0).get("data").get(1).floatValue(), 1e-6);
      assertError(400, "every instance must have the same form", http.post("/v1/models/reviews:explain",
          "{\"instances\": [\"the movie\", 3]}"));
    }
  }
}
