package org.explain4j;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.explain4j.exceptions.ExplainException;
import org.explain4j.exceptions.InvalidInputException;
import org.explain4j.exceptions.ModelLoadException;
import org.explain4j.input.InputBatch;
import org.explain4j.testkit.TestModels;

class BadInputTest {
  @TempDir static Path tmp;
  static Path model;
  static Explainer explainer;

  @BeforeAll
  static void build() {
    model = TestModels.cnn(tmp.resolve("cnn"), true);
    explainer = Explainer.builder().setModel(model).build();
  }

  @AfterAll
  static void close() {
    explainer.close();
  }

  static void fails(Class<? extends Throwable> type, Executable call, String... fragments) {
    Throwable e = assertThrows(type, call);
    for (String f : fragments) {
      assertTrue(e.getMessage().contains(f), "expected '" + f + "' in: " + e.getMessage());
    }
  }

  @Test
  void missingDirectory() {
    fails(ModelLoadException.class, () -> Explainer.builder().setModel(tmp.resolve("nope")).build(),
        "No SavedModel directory", "does not exist");
  }

  @Test
  void notASavedModel() throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    fails(ModelLoadException.class, () -> Explainer.builder().setModel(empty).build(), "is not a SavedModel", "saved_model.pb");
  }

  @Test
  void corruptSavedModel() throws Exception {
    Path broken = Files.createDirectories(tmp.resolve("broken"));
    Files.write(broken.resolve("saved_model.pb"), new byte[] {1, 2, 3, 4, 5, 6, 7, (byte) 0xff});
    fails(ModelLoadException.class, () -> Explainer.builder().setModel(broken).build(), "saved_model.pb");
  }

  @Test
  void unknownTagListsTheTagsThatExist() {
    fails(ModelLoadException.class, () -> Explainer.builder().setModel(model).optTags("gpu").build(), "[gpu]", "[[serve]]");
  }

  @Test
  void unknownSignatureListsTheSignaturesThatExist() {
    fails(ModelLoadException.class, () -> Explainer.builder().setModel(model).optSignature("predict").build(),
        "No signature 'predict'", "serving_default");
  }

  @Test
  void unknownInputOrOutput() {
    fails(ModelLoadException.class, () -> Explainer.builder().setModel(model).optInput("pixels").build(), "No input 'pixels'", "[image]");
    fails(ModelLoadException.class, () -> Explainer.builder().setModel(model).optOutput("x").build(), "No output 'x'", "[probabilities]");
  }

  @Test
  void unknownLayerNamesTheClosest() {
    fails(ExplainException.class, () -> Explainer.builder().setModel(model).optLayer("conv2/relu").build(),
        "No layer named 'conv2/relu'", "closest: [conv2/Relu");
    // Nothing close: no misleading list of far names, but the layers automatic choice considers.
    ExplainException far = assertThrows(ExplainException.class, () -> Explainer.builder().setModel(model).optLayer("NoSuchLayer").build());
    assertTrue(!far.getMessage().contains("closest") && far.getMessage().contains("automatic choice considers: [")
        && far.getMessage().contains("conv2/Relu") && !far.getMessage().contains("logits")
        && far.getMessage().contains("explain4j layers"), far.getMessage());
    fails(ExplainException.class, () -> Explainer.builder().setModel(model).optLayer(99).build(), "out of range");
  }

  @Test
  void layerOffThePath() {
    fails(ExplainException.class, () -> Explainer.builder().setModel(model).optLayer("dense/kernel").build(),
        "'dense/kernel'", "is not a layer on the path");
  }

  @Test
  void unitsLayerGetsAGradientTimesActivationMap() {
    try (Explainer dense = Explainer.builder().setModel(model).optLayer("flatten").build()) {
      TargetExplanation t = dense.explain(TestInputs.images(1, 2)).first(0);
      assertTrue(t.method().equals("gradient-x-activation"), t.method());
      assertTrue(t.layerMap().height() == 1 && t.layerMap().width() == 512);
    }
  }

  @Test
  void wrongRankShapeAndType() {
    fails(InvalidInputException.class, () -> explainer.explain(InputBatch.ofFloats(new float[16 * 16 * 3], 16, 16, 3)),
        "expects rank 4", "got rank 3");
    fails(InvalidInputException.class, () -> explainer.explain(InputBatch.ofFloats(new float[2 * 8 * 8 * 3], 2, 8, 8, 3)),
        "expects shape [-1, 16, 16, 3]", "got [2, 8, 8, 3]");
    fails(InvalidInputException.class, () -> explainer.explain(InputBatch.ofInts(new int[16 * 16 * 3], 1, 16, 16, 3)),
        "expects DT_FLOAT", "got DT_INT32");
  }

  @Test
  void emptyBatch() {
    fails(InvalidInputException.class, () -> explainer.explain(InputBatch.ofFloats(new float[0], 0, 16, 16, 3)), "empty batch");
  }

  @Test
  void nonFiniteInputNamesTheItem() {
    float[] values = new float[3 * 16 * 16 * 3];
    values[2 * 768 + 5] = Float.NaN;
    fails(InvalidInputException.class, () -> explainer.explain(InputBatch.ofFloats(values, 3, 16, 16, 3)), "item 2", "NaN");
    values[2 * 768 + 5] = Float.POSITIVE_INFINITY;
    fails(InvalidInputException.class, () -> explainer.explain(InputBatch.ofFloats(values, 3, 16, 16, 3)), "item 2");
  }

  @Test
  void mismatchedValueCount() {
    fails(InvalidInputException.class, () -> InputBatch.ofFloats(new float[10], 1, 16, 16, 3), "holds 768 values, but 10");
  }

  @Test
  void opWithoutGradientIsNamedWithALaterLayer() {
    Path noGrad = TestModels.withoutGradient(tmp.resolve("nograd"));
    fails(ExplainException.class, () -> Explainer.builder().setModel(noGrad).optLayer("features").build(),
        "Digamma", "digamma", "choose a later layer, such as 'digamma'");
  }

  @Test
  void aMissingGradientSuggestsNoLayerOfAnotherKind() {
    // After the op without a gradient there are only [batch, units] layers: none can stand in for a
    // spatial one, so none is suggested (a MatMul is no use to Grad-CAM).
    Path noGrad = TestModels.withoutGradientAfterPooling(tmp.resolve("nograd-pooled"));
    ExplainException e = org.junit.jupiter.api.Assertions.assertThrows(ExplainException.class,
        () -> Explainer.builder().setModel(noGrad).optLayer("features").build());
    assertTrue(e.getMessage().contains("No gradient is registered for op type 'Digamma'"), e.getMessage());
    assertTrue(!e.getMessage().contains("such as"), e.getMessage());
  }

  @Test
  void modelWithoutSpatialLayerSaysSo() throws Exception {
    // The same CNN explained from its logits has no spatial layer downstream of... its input: use
    // a dense-only model instead: flatten -> dense.
    Path dense = tmp.resolve("dense");
    try (org.tensorflow.Graph g = new org.tensorflow.Graph()) {
      org.tensorflow.op.Ops tf = org.tensorflow.op.Ops.create(g);
      var x = tf.withName("image").placeholder(org.tensorflow.types.TFloat32.class,
          org.tensorflow.op.core.Placeholder.shape(org.tensorflow.ndarray.Shape.of(-1, 4, 4, 1)));
      var flat = tf.reshape(x, tf.constant(new int[] {-1, 16}));
      var w = TestModels.variable(tf, "w", org.tensorflow.ndarray.Shape.of(16, 2), new float[32]);
      TestModels.export(g, dense, x, tf.withName("out").linalg.matMul(flat, w), "out");
    }
    fails(ExplainException.class, () -> Explainer.builder().setModel(dense).build(), "No spatial layer");
  }
}
