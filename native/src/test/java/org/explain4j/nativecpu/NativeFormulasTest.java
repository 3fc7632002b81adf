package org.explain4j.nativecpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.explain4j.cam.Interpolation;
import org.explain4j.engine.CamFormula;
import org.explain4j.engine.CamTask;
import org.explain4j.engine.JavaCamEngine;
import org.explain4j.method.MethodInput;
import org.explain4j.method.MethodMaps;
import org.explain4j.method.Methods;
import org.explain4j.method.Perturbation;
import org.explain4j.model.LayerKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The C++ kernels of XGrad-CAM, HiResCAM, Grad-CAM-elementwise and LayerCAM against the same
 * methods computed in Java (themselves checked against their papers' formulas in the SDK's tests).
 */
class NativeFormulasTest {
  @ParameterizedTest(name = "{0} first={1} sign={2} relu={3} {4}")
  @CsvSource({
      "xgrad-cam, false, 1, true, BILINEAR", "xgrad-cam, true, -1, false, BICUBIC",
      "hires-cam, false, 1, false, NEAREST", "hires-cam, true, -1, true, BILINEAR",
      "grad-cam-elementwise, false, -1, true, BICUBIC", "grad-cam-elementwise, true, 1, false, BILINEAR",
      "layer-cam, false, 1, true, BILINEAR", "layer-cam, true, -1, false, NEAREST"})
  void eachFormulaMatchesItsJavaMethod(String method, boolean channelsFirst, float sign, boolean relu, Interpolation kind) {
    int batch = 3;
    int h = 5;
    int w = 7;
    int c = 33;
    Random rng = new Random(method.hashCode() + (channelsFirst ? 1 : 0));
    float[] acts = new float[batch * h * w * c];
    float[] grads = new float[acts.length];
    for (int i = 0; i < acts.length; i++) {
      acts[i] = (float) Math.max(0, rng.nextGaussian());
      grads[i] = (float) rng.nextGaussian();
    }
    // One channel of item 1 is zero everywhere: XGrad-CAM's weight there is 0, not NaN.
    for (int cell = 0; cell < h * w; cell++) {
      acts[channelsFirst ? (1 * c + 4) * h * w + cell : (h * w + cell) * c + 4] = 0;
    }
    CamTask.Layout layout = new CamTask.Layout(batch, h, w, c, channelsFirst);
    CamTask.Options options = new CamTask.Options(sign, relu, 19, 23, kind);
    MethodMaps java = Methods.choose(method, LayerKind.SPATIAL).compute(new MethodInput(LayerKind.SPATIAL, new int[] {0, 0, 0},
        layout, CamTask.Buffers.of(acts, grads), options, new JavaCamEngine(), null, Perturbation.ALL, false));
    MethodMaps cpp = Methods.choose(method, LayerKind.SPATIAL).compute(new MethodInput(LayerKind.SPATIAL, new int[] {0, 0, 0},
        layout, CamTask.Buffers.of(acts, grads), options, new NativeCamEngine(), null, Perturbation.ALL, false));
    assertEquals("java", java.engine());
    assertEquals("native", cpp.engine(), "the method ran on the native engine");
    for (int b = 0; b < batch; b++) {
      float[] want = java.layerMap(b);
      float[] got = cpp.layerMap(b);
      float scale = 0;
      for (float v : want) {
        scale = Math.max(scale, Math.abs(v));
      }
      for (int i = 0; i < want.length; i++) {
        assertEquals(want[i], got[i], 1e-5 * Math.max(1, scale), method + " layer item " + b + " cell " + i);
      }
      float[] wantHeat = java.heatMap(b);
      float[] gotHeat = cpp.heatMap(b);
      for (int i = 0; i < wantHeat.length; i++) {
        assertEquals(wantHeat[i], gotHeat[i], 2e-5, method + " heat item " + b + " pixel " + i);
      }
      assertEquals(java.allZero()[b], cpp.allZero()[b]);
    }
  }

  @Test
  void anUnknownFormulaCodeIsAnErrorNotAnotherFormulasMap() {
    CamKernels.load();
    int batch = 1, h = 2, w = 2, c = 3;
    try (org.bytedeco.javacpp.FloatPointer acts = new org.bytedeco.javacpp.FloatPointer(batch * h * w * c);
        org.bytedeco.javacpp.FloatPointer grads = new org.bytedeco.javacpp.FloatPointer(batch * h * w * c);
        org.bytedeco.javacpp.FloatPointer layer = new org.bytedeco.javacpp.FloatPointer(batch * h * w);
        org.bytedeco.javacpp.FloatPointer heat = new org.bytedeco.javacpp.FloatPointer(batch * 4 * 4);
        org.bytedeco.javacpp.BytePointer zero = new org.bytedeco.javacpp.BytePointer(batch)) {
      acts.fill(0);
      grads.fill(0);
      for (int code : new int[] {5, 7, -1}) {
        assertEquals(2000 + code, CamKernels.e4j_cam_cpu(code, acts, grads, batch, h, w, c, 0, 1f, 1, 4, 4, 1, layer, heat, zero, 1),
            "code " + code);
      }
      assertEquals(0, CamKernels.e4j_cam_cpu(CamFormula.LAYER_CAM.code(), acts, grads, batch, h, w, c, 0, 1f, 1, 4, 4, 1, layer, heat,
          zero, 1), "a known code still runs");
    }
  }

  @Test
  void formulaCodesAreTheHeaderEnumValues() throws java.io.IOException {
    String header = Files.readString(Path.of("../jni/src/main/cpp/cam_math.h"));
    Matcher m = Pattern.compile("enum Formula \\{([^}]*)\\}").matcher(header);
    assertTrue(m.find(), "cam_math.h declares enum Formula");
    Map<String, Integer> codes = new HashMap<>();
    for (String entry : m.group(1).split(",")) {
      String[] kv = entry.split("=");
      codes.put(kv[0].trim(), Integer.parseInt(kv[1].trim()));
    }
    assertEquals(CamFormula.values().length, codes.size());
    for (CamFormula f : CamFormula.values()) {
      assertEquals(codes.get(f.name()), f.code(), f.name());
    }
  }
}
