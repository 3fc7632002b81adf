package org.explain4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.explain4j.exceptions.ExplainException;
import org.explain4j.exceptions.ModelLoadException;
import org.explain4j.input.InputBatch;
import org.explain4j.model.Layer;

/** The third-party models in testdata/models (see its README for provenance and licences). */
class RealModelsTest {

  @Test
  void mobilenetFrozenGraphExplainsAPhotoAtItsLogit() {
    Path dir = SharedModels.require("mobilenet-v1-025-128-frozen");
    Path photo = SharedModels.image("grace_hopper.jpg");
    try (Explainer explainer = Explainer.builder().setModel(dir.resolve("frozen_graph.pb")).optLabels(dir.resolve("labels.txt")).build()) {
      assertEquals("MobilenetV1/MobilenetV1/Conv2d_13_pointwise/Relu6", explainer.layer().name(), "automatic choice");
      var rows = explainer.model().rows().stream().map(r -> r.name() + " -> " + r.layer().op()).toList();
      assertTrue(rows.contains("MobilenetV1/MobilenetV1/Conv2d_13_pointwise -> MobilenetV1/MobilenetV1/Conv2d_13_pointwise/Relu6"),
          "one row per TF-slim block: " + rows);
      assertTrue(rows.size() < explainer.model().layers().size() / 2, rows.size() + " rows for " + explainer.model().layers().size() + " ops");
      // Google's preprocessing for these models: RGB scaled to [-1, 1].
      InputBatch batch = org.explain4j.input.ImagePreprocessor.forModel(explainer.model()).optScale(1 / 127.5f).optMean(1f).build()
          .toBatch(List.of(org.explain4j.input.Images.read(photo)));
      Explanation e = explainer.explain(batch, Targets.topK(3));
      TargetExplanation top = e.first(0);
      String label = top.label().orElseThrow();
      assertTrue(label.matches("(?i).*(uniform|suit|bow tie).*"), "Grace Hopper in uniform, predicted: " + label);
      assertEquals(org.explain4j.model.ScoreKind.LOGIT, e.provenance().score(), "the logit behind Reshape(Softmax(Reshape(logits)))");
      assertTrue(top.probability().isPresent() && top.probability().getAsDouble() < 1 && top.score() > 1,
          "a logit, not a probability: score " + top.score() + ", probability " + top.probability());
      assertEquals(128, top.heatMap().height());
      assertEquals(4, top.layerMap().height());
      assertTrue(!top.allZero() && top.heatMap().max() > 0);
      System.out.printf("mobilenet-v1-025-128: %s (logit %.2f, p=%.3f)%n", label, top.score(), top.probability().getAsDouble());
      // The graph declares a batch of 1 that no op depends on: loaded with a free batch, the photo and its
      // mirror run as one batch, and each gets what it gets alone.
      InputBatch mirrored = org.explain4j.input.ImagePreprocessor.forModel(explainer.model()).optScale(1 / 127.5f).optMean(1f).build()
          .toBatch(List.of(mirror(org.explain4j.input.Images.read(photo))));
      InputBatch both = InputBatch.concat(List.of(batch, mirrored));
      Explanation two = explainer.explain(both, Targets.topK(3));
      assertEquals(2, two.batchSize());
      assertEquals(6, two.targets().size());
      for (int k = 0; k < 3; k++) {
        assertArrayEquals(e.targets().get(k).heatMap().values(), two.targets().get(k).heatMap().values(), 1e-6f, "photo, target " + k);
      }
      Explanation alone = explainer.explain(mirrored, Targets.topK(3));
      for (int k = 0; k < 3; k++) {
        assertEquals(alone.targets().get(k).target(), two.forItem(1).get(k).target());
        assertArrayEquals(alone.targets().get(k).heatMap().values(), two.forItem(1).get(k).heatMap().values(), 1e-6f, "mirror, target " + k);
      }
      assertArrayEquals(explainer.predict(mirrored), java.util.Arrays.copyOfRange(explainer.predict(both), 1001, 2002), 1e-6f);
    }
    try (Explainer byScope = Explainer.builder().setModel(dir.resolve("frozen_graph.pb")).optLayer("Conv2d_11_pointwise").build()) {
      assertEquals("MobilenetV1/MobilenetV1/Conv2d_11_pointwise/Relu6", byScope.layer().name(), "a TF-slim scope names its output");
      assertEquals("[-1, 8, 8, 128]", byScope.layer().shape().toString(), "the declared batch of 1 is freed at load");
    }
  }

  /**
   * MobileNet ends Conv2d_13 -> global average pool -> 1x1 conv logits, so the gradient at the last
   * block is the same at every cell (the class's weight / 16): Grad-CAM, HiResCAM and XGrad-CAM
   * must then give one map, as they do on the GAP fixture.
   */
  @Test
  void mobilenetsGlobalPoolingMakesThreeMethodsCoincide() {
    Path dir = SharedModels.require("mobilenet-v1-025-128-frozen");
    Path photo = SharedModels.image("grace_hopper.jpg");
    try (Explainer explainer = Explainer.builder().setModel(dir.resolve("frozen_graph.pb")).optMethod("grad-cam,hires-cam,xgrad-cam")
        .build()) {
      InputBatch batch = org.explain4j.input.ImagePreprocessor.forModel(explainer.model()).optScale(1 / 127.5f).optMean(1f).build()
          .toBatch(List.of(org.explain4j.input.Images.read(photo)));
      Explanation e = explainer.explain(batch, Targets.topK(2));
      for (int rank = 0; rank < 2; rank++) {
        int r = rank;
        List<TargetExplanation> maps = e.targets().stream().filter(t -> t.target() == e.targets().get(r * 3).target()).toList();
        assertEquals(List.of("grad-cam", "hires-cam", "xgrad-cam"), maps.stream().map(TargetExplanation::method).toList());
        float[] grad = maps.get(0).layerMap().values();
        float scale = maps.get(0).layerMap().max();
        assertTrue(scale > 0, "a map with something in it");
        for (TargetExplanation other : maps.subList(1, 3)) {
          float[] v = other.layerMap().values();
          for (int i = 0; i < grad.length; i++) {
            assertEquals(grad[i], v[i], 1e-4 * scale, other.method() + " cell " + i + ", rank " + rank);
          }
        }
      }
    }
  }

  @Test
  void mlnetConvTf1ExplainsADrawnDigit() {
    Path dir = SharedModels.require("mlnet-mnist-conv-tf1");
    try (Explainer explainer = Explainer.builder().setModel(dir).optLayer("Relu_2").build()) {
      List<String> names = explainer.model().layers().stream().map(Layer::name).toList();
      assertTrue(names.containsAll(List.of("Relu", "Relu_1", "Relu_2", "add_4", "Prediction")), names.toString());
      assertTrue(names.stream().noneMatch(n -> n.startsWith("dropout/random")), "dropout's random mask is no layer: " + names);
      assertEquals("[-1, 7, 7, 24]", explainer.model().layer("Relu_2").shape().toString());
      TargetExplanation t = explainer.explain(InputBatch.ofFloats(SharedModels.drawnSeven(), 1, 28, 28, 1)).first(0);
      assertEquals(28, t.heatMap().height());
      assertEquals(28, t.heatMap().width());
      assertEquals(7, t.layerMap().height());
      float[] v = t.heatMap().values();
      float min = Float.MAX_VALUE;
      float max = -Float.MAX_VALUE;
      for (float x : v) {
        assertTrue(Float.isFinite(x));
        min = Math.min(min, x);
        max = Math.max(max, x);
      }
      assertTrue(max > min, "the map must not be constant");
      assertTrue(t.probability().isPresent());
      System.out.printf("mlnet-mnist-conv-tf1: predicted %d (p=%.3f) for a drawn 7%n", t.target(), t.probability().getAsDouble());
    }
  }

  @Test
  void mlnetAutomaticChoiceIsTheLastConvolutionsActivation() {
    Path dir = SharedModels.require("mlnet-mnist-conv-tf1");
    try (Explainer explainer = Explainer.builder().setModel(dir).build()) {
      assertEquals("Relu_2", explainer.layer().name());
    }
  }

  @Test
  void kotlindlMlpHasNoSpatialLayer() {
    Path dir = SharedModels.require("kotlindl-mnist-mlp-tf2");
    ExplainException e = assertThrows(ExplainException.class, () -> Explainer.builder().setModel(dir).build());
    assertTrue(e.getMessage().toLowerCase().contains("no spatial layer"), e.getMessage());
  }

  @Test
  void halfPlusTwoListsItsSignatures() {
    Path dir = SharedModels.require("tfserving-half-plus-two-tf1");
    ModelLoadException e = assertThrows(ModelLoadException.class,
        () -> Explainer.builder().setModel(dir).optSignature("nope").build());
    assertTrue(e.getMessage().contains("serving_default"), e.getMessage());
  }

  private static java.awt.image.BufferedImage mirror(java.awt.image.BufferedImage image) {
    java.awt.image.BufferedImage out = new java.awt.image.BufferedImage(image.getWidth(), image.getHeight(),
        java.awt.image.BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        out.setRGB(image.getWidth() - 1 - x, y, image.getRGB(x, y));
      }
    }
    return out;
  }
}
