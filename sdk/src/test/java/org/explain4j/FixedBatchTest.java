package org.explain4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.explain4j.exceptions.InvalidInputException;
import org.explain4j.input.InputBatch;
import org.explain4j.testkit.TestModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A signature that fixes the batch size ({@code [1, H, W, 3]}, as frozen graphs often do) takes
 * any batch: every map, score and output equals the same weights' free-batch model's, the
 * perturbation methods' grouped forward runs included.
 */
class FixedBatchTest {
  @TempDir
  static Path dir;
  static Explainer free;

  @BeforeAll
  static void build() {
    free = Explainer.builder().setModel(TestModels.cnn(dir.resolve("free"), true)).optMethod("grad-cam,layer-cam,score-cam,ablation-cam").build();
  }

  @AfterAll
  static void close() {
    free.close();
  }

  @ParameterizedTest(name = "fixed {0}, batch {1}")
  @CsvSource({"1, 3", "2, 3", "2, 1", "4, 4"})
  void anyBatchMatchesTheFreeModel(int fixed, int batch) {
    InputBatch images = InputBatch.ofFloats(TestModels.imageValues(batch, 17), batch, TestModels.H, TestModels.W, 3);
    try (Explainer model = Explainer.builder().setModel(TestModels.cnnFixedBatch(dir.resolve("fixed" + fixed), fixed))
        .optMethod("grad-cam,layer-cam,score-cam,ablation-cam").optPerturbation(0, 4).build()) {
      // Perturbation runs of about 4 inputs: several copies of the batch per run, cut back to runs of the fixed size.
      assertEquals(fixed, model.model().inputs().get(0).shape().get(0));
      assertArrayEquals(free.predict(images), model.predict(images), 1e-6f);
      Explanation want = free.explain(images, Targets.topK(2));
      Explanation got = model.explain(images, Targets.topK(2));
      assertEquals(batch, got.batchSize());
      assertSame(want, got);
      // Per-item targets follow their items across the runs.
      List<int[]> perItem = new java.util.ArrayList<>();
      for (int i = 0; i < batch; i++) {
        perItem.add(new int[] {i % TestModels.CLASSES, (i + 2) % TestModels.CLASSES});
      }
      assertSame(free.explain(images, Targets.perItem(perItem)), model.explain(images, Targets.perItem(perItem)));
    }
  }

  @Test
  void gradientsRefuseAnotherSizeAndTargetsNameTheWholeBatchsItems() {
    InputBatch images = InputBatch.ofFloats(TestModels.imageValues(3, 5), 3, TestModels.H, TestModels.W, 3);
    try (Explainer model = Explainer.builder().setModel(TestModels.cnnFixedBatch(dir.resolve("fixed-g"), 1)).build()) {
      InvalidInputException e = assertThrows(InvalidInputException.class, () -> model.gradients(images, Targets.predicted()));
      assertTrue(e.getMessage().contains("fixes the batch at 1 items; got 3"), e.getMessage());
      assertEquals(1, model.gradients(images.item(2), Targets.predicted()).outputs().length / TestModels.CLASSES);
      // conform() (what a service checks each request with) takes the batch and still checks the rest.
      assertEquals(3, model.conform(images).batchSize());
      float[] values = images.toFloats();
      values[2 * TestModels.H * TestModels.W * 3 + 5] = Float.NaN;
      InvalidInputException nan = assertThrows(InvalidInputException.class,
          () -> model.conform(InputBatch.ofFloats(values, 3, TestModels.H, TestModels.W, 3)));
      assertTrue(nan.getMessage().contains("item 2 holds a NaN"), nan.getMessage());
      assertThrows(InvalidInputException.class, () -> model.conform(InputBatch.ofFloats(new float[3 * 8 * 8 * 3], 3, 8, 8, 3)));
      InvalidInputException range = assertThrows(InvalidInputException.class, () -> model.explain(images,
          Targets.perItem(List.of(new int[] {0}, new int[] {1}, new int[] {9}))));
      assertTrue(range.getMessage().contains("for item 2"), range.getMessage());
    }
  }

  private static void assertSame(Explanation want, Explanation got) {
    assertEquals(want.targets().size(), got.targets().size());
    for (int k = 0; k < want.targets().size(); k++) {
      TargetExplanation a = want.targets().get(k);
      TargetExplanation b = got.targets().get(k);
      assertEquals(a.item(), b.item(), "map " + k);
      assertEquals(a.target(), b.target(), "map " + k);
      assertEquals(a.method(), b.method(), "map " + k);
      assertEquals(a.score(), b.score(), 1e-5, "map " + k);
      assertArrayEquals(a.heatMap().values(), b.heatMap().values(), 1e-5f, "map " + k);
    }
    for (int i = 0; i < want.batchSize(); i++) {
      assertArrayEquals(want.output(i), got.output(i), 1e-6f);
    }
  }
}
