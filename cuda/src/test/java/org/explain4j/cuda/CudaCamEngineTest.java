package org.explain4j.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.Random;
import org.explain4j.Explainer;
import org.explain4j.testkit.TestModels;
import org.explain4j.engine.Availability;
import org.explain4j.engine.CamEngine;
import org.explain4j.engine.CamFormula;
import org.explain4j.engine.CamMaps;
import org.explain4j.engine.CamTask;
import org.explain4j.engine.Engines;
import org.explain4j.cam.Interpolation;
import org.explain4j.exceptions.ExplainException;
import org.explain4j.exceptions.NonFiniteMapException;
import org.explain4j.nativecpu.NativeCamEngine;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CudaCamEngineTest {
  private final CudaCamEngine cuda = new CudaCamEngine();
  private final CudaEngineProvider provider = new CudaEngineProvider();

  /** Skips, saying why, where no CUDA device answers. */
  private void requireGpu() {
    String reason = !provider.availability().available() ? "no usable CUDA device: " + provider.availability().reason() : null;
    if (reason != null) {
      System.out.println("Skipping GPU test: " + reason);
    }
    assumeTrue(reason == null, reason);
  }

  @Test
  void withoutADeviceTheEngineSaysWhyAndAutoFallsBack(@TempDir Path tmp) {
    assumeTrue(!provider.availability().available(), "a CUDA device is present: the fallback is not observable here");
    String reason = provider.availability().reason();
    System.out.println("CUDA engine unavailable here: " + reason);
    assertTrue(reason.startsWith("no library") || reason.startsWith("no driver") || reason.startsWith("no device"), reason);
    CamEngine picked = Engines.select("auto");
    assertFalse(picked.name().equals("cuda"));
    ExplainException e = assertThrows(ExplainException.class,
        () -> Explainer.builder().setModel(TestModels.cnn(tmp.resolve("cnn"), true)).optEngine("cuda").build());
    assertTrue(e.getMessage().contains("'cuda' cannot run here") && e.getMessage().contains(reason), e.getMessage());
  }

  @Test
  void aJarBuiltWithoutNvccSaysSoInsteadOfFailingToLoad() {
    // The jar a build without nvcc makes has no library resource: the engine must say why, not throw.
    // probe() directly: availability() is remembered per provider class for the whole JVM.
    Availability answer = new CudaEngineProvider("/org/explain4j/cuda/linux-x86_64/absent.so").probe();
    assertFalse(answer.available());
    assertTrue(answer.reason().startsWith("no library: this explain4j-cuda jar was built without"), answer.reason());
    assertTrue(answer.reason().contains("nvcc"), answer.reason());
  }

  @Test
  void theLibraryIsBuiltAndLoadsWithoutADriver() {
    // Where nvcc built the library, loading it must work on a driverless machine and report the
    // runtime's error rather than fail to link (cudart is linked statically).
    assumeTrue(getClass().getResource("/org/explain4j/cuda/linux-x86_64/libjniExplain4jCuda.so") != null,
        "the CUDA JNI library was not built (no nvcc)");
    assertFalse(provider.availability().reason().startsWith("no library"), provider.availability().reason());
  }

  @Tag("gpu")
  @ParameterizedTest
  @CsvSource({
      "32, 7, 7, 2048, 224, 224, false, true, 1, BILINEAR",
      "32, 14, 14, 512, 224, 224, false, true, 1, BICUBIC",
      "3, 3, 5, 9, 17, 31, true, false, -1, NEAREST",
      "64, 1, 30, 12, 1, 64, false, true, 1, BILINEAR",
      "1, 1, 1, 4, 5, 5, false, true, 1, BILINEAR"})
  void gpuMatchesTheNativeEngine(int batch, int h, int w, int c, int oh, int ow, boolean first, boolean relu, float sign,
      Interpolation kind) {
    requireGpu();
    Random rng = new Random(batch + h + c);
    float[] acts = TestModels.random(rng, batch * h * w * c, 1.0);
    float[] grads = TestModels.random(rng, batch * h * w * c, 1.0);
    CamTask task = new CamTask(new CamTask.Layout(batch, h, w, c, first), CamTask.Buffers.of(acts, grads),
        new CamTask.Options(sign, relu, oh, ow, kind));
    CamMaps expected = new NativeCamEngine().gradCam(task);
    CamMaps got = cuda.gradCam(task);
    assertClose(expected.layerMaps(), got.layerMaps());
    assertClose(expected.heatMaps(), got.heatMaps());
    assertArrayEquals(expected.allZero(), got.allZero());
  }

  /** Every formula of cam_math.h on the GPU against the C++ engine (itself checked against the Java methods). */
  @Tag("gpu")
  @ParameterizedTest
  @CsvSource({
      "XGRAD_CAM, 8, 7, 7, 512, false, true, 1, BILINEAR", "XGRAD_CAM, 3, 5, 6, 33, true, false, -1, BICUBIC",
      "HIRES_CAM, 8, 7, 7, 512, false, false, 1, BILINEAR", "HIRES_CAM, 3, 5, 6, 33, true, true, -1, NEAREST",
      "GRAD_CAM_ELEMENTWISE, 8, 14, 14, 256, false, true, 1, BICUBIC", "GRAD_CAM_ELEMENTWISE, 3, 5, 6, 33, true, false, 1, BILINEAR",
      "LAYER_CAM, 8, 28, 28, 128, false, true, 1, BILINEAR", "LAYER_CAM, 3, 5, 6, 33, true, false, -1, NEAREST"})
  void gpuFormulasMatchTheNativeEngine(CamFormula formula, int batch, int h, int w, int c, boolean first, boolean relu, float sign,
      Interpolation kind) {
    requireGpu();
    Random rng = new Random(formula.code() * 31 + c);
    float[] acts = TestModels.random(rng, batch * h * w * c, 1.0);
    for (int i = 0; i < acts.length; i++) {
      acts[i] = Math.abs(acts[i]); // as a ReLU leaves them: XGrad-CAM divides by their sum
    }
    float[] grads = TestModels.random(rng, batch * h * w * c, 1.0);
    CamTask task = new CamTask(new CamTask.Layout(batch, h, w, c, first), CamTask.Buffers.of(acts, grads),
        new CamTask.Options(sign, relu, 64, 64, kind));
    CamMaps expected = new NativeCamEngine().compute(task, formula);
    CamMaps got = cuda.compute(task, formula);
    assertClose(expected.layerMaps(), got.layerMaps());
    assertClose(expected.heatMaps(), got.heatMaps());
    assertArrayEquals(expected.allZero(), got.allZero());
  }

  /** Five methods from one pass on the GPU: each formula passes its check and runs on the device. */
  @Tag("gpu")
  @Test
  void gpuRunsTheFormulaMethodsOfAnExplainer(@TempDir Path tmp) {
    requireGpu();
    try (Explainer gpu = Explainer.builder().setModel(TestModels.cnn(tmp.resolve("cnn"), true)).optEngine("cuda")
        .optMethod("grad-cam,xgrad-cam,hires-cam,grad-cam-elementwise,layer-cam").build()) {
      org.explain4j.Explanation e = gpu.explain(org.explain4j.input.InputBatch.ofFloats(TestModels.imageValues(4, 2), 4,
          TestModels.H, TestModels.W, 3));
      for (org.explain4j.TargetExplanation t : e.targets()) {
        assertEquals("cuda", t.engine(), t.method());
      }
    }
  }

  @Tag("gpu")
  @Test
  void gpuNamesTheItemWithNonFiniteInputs() {
    requireGpu();
    float[] acts = new float[3 * 4];
    float[] grads = new float[3 * 4];
    grads[6] = Float.NaN;
    NonFiniteMapException e = assertThrows(NonFiniteMapException.class, () -> cuda.gradCam(new CamTask(new CamTask.Layout(3, 2, 2, 1, false), CamTask.Buffers.of(acts, grads),
        new CamTask.Options(1, true, 2, 2, Interpolation.BILINEAR))));
    assertEquals(1, e.item());
  }

  @Tag("gpu")
  @Test
  void gpuStateIsFreedOnCloseAndMadeAgainOnUse() {
    requireGpu();
    Random rng = new Random(4);
    CamTask big = new CamTask(new CamTask.Layout(8, 7, 7, 256, false),
        CamTask.Buffers.of(TestModels.random(rng, 8 * 49 * 256, 1.0), TestModels.random(rng, 8 * 49 * 256, 1.0)),
        new CamTask.Options(1, true, 64, 64, Interpolation.BILINEAR));
    CamTask small = new CamTask(new CamTask.Layout(1, 3, 3, 4, false),
        CamTask.Buffers.of(TestModels.random(rng, 36, 1.0), TestModels.random(rng, 36, 1.0)),
        new CamTask.Options(1, true, 9, 9, Interpolation.BICUBIC));
    CamMaps before = cuda.gradCam(big);
    cuda.gradCam(small); // reuses the larger buffers
    cuda.close();
    CamMaps after = cuda.gradCam(big);
    assertArrayEquals(before.heatMaps(), after.heatMaps(), 1e-6f);
    assertClose(new NativeCamEngine().gradCam(small).heatMaps(), cuda.gradCam(small).heatMaps());
  }

  /** The device a Spark executor names (explain4j.cuda.device) is the one the maps are made on; one the runtime lacks is an error. */
  @Tag("gpu")
  @Test
  void gpuRunsOnTheDeviceThePropertyNamesAndRefusesOneItLacks() {
    requireGpu();
    Random rng = new Random(9);
    CamTask task = new CamTask(new CamTask.Layout(2, 5, 5, 8, false),
        CamTask.Buffers.of(TestModels.random(rng, 2 * 25 * 8, 1.0), TestModels.random(rng, 2 * 25 * 8, 1.0)),
        new CamTask.Options(1, true, 20, 20, Interpolation.BILINEAR));
    int count = CudaKernels.e4j_cuda_device_count();
    try {
      System.setProperty(CudaCamEngine.DEVICE_PROPERTY, String.valueOf(count - 1));
      assertClose(new NativeCamEngine().gradCam(task).heatMaps(), cuda.gradCam(task).heatMaps());
      System.setProperty(CudaCamEngine.DEVICE_PROPERTY, String.valueOf(count));
      IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> cuda.gradCam(task));
      assertTrue(e.getMessage().contains("cannot use device " + count) && e.getMessage().contains("sees " + count), e.getMessage());
    } finally {
      System.clearProperty(CudaCamEngine.DEVICE_PROPERTY);
    }
    assertClose(new NativeCamEngine().gradCam(task).heatMaps(), cuda.gradCam(task).heatMaps());
  }

  @Test
  void aDevicePropertyThatIsNoOrdinalIsAClearError() {
    try {
      System.setProperty(CudaCamEngine.DEVICE_PROPERTY, "GPU-7f3a");
      IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, CudaCamEngine::device);
      assertTrue(e.getMessage().contains("GPU-7f3a"), e.getMessage());
    } finally {
      System.clearProperty(CudaCamEngine.DEVICE_PROPERTY);
    }
    assertEquals(0, CudaCamEngine.device());
  }

  @Test
  void closingWithoutADeviceIsHarmless() {
    cuda.close();
    cuda.close();
  }

  private static void assertClose(float[] expected, float[] actual) {
    double scale = 0;
    for (float v : expected) {
      scale = Math.max(scale, Math.abs(v));
    }
    for (int i = 0; i < expected.length; i++) {
      assertTrue(Math.abs(expected[i] - actual[i]) <= 1e-4 * Math.max(1, scale), i + ": " + expected[i] + " vs " + actual[i]);
    }
  }
}
