package org.explain4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.explain4j.engine.CamTask;
import org.explain4j.exceptions.ExplainException;
import org.explain4j.input.InputBatch;
import org.explain4j.internal.memory.GuardedFloats;
import org.explain4j.testkit.TestModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.ConfigProto;

/**
 * One loaded model, options per call: every option set gives what an explainer built for it alone
 * gives, without another load; (layer, score) subgraphs are built once, bounded, and safely from
 * many threads; the session takes the settings it is given.
 */
class ExplainModelTest {
  @TempDir static Path tmp;
  static Path cnn;
  static InputBatch images;

  @BeforeAll
  static void models() {
    cnn = TestModels.cnn(tmp.resolve("cnn"), true);
    images = TestInputs.images(3, 17);
  }

  private static ExplainerConfig config() {
    return Explainer.builder().setModel(cnn).config();
  }

  @Test
  void eachOptionSetEqualsAnExplainerBuiltForItAlone() {
    List<ExplainOptions> sets = List.of(
        ExplainOptions.DEFAULTS,
        ExplainOptions.builder().optMethods("hires-cam", "layer-cam").optTargets(Targets.topK(2)).build(),
        ExplainOptions.builder().optLayer("conv1/Relu").optRelu(false).optCounterfactual(true).build(),
        ExplainOptions.builder().optScore(org.explain4j.model.ScoreKind.OUTPUT).optMethod("xgrad-cam").build(),
        ExplainOptions.builder().optMethod("score-cam").optPerturbation(3, 0).optTargets(Targets.of(1)).build());
    long loads = ExplainModel.loads();
    try (ExplainModel model = ExplainModel.load(config())) {
      for (ExplainOptions options : sets) {
        Explanation shared = model.explain(images, options);
        try (Explainer alone = Explainer.of(config().toBuilder().optOptions(options).config())) {
          Explanation reference = alone.explain(images, options.targets());
          assertEquals(reference.method(), shared.method());
          assertEquals(reference.provenance(), shared.provenance());
          assertEquals(reference.targets().size(), shared.targets().size());
          for (int k = 0; k < shared.targets().size(); k++) {
            assertEquals(reference.targets().get(k).target(), shared.targets().get(k).target());
            assertArrayEquals(reference.targets().get(k).layerMap().values(), shared.targets().get(k).layerMap().values(), 1e-6f,
                options + " target " + k);
          }
        }
      }
      assertEquals(3, model.cachedSubgraphs(), "(conv2, default), (conv1, default), (conv2, output)");
    }
    assertEquals(1 + sets.size(), ExplainModel.loads() - loads, "one load for the shared model, one per explainer built alone");
  }

  @Test
  void subgraphsAreBoundedAndAnEvictedOneIsBuiltAgainCorrectly() {
    try (ExplainModel model = ExplainModel.load(config().toBuilder().optMaxSubgraphs(2).config())) {
      ExplainOptions conv1 = ExplainOptions.builder().optLayer("conv1/Relu").build();
      ExplainOptions conv2 = ExplainOptions.builder().optLayer("conv2/Relu").build();
      ExplainOptions conv2Output = conv2.toBuilder().optScore(org.explain4j.model.ScoreKind.OUTPUT).build();
      float[] first = model.explain(images, conv1).first(0).layerMap().values();
      model.explain(images, conv2);
      model.explain(images, conv2Output);
      assertEquals(2, model.cachedSubgraphs());
      assertEquals(3, model.subgraphBuilds());
      // conv1's pair was the least recently used: dropped, then built again under new names.
      assertArrayEquals(first, model.explain(images, conv1).first(0).layerMap().values(), 1e-6f);
      assertEquals(4, model.subgraphBuilds());
      assertEquals(2, model.cachedSubgraphs());
    }
    assertThrows(ExplainException.class, () -> config().toBuilder().optMaxSubgraphs(0).config());
  }

  @Test
  void tensorMemoryReadAfterComputeIsAnExceptionNotACrash() {
    try (ExplainModel model = ExplainModel.load(config())) {
      Explanation e = model.explain(images, ExplainOptions.builder().optMethod("test-channel-sum").build());
      assertEquals(images.batchSize(), e.targets().size());
      CamTask.Buffers kept = ChannelSumMethod.kept;
      // The session run's tensors are closed by now: reading their views must throw, not read freed memory.
      IllegalStateException late = assertThrows(IllegalStateException.class, () -> kept.activations().getFloat(0));
      assertTrue(late.getMessage().contains("after compute returned"), late.getMessage());
      assertThrows(IllegalStateException.class, () -> kept.gradients().read(new float[4], 0, 4));
      assertThrows(IllegalStateException.class, () -> GuardedFloats.addressOf(kept.activations()));
    }
  }

  @Test
  void guardedViewsSliceTheirAddressAndStayReadOnly() {
    GuardedFloats.Validity validity = new GuardedFloats.Validity();
    GuardedFloats g = GuardedFloats.of(org.tensorflow.ndarray.buffer.DataBuffers.of(new float[] {1, 2, 3, 4, 5}, true, false), 1000,
        validity);
    assertEquals(1000 + 2 * Float.BYTES, GuardedFloats.addressOf(g.slice(2, 3)));
    assertEquals(3f, g.slice(2, 3).getFloat(0));
    assertEquals(0, GuardedFloats.addressOf(org.tensorflow.ndarray.buffer.DataBuffers.of(new float[2], true, false)));
    assertThrows(UnsupportedOperationException.class, () -> g.setFloat(1f, 0));
    validity.end();
    assertThrows(IllegalStateException.class, () -> g.slice(1, 1));
  }

  @Test
  void badOptionsFailPerCallAndTheModelGoesOn() {
    try (ExplainModel model = ExplainModel.load(config())) {
      ExplainException layer = assertThrows(ExplainException.class,
          () -> model.explain(images, ExplainOptions.builder().optLayer("nope").build()));
      assertTrue(layer.getMessage().contains("conv1/Relu"), "lists the layers: " + layer.getMessage());
      ExplainException method = assertThrows(ExplainException.class,
          () -> model.explain(images, ExplainOptions.builder().optMethod("magic").build()));
      assertTrue(method.getMessage().contains("grad-cam"), method.getMessage());
      assertThrows(ExplainException.class, () -> model.prepare(ExplainOptions.builder().optEngine("nope").build()));
      assertEquals(images.batchSize(), model.explain(images, ExplainOptions.DEFAULTS).targets().size());
    }
  }

  @Test
  void manyThreadsAskingForNewLayersAtOnceGetTheSameMapsAsSerially() throws Exception {
    List<ExplainOptions> sets = new ArrayList<>();
    for (String layer : List.of("conv1/Relu", "conv2/Relu")) {
      for (var score : new org.explain4j.model.ScoreKind[] {null, org.explain4j.model.ScoreKind.OUTPUT}) {
        for (String method : List.of("grad-cam", "hires-cam", "layer-cam")) {
          sets.add(ExplainOptions.builder().optLayer(layer).optScore(score).optMethod(method).optTargets(Targets.topK(2)).build());
        }
      }
    }
    List<float[]> serial = new ArrayList<>();
    try (ExplainModel reference = ExplainModel.load(config())) {
      for (ExplainOptions o : sets) {
        serial.add(reference.explain(images, o).first(2).layerMap().values());
      }
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try (ExplainModel model = ExplainModel.load(config())) {
      List<Future<float[]>> results = new ArrayList<>();
      for (int round = 0; round < 4; round++) {
        for (ExplainOptions o : sets) {
          results.add(pool.submit(() -> model.explain(images, o).first(2).layerMap().values()));
        }
      }
      for (int i = 0; i < results.size(); i++) {
        assertArrayEquals(serial.get(i % sets.size()), results.get(i).get(), 1e-6f, "option set " + i % sets.size());
      }
      assertEquals(4, model.subgraphBuilds(), "each (layer, score) pair built once, however many threads asked at once");
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void theSessionTakesTheSettingsItIsGiven() {
    // An operation timeout of 1 ms cannot be met by restoring ResNet-18's variables (45 MB): the
    // load fails with TensorFlow's timeout, which shows that the settings reached the session.
    Path resnet = TestModels.resnet(tmp.resolve("resnet18"), 18);
    ConfigProto timeout = ConfigProto.newBuilder().setOperationTimeoutInMs(1).build();
    ExplainException e = assertThrows(ExplainException.class,
        () -> ExplainModel.load(Explainer.builder().setModel(resnet).optSessionConfig(timeout).config()).close());
    assertTrue(e.getMessage().contains("Timed out"), e.getMessage());
    // Thread pools of one: the same maps as TensorFlow's default pools, on a SavedModel and a frozen graph.
    Path frozen = TestModels.frozenSlim(tmp.resolve("frozen_graph.pb"));
    InputBatch small = InputBatch.ofFloats(TestModels.random(new java.util.Random(2), 2 * 8 * 8 * 3, 1.0), 2, 8, 8, 3);
    for (var pair : List.of(java.util.Map.entry(cnn, images), java.util.Map.entry(frozen, small))) {
      try (Explainer one = Explainer.builder().setModel(pair.getKey()).optThreads(1, 1).build();
          Explainer any = Explainer.builder().setModel(pair.getKey()).build()) {
        assertArrayEquals(any.explain(pair.getValue()).first(0).layerMap().values(),
            one.explain(pair.getValue()).first(0).layerMap().values(), 1e-5f, pair.getKey().toString());
      }
    }
    assertThrows(ExplainException.class, () -> Explainer.builder().setModel(cnn).optThreads(-1, 0));
  }
}
