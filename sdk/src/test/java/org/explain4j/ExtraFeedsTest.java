package org.explain4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Random;
import org.explain4j.exceptions.ExplainException;
import org.explain4j.input.InputBatch;
import org.explain4j.testkit.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TF1 graphs with extra placeholders (keep_prob, is_training) and an input with no declared shape. */
class ExtraFeedsTest {
  @TempDir
  Path tmp;

  @Test
  void keepProbIsFedWhenGivenAndNamedWhenMissing() {
    Path knobs = TestModels.frozenDropout(tmp.resolve("dropout.pb"), true);
    Path reference = TestModels.frozenDropout(tmp.resolve("reference.pb"), false);
    InputBatch batch = InputBatch.ofFloats(TestModels.random(new Random(2), 2 * 8 * 8 * 3, 1.0), 2, 8, 8, 3);
    // No feed: the message names the placeholder and the option, not TensorFlow's raw text.
    try (Explainer missing = Explainer.builder().setModel(knobs).build()) {
      assertEquals("x", missing.model().inputs().get(0).key(), "the scalar placeholders are not taken for the input");
      ExplainException e = assertThrows(ExplainException.class, () -> missing.explain(batch));
      assertTrue(e.getMessage().contains("placeholder 'keep_prob' (float)") && e.getMessage().contains("--feed keep_prob=1.0"),
          e.getMessage());
    }
    // Fed: keep_prob 1 is the trained network, so the maps equal the graph without the knob; the input of
    // unknown rank takes the batch's shape.
    try (Explainer fed = Explainer.builder().setModel(knobs).optFeed("keep_prob", 1.0).optFeed("is_training", false).build();
        Explainer expected = Explainer.builder().setModel(reference).build()) {
      Explanation got = fed.explain(batch);
      Explanation want = expected.explain(batch);
      assertArrayEquals(expected.predict(batch), fed.predict(batch), 1e-6f);
      for (int item = 0; item < 2; item++) {
        assertEquals(want.first(item).target(), got.first(item).target());
        assertArrayEquals(want.first(item).layerMap().values(), got.first(item).layerMap().values(), 1e-6f);
      }
    }
    // Half the features: the probabilities change, so the value is really fed.
    try (Explainer half = Explainer.builder().setModel(knobs).optFeed("keep_prob", 0.5f).build();
        Explainer full = Explainer.builder().setModel(knobs).optFeed("keep_prob", 1).build()) {
      assertTrue(half.predict(batch)[0] != full.predict(batch)[0]);
    }
  }

  @Test
  void aWrongNameOrValueIsRefusedAtLoadListingThePlaceholders() {
    Path knobs = TestModels.frozenDropout(tmp.resolve("dropout.pb"), true);
    ExplainException name = assertThrows(ExplainException.class,
        () -> Explainer.builder().setModel(knobs).optFeed("keep", 1.0).build());
    assertTrue(name.getMessage().contains("no placeholder of that name") && name.getMessage().contains("keep_prob (float)")
        && name.getMessage().contains("is_training (bool)"), name.getMessage());
    ExplainException value = assertThrows(ExplainException.class,
        () -> Explainer.builder().setModel(knobs).optFeed("is_training", "maybe").build());
    assertTrue(value.getMessage().contains("Cannot feed 'maybe' to placeholder 'is_training': it takes a bool"), value.getMessage());
  }
}
