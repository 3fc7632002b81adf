package org.explain4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.explain4j.exceptions.ExplainException;
import org.explain4j.exceptions.InvalidInputException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.explain4j.input.InputBatch;
import org.explain4j.model.Layer;
import org.explain4j.model.ModelDescription;
import org.explain4j.model.ScoreKind;
import org.explain4j.testkit.TestModels;

class ExplainerTest {
  @TempDir static Path tmp;
  static Path softmaxModel;
  static Path logitsModel;
  static Explainer explainer;

  @BeforeAll
  static void build() {
    softmaxModel = TestModels.cnn(tmp.resolve("cnn_softmax"), true);
    logitsModel = TestModels.cnn(tmp.resolve("cnn_logits"), false);
    explainer = Explainer.builder().setModel(softmaxModel).build();
  }

  @AfterAll
  static void close() {
    explainer.close();
  }

  @Test
  void describesSignatureAndLayersInGraphOrder() {
    ModelDescription m = explainer.model();
    assertEquals("serving_default", m.signature());
    assertEquals("image", m.inputs().get(0).key());
    assertEquals("[-1, 16, 16, 3]", m.inputs().get(0).shape().toString());
    assertEquals("probabilities", m.outputs().get(0).key());
    List<String> names = m.layers().stream().map(Layer::name).toList();
    assertEquals(List.of("conv1/Conv2D", "conv1/BiasAdd", "conv1/Relu", "pool", "conv2/Conv2D", "conv2/BiasAdd",
        "conv2/Relu", "flatten", "dense/MatMul", "logits", "probabilities"), names);
    assertEquals("[-1, 8, 8, 8]", m.layer("conv2/Relu").shape().toString());
    assertEquals("Relu", m.layer("conv2/Relu").opType());
    assertTrue(m.summary(true).contains("* 6: conv2/Relu"), m.summary(true));
    // One row per layer: the scopes conv1, conv2 and dense stand for their outputs.
    assertEquals(List.of("conv1=conv1/Relu", "pool=pool", "conv2=conv2/Relu", "flatten=flatten", "dense=dense/MatMul",
        "logits=logits", "probabilities=probabilities"),
        m.rows().stream().map(r -> r.name() + "=" + r.layer().op()).toList());
    assertTrue(m.summary().contains("* conv2 -> conv2/Relu (Relu) [-1, 8, 8, 8]"), m.summary());
  }

  @Test
  void automaticChoicePrefersTheLastConvolutionsActivation() {
    assertEquals("conv2/Relu", explainer.layer().name());
  }

  @Test
  void layerByIndexAndName() {
    try (Explainer byIndex = Explainer.builder().setModel(softmaxModel).optLayer(2).build();
        Explainer byName = Explainer.builder().setModel(softmaxModel).optLayer("conv1/Relu").build()) {
      assertEquals("conv1/Relu", byIndex.layer().name());
      assertEquals("conv1/Relu", byName.layer().name());
      TargetExplanation t = byName.explain(TestInputs.images(1, 5)).first(0);
      assertEquals(16, t.layerMap().height());
      assertEquals(16, t.heatMap().width());
    }
  }

  @Test
  void explanationsCarryThePredictionsAndSliceIntoItemRanges() {
    InputBatch batch = TestInputs.images(4, 21);
    float[] predicted = explainer.predict(batch);
    Explanation e = explainer.explain(batch, Targets.topK(2));
    for (int item = 0; item < 4; item++) {
      assertArrayEquals(java.util.Arrays.copyOfRange(predicted, item * 4, item * 4 + 4), e.output(item), 1e-6f);
    }
    Explanation middle = e.items(1, 3);
    assertEquals(2, middle.batchSize());
    assertEquals(4, middle.targets().size());
    for (int item = 0; item < 2; item++) {
      assertArrayEquals(e.output(item + 1), middle.output(item));
      for (int rank = 0; rank < 2; rank++) {
        assertEquals(e.forItem(item + 1).get(rank).target(), middle.forItem(item).get(rank).target());
        assertArrayEquals(e.forItem(item + 1).get(rank).layerMap().values(), middle.forItem(item).get(rank).layerMap().values());
      }
    }
    assertThrows(IndexOutOfBoundsException.class, () -> e.items(3, 5));
    e.outputs()[0][0] = 42f;
    assertEquals(predicted[0], e.output(0)[0], 1e-6f, "outputs are copies");
  }

  @Test
  void conformChecksABatchWithoutRunningIt() {
    InputBatch ok = explainer.conform(TestInputs.images(2, 22));
    assertEquals(2, ok.batchSize());
    assertThrows(org.explain4j.exceptions.InvalidInputException.class,
        () -> explainer.conform(InputBatch.ofFloats(new float[8 * 8 * 3], 1, 8, 8, 3)));
    float[] nan = new float[16 * 16 * 3];
    nan[5] = Float.NaN;
    assertThrows(org.explain4j.exceptions.InvalidInputException.class, () -> explainer.conform(InputBatch.ofFloats(nan, 1, 16, 16, 3)));
  }

  @Test
  void predictedTargetsAreTheArgMaxAndScoresAreLogits() {
    InputBatch batch = TestInputs.images(5, 11);
    LayerGradients raw = explainer.gradients(batch, Targets.predicted());
    float[] predicted = explainer.predict(batch);
    Explanation e = explainer.explain(batch, Targets.predicted());
    assertEquals(5, e.targets().size());
    assertArrayEquals(predicted, raw.outputs(), 1e-6f);
    for (int item = 0; item < 5; item++) {
      TargetExplanation t = e.first(item);
      int argMax = 0;
      for (int k = 1; k < TestModels.CLASSES; k++) {
        if (predicted[item * 4 + k] > predicted[item * 4 + argMax]) {
          argMax = k;
        }
      }
      assertEquals(argMax, t.target());
      // The score is the logit: softmax of the logits gives the reported probability.
      double sum = 0;
      for (int k = 0; k < 4; k++) {
        sum += Math.exp(raw.scores()[item * 4 + k]);
      }
      assertEquals(Math.exp(t.score()) / sum, t.probability().getAsDouble(), 1e-5);
      assertEquals(predicted[item * 4 + argMax], t.probability().getAsDouble(), 1e-6);
      assertEquals(16, t.heatMap().height());
      assertEquals(16, t.heatMap().width());
      assertEquals(8, t.layerMap().height());
      assertTrue(t.heatMap().min() >= 0 && t.heatMap().max() <= 1);
      assertTrue(t.allZero() || Math.abs(t.heatMap().max() - 1) < 1e-6 || t.heatMap().max() > 0.5);
      assertEquals("grad-cam", t.method());
      assertEquals("java", t.engine());
    }
  }

  @Test
  void outputScoreDifferentiatesTheProbability() {
    try (Explainer probs = Explainer.builder().setModel(softmaxModel).optScore(ScoreKind.OUTPUT).build()) {
      TargetExplanation t = probs.explain(TestInputs.images(1, 3)).first(0);
      assertEquals(t.probability().getAsDouble(), t.score(), 1e-6);
    }
  }

  @Test
  void logitsModelHasNoProbability() {
    try (Explainer logits = Explainer.builder().setModel(logitsModel).build()) {
      TargetExplanation t = logits.explain(TestInputs.images(1, 3)).first(0);
      assertTrue(t.probability().isEmpty());
      assertEquals("conv2/Relu", logits.layer().name());
    }
  }

  @Test
  void perItemTargetsTopKAndFixedTargets() {
    InputBatch batch = TestInputs.images(3, 21);
    Explanation fixed = explainer.explain(batch, Targets.of(2, 0));
    assertEquals(6, fixed.targets().size());
    assertEquals(List.of(2, 0), fixed.forItem(1).stream().map(TargetExplanation::target).toList());

    Explanation perItem = explainer.explain(batch, Targets.perItem(List.of(new int[] {3}, new int[] {1, 2}, new int[] {0})));
    assertEquals(4, perItem.targets().size());
    assertEquals(List.of(1, 2), perItem.forItem(1).stream().map(TargetExplanation::target).toList());
    // The same item and class give the same map whatever else is in the call.
    assertEquals(fixed.forItem(1).get(0).heatMap(), perItem.forItem(1).get(1).heatMap());

    Explanation top2 = explainer.explain(batch, Targets.topK(2));
    LayerGradients raw = explainer.gradients(batch, Targets.predicted());
    for (int item = 0; item < 3; item++) {
      List<TargetExplanation> ts = top2.forItem(item);
      assertEquals(2, ts.size());
      assertTrue(ts.get(0).score() >= ts.get(1).score());
      assertEquals(explainer.explain(batch, Targets.predicted()).first(item).target(), ts.get(0).target());
      float second = Float.NEGATIVE_INFINITY;
      for (int k = 0; k < 4; k++) {
        if (k != ts.get(0).target()) {
          second = Math.max(second, raw.scores()[item * 4 + k]);
        }
      }
      assertEquals(second, ts.get(1).score(), 0f);
    }
  }

  @Test
  void counterfactualNegatesTheGradientsAndReluOffKeepsSigns() {
    InputBatch batch = TestInputs.images(2, 8);
    try (Explainer noRelu = Explainer.builder().setModel(softmaxModel).optRelu(false).build();
        Explainer counter = Explainer.builder().setModel(softmaxModel).optRelu(false).optCounterfactual(true).build()) {
      TargetExplanation plain = noRelu.explain(batch, Targets.of(1)).first(0);
      TargetExplanation negated = counter.explain(batch, Targets.of(1)).first(0);
      assertEquals("grad-cam", negated.method(), "the method's name alone; the counterfactual is a flag of its own");
      assertTrue(counter.explain(batch, Targets.of(1)).provenance().counterfactual());
      float[] a = plain.layerMap().values();
      float[] b = negated.layerMap().values();
      for (int i = 0; i < a.length; i++) {
        assertEquals(-a[i], b[i], 1e-6f * Math.max(1, Math.abs(a[i])));
      }
      assertTrue(plain.heatMap().min() < 0, "without ReLU the map keeps negative values");
      assertTrue(plain.heatMap().min() >= -1 && plain.heatMap().max() <= 1);
    }
  }

  @Test
  void extremeInputGivesFiniteMaps() {
    float[] zeros = new float[16 * 16 * 3];
    java.util.Arrays.fill(zeros, -1000f);
    TargetExplanation t = explainer.explain(InputBatch.ofFloats(zeros, 1, 16, 16, 3)).first(0);
    float[] values = t.heatMap().values();
    for (float v : values) {
      assertFalse(Float.isNaN(v));
    }
    if (t.allZero()) {
      assertEquals(0f, t.heatMap().max());
    }
  }

  @Test
  void labelsComeFromAFile() throws Exception {
    Path labels = tmp.resolve("labels.txt");
    java.nio.file.Files.writeString(labels, "circle\nsquare\ntriangle\ncross\n");
    try (Explainer labelled = Explainer.builder().setModel(softmaxModel).optLabels(labels).build()) {
      TargetExplanation t = labelled.explain(TestInputs.images(1, 1), Targets.of(2)).first(0);
      assertEquals("triangle", t.label().orElseThrow());
    }
    java.nio.file.Files.writeString(labels, "a\nb\n");
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> Explainer.builder().setModel(softmaxModel).optLabels(labels).build());
    assertTrue(e.getMessage().contains("Expected 4 labels"), e.getMessage());
  }

  @Test
  void rejectsBadTargets() {
    InputBatch batch = TestInputs.images(2, 1);
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> explainer.explain(batch, Targets.of(4)));
    assertTrue(e.getMessage().contains("out of range") && e.getMessage().contains("4 classes"), e.getMessage());
    e = assertThrows(InvalidInputException.class, () -> explainer.explain(batch, Targets.topK(5)));
    assertTrue(e.getMessage().contains("topK(5)"), e.getMessage());
    e = assertThrows(InvalidInputException.class, () -> explainer.explain(batch, Targets.perItem(List.of(new int[] {1}))));
    assertTrue(e.getMessage().contains("expected 2 lists"), e.getMessage());
  }

  @Test
  void closedExplainerRefusesWork() {
    Explainer e = Explainer.builder().setModel(softmaxModel).build();
    e.close();
    e.close();
    assertThrows(IllegalStateException.class, () -> e.explain(TestInputs.images(1, 1)));
  }

  @Test
  void engineIsSelectable() {
    try (Explainer java = Explainer.builder().setModel(softmaxModel).optEngine("java").build()) {
      assertEquals("java", java.engine());
    }
    ExplainException e = assertThrows(ExplainException.class,
        () -> Explainer.builder().setModel(softmaxModel).optEngine("quantum").build());
    assertTrue(e.getMessage().contains("Unknown CAM engine 'quantum'") && e.getMessage().contains("java"), e.getMessage());
  }

  @Test
  void heatMapsAreIdenticalAcrossBatchPositions() {
    InputBatch batch = TestInputs.images(4, 99);
    Explanation together = explainer.explain(batch, Targets.of(1));
    float[] all = new float[4 * 16 * 16 * 3];
    java.util.Random rng = new java.util.Random(99);
    for (int i = 0; i < all.length; i++) {
      all[i] = (float) rng.nextGaussian();
    }
    float[] third = java.util.Arrays.copyOfRange(all, 2 * 768, 3 * 768);
    Explanation alone = explainer.explain(InputBatch.ofFloats(third, 1, 16, 16, 3), Targets.of(1));
    assertArrayEquals(alone.first(0).heatMap().values(), together.first(2).heatMap().values(), 1e-5f);
  }

  @Test
  void lanczosIsForDrawingNotForExplainers() {
    ExplainException e = assertThrows(ExplainException.class,
        () -> Explainer.builder().setModel(softmaxModel).optInterpolation(org.explain4j.cam.Interpolation.LANCZOS).build());
    assertTrue(e.getMessage().contains("not lanczos"), e.getMessage());
  }
}
