package org.explain4j.nativecpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.explain4j.TestInputs;
import org.explain4j.Explainer;
import org.explain4j.Explanation;
import org.explain4j.input.InputBatch;
import org.explain4j.Targets;
import org.explain4j.testkit.TestModels;
import org.explain4j.engine.CamMaps;
import org.explain4j.engine.CamTask;
import org.explain4j.engine.Engines;
import org.explain4j.cam.Interpolation;
import org.explain4j.engine.JavaCamEngine;
import org.explain4j.exceptions.NonFiniteMapException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The C++ engine against the pure-Java reference, on fresh random inputs. */
class NativeCamEngineTest {
  private final NativeCamEngine engine = new NativeCamEngine();

  @ParameterizedTest(name = "[{index}] {0}x{1}x{2}x{3} -> {4}x{5} first={6} relu={7} sign={8} {9}")
  @CsvSource({
      "2, 7, 7, 2048, 224, 224, false, true, 1, BILINEAR",
      "2, 14, 14, 512, 224, 224, false, true, 1, BICUBIC",
      "3, 3, 5, 9, 17, 31, false, false, 1, BILINEAR",
      "3, 3, 5, 9, 17, 31, true, true, -1, NEAREST",
      "1, 1, 1, 16, 1, 1, false, false, 1, BILINEAR",
      "1, 1, 1, 16, 9, 9, false, true, -1, BICUBIC",
      "2, 20, 24, 8, 5, 7, false, true, 1, BILINEAR",
      "2, 20, 24, 8, 5, 7, true, false, 1, BICUBIC",
      "64, 4, 4, 16, 16, 16, false, true, 1, BILINEAR",
      "1, 1, 120, 32, 1, 500, false, true, 1, BILINEAR",
      "64, 1, 30, 12, 1, 64, true, false, -1, BICUBIC",
      "5, 1, 3000, 4, 1, 3000, false, true, 1, NEAREST"})
  void matchesTheJavaReference(int batch, int h, int w, int c, int oh, int ow, boolean first, boolean relu, float sign,
      Interpolation kind) {
    Random rng = new Random(31L * batch + 7L * h + w + c);
    float[] acts = TestModels.random(rng, batch * h * w * c, 1.0);
    float[] grads = TestModels.random(rng, batch * h * w * c, 1.0);
    CamTask task = new CamTask(new CamTask.Layout(batch, h, w, c, first), CamTask.Buffers.of(acts, grads),
        new CamTask.Options(sign, relu, oh, ow, kind));
    CamMaps expected = new JavaCamEngine().gradCam(task);
    // Poisoned outputs: any element the engine fails to write stays NaN and fails the comparison.
    float[] layer = new float[batch * h * w];
    float[] heat = new float[batch * oh * ow];
    boolean[] zero = new boolean[batch];
    Arrays.fill(layer, Float.NaN);
    Arrays.fill(heat, Float.NaN);
    Arrays.fill(zero, true);
    engine.gradCamInto(task, layer, heat, zero);
    assertClose(expected.layerMaps(), layer, "layer maps");
    assertClose(expected.heatMaps(), heat, "heat maps");
    assertArrayEquals(expected.allZero(), zero);
  }

  private static void assertClose(float[] expected, float[] actual, String what) {
    double scale = 0;
    for (float v : expected) {
      scale = Math.max(scale, Math.abs(v));
    }
    for (int i = 0; i < expected.length; i++) {
      double error = Math.abs(expected[i] - actual[i]);
      assertTrue(error <= 1e-5 * Math.max(1, scale), what + "[" + i + "]: expected " + expected[i] + ", got " + actual[i]);
    }
  }

  @Test
  void zeroMapsAreWrittenAsZerosAndFlagged() {
    float[] acts = new float[2 * 4];
    float[] grads = {1, 1, 1, 1, 1, 1, 1, 1};
    acts[4] = 1;
    CamTask task = new CamTask(new CamTask.Layout(2, 2, 2, 1, false), CamTask.Buffers.of(acts, grads),
        new CamTask.Options(1, true, 3, 3, Interpolation.BILINEAR));
    float[] heat = new float[18];
    Arrays.fill(heat, Float.NaN);
    boolean[] zero = new boolean[2];
    engine.gradCamInto(task, new float[8], heat, zero);
    assertArrayEquals(new boolean[] {true, false}, zero);
    for (int i = 0; i < 9; i++) {
      assertEquals(0f, heat[i]);
    }
  }

  @Test
  void nonFiniteInputsNameTheItem() {
    float[] acts = new float[3 * 4];
    float[] grads = new float[3 * 4];
    acts[9] = Float.POSITIVE_INFINITY;
    NonFiniteMapException e = assertThrows(NonFiniteMapException.class, () -> engine.gradCam(new CamTask(new CamTask.Layout(3, 2, 2, 1, false), CamTask.Buffers.of(acts, grads),
        new CamTask.Options(1, true, 2, 2, Interpolation.BILINEAR))));
    assertEquals(2, e.item());
  }

  @Test
  void interpolationCodesAreTheHeaderEnumValues() throws java.io.IOException {
    String header = java.nio.file.Files.readString(Path.of("../jni/src/main/cpp/cam_math.h"));
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("enum Interpolation \\{([^}]*)\\}").matcher(header);
    assertTrue(m.find(), "cam_math.h declares enum Interpolation");
    java.util.Map<String, Integer> codes = new java.util.HashMap<>();
    for (String entry : m.group(1).split(",")) {
      String[] kv = entry.split("=");
      codes.put(kv[0].trim(), Integer.parseInt(kv[1].trim()));
    }
    assertEquals(java.util.Set.of("NEAREST", "BILINEAR", "BICUBIC"), codes.keySet(), "the kinds the native engines resample with");
    for (String kind : codes.keySet()) {
      assertEquals(codes.get(kind), Interpolation.valueOf(kind).code(), kind);
    }
    // Lanczos has no native code: the engine refuses it rather than resample with something else.
    IllegalArgumentException lanczos = assertThrows(IllegalArgumentException.class, () -> engine.gradCam(new CamTask(
        new CamTask.Layout(1, 2, 2, 1, false), CamTask.Buffers.of(new float[4], new float[4]),
        new CamTask.Options(1, true, 4, 4, Interpolation.LANCZOS))));
    assertTrue(lanczos.getMessage().contains("lanczos"), lanczos.getMessage());
  }

  @Test
  void autoPicksTheNativeEngine() {
    var availability = new NativeEngineProvider().availability();
    assertTrue(availability.available(), availability.reason());
    assertEquals("native", Engines.select("auto").name());
  }

  @Test
  void explanationsReadTensorMemoryAndMatchTheJavaEngine(@TempDir Path tmp) {
    Path model = TestModels.cnn(tmp.resolve("cnn"), true);
    InputBatch batch = TestInputs.images(6, 5);
    try (Explainer nativeExplainer = Explainer.builder().setModel(model).build();
        Explainer java = Explainer.builder().setModel(model).optEngine("java").build()) {
      assertEquals("native", nativeExplainer.engine());
      Explanation a = nativeExplainer.explain(batch, Targets.topK(2));
      Explanation b = java.explain(batch, Targets.topK(2));
      assertEquals("native", a.engine());
      for (int i = 0; i < a.targets().size(); i++) {
        assertArrayEquals(b.targets().get(i).heatMap().values(), a.targets().get(i).heatMap().values(), 1e-5f);
        assertArrayEquals(b.targets().get(i).layerMap().values(), a.targets().get(i).layerMap().values(), 1e-5f);
      }
    }
  }

  @Test
  void aDenseLayerReportsTheJavaCodeThatComputedIt(@TempDir Path tmp) {
    Path model = tmp.resolve("gap");
    TestModels.gap(model);
    InputBatch batch = InputBatch.ofFloats(TestModels.random(new Random(9), 2 * TestModels.GAP_H * TestModels.GAP_W * 2, 1.0),
        2, TestModels.GAP_H, TestModels.GAP_W, 2);
    try (Explainer dense = Explainer.builder().setModel(model).optLayer("logits").build()) {
      assertEquals("native", dense.engine(), "the explainer's engine");
      Explanation e = dense.explain(batch);
      assertEquals("gradient-x-activation", e.provenance().method());
      assertEquals("java", e.engine(), "gradient x activation runs in Java, whatever the engine");
      assertEquals("java", e.provenance().engine());
      assertEquals("java", e.first(0).engine());
    }
  }

  @Test
  void eightThreadsOnOneNativeExplainerAtResNetSizesMatchSerialResults(@TempDir Path tmp) throws Exception {
    // 7x7x2048 -> 224x224: above every parallel threshold, so concurrent calls share the thread pool.
    Path model = TestModels.wide(tmp.resolve("wide"));
    int calls = 16;
    java.util.function.IntFunction<InputBatch> batch = i -> InputBatch.ofFloats(
        TestModels.random(new Random(i), (1 + i % 3) * 224 * 224 * 3, 1.0), 1 + i % 3, 224, 224, 3);
    try (Explainer explainer = Explainer.builder().setModel(model).build()) {
      assertEquals("native", explainer.engine());
      assertEquals("[-1, 7, 7, 2048]", explainer.layer().shape().toString());
      List<Explanation> serial = new java.util.ArrayList<>();
      for (int i = 0; i < calls; i++) {
        serial.add(explainer.explain(batch.apply(i), Targets.topK(2)));
      }
      java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
      try {
        List<java.util.concurrent.Future<Explanation>> parallel = new java.util.ArrayList<>();
        for (int i = 0; i < calls; i++) {
          int n = i;
          parallel.add(pool.submit(() -> explainer.explain(batch.apply(n), Targets.topK(2))));
        }
        for (int i = 0; i < calls; i++) {
          Explanation a = serial.get(i);
          Explanation b = parallel.get(i).get();
          assertEquals(a.targets().size(), b.targets().size());
          for (int t = 0; t < a.targets().size(); t++) {
            assertEquals(a.targets().get(t).target(), b.targets().get(t).target());
            assertArrayEquals(a.targets().get(t).heatMap().values(), b.targets().get(t).heatMap().values(), 1e-6f, "call " + i);
            assertArrayEquals(a.targets().get(t).layerMap().values(), b.targets().get(t).layerMap().values(), 1e-6f, "call " + i);
          }
        }
      } finally {
        pool.shutdown();
      }
    }
  }
}
