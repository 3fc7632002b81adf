package org.explain4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.explain4j.internal.tf.FloatReads;
import org.explain4j.internal.tf.LoadedModel;
import org.explain4j.model.Layer;
import org.explain4j.model.ModelDescription;
import org.explain4j.exceptions.ExplainException;
import org.explain4j.input.InputBatch;
import org.explain4j.testkit.TestModels;

/** Function-based (TF2 / Keras) SavedModels, flattened so that their layers can be explained. */
class FlatteningTest {
  @TempDir Path tmp;

  /** The signature output computed by TensorFlow's own function execution, on the bundle as loaded. */
  private static float[] original(Path dir, String input, String output, float[] values, long... shape) {
    try (SavedModelBundle bundle = SavedModelBundle.load(dir.toString(), "serve");
        TFloat32 in = TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(values, true, false))) {
      var sig = bundle.signatures().stream().filter(s -> s.key().equals("serving_default")).findFirst().orElseThrow();
      try (Result r = bundle.session().runner().feed(sig.getInputs().get(input).name, in).fetch(sig.getOutputs().get(output).name).run()) {
        return FloatReads.copy((TFloat32) r.get(0));
      }
    }
  }

  /** The same output from the flattened graph. */
  private static float[] flattened(Path dir, String input, String output, float[] values, long... shape) {
    try (LoadedModel model = LoadedModel.load(dir, new String[] {"serve"});
        TFloat32 in = TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(values, true, false))) {
      assertTrue(model.flattened(), "the model should have been flattened");
      var sig = model.signatures().stream().filter(s -> s.key().equals("serving_default")).findFirst().orElseThrow();
      try (Result r = model.session().runner().feed(sig.getInputs().get(input).name, in).fetch(sig.getOutputs().get(output).name).run()) {
        return FloatReads.copy((TFloat32) r.get(0));
      }
    }
  }

  @Test
  void javaFunctionFixtureFlattensExactlyWithNestedCallsAndTwoOutputs() {
    Path dir = TestModels.functions(tmp.resolve("functions"));
    float[] x = TestModels.random(new Random(1), 3 * 64, 1.0);
    assertArrayEquals(original(dir, "image", "logits", x, 3, 8, 8, 1), flattened(dir, "image", "logits", x, 3, 8, 8, 1));
    assertArrayEquals(original(dir, "image", "features", x, 3, 8, 8, 1), flattened(dir, "image", "features", x, 3, 8, 8, 1));

    ModelDescription d = Explainer.builder().setModel(dir).optOutput("logits").describe();
    Layer relu = d.layers().stream().filter(l -> l.name().matches(".*/relu(_\\d+)?")).findFirst().orElseThrow(() -> new AssertionError(d.summary()));
    assertEquals("Relu", relu.opType());
    assertEquals("[-1, 8, 8, 4]", relu.shape().toString());
    assertEquals(relu, d.chosenLayer(), "automatic choice finds the activation inside the nested function");
    assertTrue(relu.name().split("/").length >= 3, "the op was inlined through both calls: " + relu.name());

    // The explanation inside the function equals the one computed from the same model with the
    // conv written in the top-level graph: same weights, same math.
    try (Explainer explainer = Explainer.builder().setModel(dir).optOutput("logits").build()) {
      InputBatch batch = InputBatch.ofFloats(x, 3, 8, 8, 1);
      Explanation e = explainer.explain(batch, Targets.of(1));
      LayerGradients raw = explainer.gradients(batch, Targets.of(1));
      float[] features = flattened(dir, "image", "features", x, 3, 8, 8, 1);
      assertArrayEquals(features, raw.activations(), 0f, "the layer's activations are the function's features output");
      assertTrue(e.first(0).heatMap().max() > 0);
    }
  }

  @Test
  void kerasLikeModelListsKerasLayersAndChoosesTheLastConvolution() {
    Path dir = TestModels.kerasLike(tmp.resolve("keras"));
    float[] x = TestModels.random(new Random(9), 2 * 64, 1.0);
    assertArrayEquals(original(dir, "image", "dense", x, 2, 8, 8, 1), flattened(dir, "image", "dense", x, 2, 8, 8, 1));
    ModelDescription d = Explainer.builder().setModel(dir).describe();
    assertEquals(TestModels.KERAS_LAYERS, d.layers().stream().map(Layer::name).toList(), d.summary());
    assertEquals("Relu", d.layer("conv2d_1").opType(), "a conv layer outputs its activation");
    assertTrue(d.layer("conv2d_1").op().endsWith("sequential/conv2d_1/Relu"), d.layer("conv2d_1").op());
    assertEquals("[-1, 4, 4, 6]", d.layer("conv2d_1").shape().toString());
    assertEquals("conv2d_1", d.chosenLayer().name());
    try (Explainer explainer = Explainer.builder().setModel(dir).build();
        Explainer byOp = Explainer.builder().setModel(dir).optLayer(d.layer("conv2d").op()).build()) {
      TargetExplanation t = explainer.explain(InputBatch.ofFloats(x, 2, 8, 8, 1)).first(1);
      assertEquals("conv2d_1", t.layer());
      assertEquals(8, t.heatMap().height());
      assertEquals(4, t.layerMap().height());
      assertEquals("conv2d", byOp.layer().name(), "a layer can be named by its op too");
    }
  }

  @Test
  void resourceVariablesPassedIntoNestedFunctionsAreRestored() {
    Path dir = TestModels.resourceVariables(tmp.resolve("resources"));
    float[] x = TestModels.random(new Random(12), 3 * 64, 1.0);
    float[] expected = original(dir, "image", "logits", x, 3, 8, 8, 1);
    boolean nonZero = false;
    for (float v : expected) {
      nonZero |= v != 0;
    }
    assertTrue(nonZero, "TensorFlow's own load restored the variables");
    assertArrayEquals(expected, flattened(dir, "image", "logits", x, 3, 8, 8, 1));
    try (Explainer explainer = Explainer.builder().setModel(dir).build()) {
      assertTrue(explainer.layer().name().matches(".*/relu(_\\d+)?"), explainer.layer().name());
      assertTrue(explainer.explain(InputBatch.ofFloats(x, 3, 8, 8, 1)).first(2).heatMap().max() > 0);
    }
  }

  @Test
  void passThroughGradientsMatchFiniteDifferences() {
    Path dir = TestModels.passThroughOps(tmp.resolve("passthrough"));
    InputBatch batch = InputBatch.ofFloats(TestModels.random(new Random(2), 2 * 64, 1.0), 2, 8, 8, 1);
    LayerGradients raw;
    try (Explainer explainer = Explainer.builder().setModel(dir).optLayer("features").build()) {
      raw = explainer.gradients(batch, Targets.of(2));
    }
    float[] acts = raw.activations();
    float[] grads = raw.ranks().get(0).gradients();
    try (SavedModelBundle bundle = SavedModelBundle.load(dir.toString(), "serve")) {
      Random pick = new Random(3);
      for (int n = 0; n < 20; n++) {
        int j = pick.nextInt(acts.length);
        int item = j / (acts.length / 2);
        double eps = 1e-2;
        double up = logit(bundle, acts, raw.layerShape(), j, eps, item);
        double down = logit(bundle, acts, raw.layerShape(), j, -eps, item);
        assertEquals((up - down) / (2 * eps), grads[j], 2e-3 + 2e-2 * Math.abs((up - down) / (2 * eps)));
      }
    }
  }

  private static double logit(SavedModelBundle bundle, float[] acts, long[] shape, int j, double delta, int item) {
    float[] fed = acts.clone();
    fed[j] += (float) delta;
    try (TFloat32 t = TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(fed, true, false));
        Result r = bundle.session().runner().feed("features", t).fetch("logits").run()) {
      return ((TFloat32) r.get(0)).getFloat(item, 2);
    }
  }

  @Test
  void kotlindlKerasMlpFlattensExactlyAndListsKerasLayers() {
    Path dir = SharedModels.require("kotlindl-mnist-mlp-tf2");
    float[] x = new float[4 * 28 * 28];
    Random rng = new Random(4);
    for (int i = 0; i < x.length; i++) {
      x[i] = rng.nextFloat();
    }
    assertArrayEquals(original(dir, "flatten_2_input", "dense_5", x, 4, 28, 28), flattened(dir, "flatten_2_input", "dense_5", x, 4, 28, 28));

    ModelDescription d = Explainer.builder().setModel(dir).describe();
    assertEquals(List.of("flatten_2", "dense_4", "dense_5"), d.layers().stream().map(Layer::name).toList(), d.summary());
    assertEquals("[-1, 128]", d.layer("dense_4").shape().toString());
    assertEquals("Relu", d.layer("dense_4").opType());
    assertEquals(null, d.chosenLayer());

    ExplainException e = assertThrows(ExplainException.class, () -> Explainer.builder().setModel(dir).build());
    assertTrue(e.getMessage().toLowerCase().contains("no spatial layer"), e.getMessage());

    // A raw explanation of the hidden dense layer: each unit's gradient times its activation.
    try (Explainer explainer = Explainer.builder().setModel(dir).optLayer("dense_4").optRelu(false).build()) {
      InputBatch batch = InputBatch.ofFloats(x, 4, 28, 28);
      Explanation ex = explainer.explain(batch);
      LayerGradients raw = explainer.gradients(batch, Targets.predicted());
      for (int item = 0; item < 4; item++) {
        TargetExplanation t = ex.first(item);
        assertEquals("gradient-x-activation", t.method());
        assertEquals(128, t.layerMap().width());
        float[] map = t.layerMap().values();
        for (int u = 0; u < 128; u++) {
          assertEquals(raw.ranks().get(0).gradients()[item * 128 + u] * raw.activations()[item * 128 + u], map[u], 1e-6f);
        }
        assertFalse(t.allZero());
      }
    }
  }

  @Test
  void halfPlusTwoTf2FlattensExactly() {
    Path dir = SharedModels.require("tfserving-half-plus-two-tf2");
    float[] x = {3.5f};
    float[] y = flattened(dir, "x", "y", x, 1);
    assertArrayEquals(original(dir, "x", "y", x, 1), y);
    assertEquals(0.5f * 3.5f + 2f, y[0], 1e-6f);
  }

  @Test
  void flatGraphsAreNotFlattened() {
    Path dir = TestModels.cnn(tmp.resolve("flat"), true);
    try (LoadedModel model = LoadedModel.load(dir, new String[] {"serve"})) {
      assertFalse(model.flattened());
    }
  }

  @Test
  void missingGradientNamesTheOpAndItsLayer() {
    Path dir = TestModels.withoutGradient(tmp.resolve("nograd"));
    ExplainException e = assertThrows(ExplainException.class, () -> Explainer.builder().setModel(dir).optLayer("features").build());
    assertTrue(e.getMessage().contains("'Digamma' ([digamma in layer 'digamma'])"), e.getMessage());
  }

  @Test
  void kerasNamesKeptInKerasMetadataPbAsTf25To215WriteThem() {
    Path withFile = TestModels.kerasLikeWithMetadataFile(tmp.resolve("tf215"));
    Path inObjectGraph = TestModels.kerasLike(tmp.resolve("tf24"));
    java.util.List<String> fromFile = rowNames(withFile);
    java.util.List<String> fromGraph = rowNames(inObjectGraph);
    assertEquals(fromGraph, fromFile);
    assertTrue(fromFile.contains("conv2d_1"), fromFile.toString());
    try (Explainer byName = Explainer.builder().setModel(withFile).optLayer("conv2d_1").build()) {
      assertTrue(byName.layer().name().equals("conv2d_1"), byName.layer().name());
    }
  }

  @Test
  void keras3ExportsListAndTakeTheirKerasLayerNames() {
    // Keras 3's model.export(): no Keras metadata, scopes sequential_1/Conv1_1 for the layer Conv1.
    Path keras3 = TestModels.keras3Like(tmp.resolve("keras3"));
    Path keras2 = TestModels.kerasLike(tmp.resolve("keras2"));
    assertEquals(java.util.List.of("Conv1", "pool", "conv2d_5", "flatten", "dense"), rowNames(keras3));
    org.explain4j.input.InputBatch batch = org.explain4j.input.InputBatch.ofFloats(
        TestModels.random(new java.util.Random(12), 2 * 64, 1.0), 2, 8, 8, 1);
    try (Explainer byKerasName = Explainer.builder().setModel(keras3).optLayer("conv2d_5").build();
        Explainer first = Explainer.builder().setModel(keras3).optLayer("Conv1").build();
        Explainer reference = Explainer.builder().setModel(keras2).optLayer("conv2d_1").build()) {
      assertTrue(first.layer().op().endsWith("sequential_1/Conv1_1/Relu"), first.layer().op());
      Explanation got = byKerasName.explain(batch);
      Explanation want = reference.explain(batch);
      for (int item = 0; item < 2; item++) {
        assertEquals(want.first(item).target(), got.first(item).target());
        org.junit.jupiter.api.Assertions.assertArrayEquals(want.first(item).layerMap().values(), got.first(item).layerMap().values(), 1e-6f);
      }
    }
  }

  /** The names {@code explain4j layers} lists for a model. */
  private static java.util.List<String> rowNames(Path model) {
    return Explainer.builder().setModel(model).describe().rows().stream().map(org.explain4j.model.ModelDescription.LayerRow::name).toList();
  }
}
