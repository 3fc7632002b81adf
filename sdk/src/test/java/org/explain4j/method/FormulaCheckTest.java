package org.explain4j.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.explain4j.cam.Interpolation;
import org.explain4j.engine.CamEngine;
import org.explain4j.engine.CamFormula;
import org.explain4j.engine.CamMaps;
import org.explain4j.engine.CamTask;
import org.explain4j.engine.JavaCamEngine;
import org.explain4j.model.LayerKind;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An engine is handed a formula only after its maps on the known tasks match the method's Java
 * computation; a wrong one is caught once and the method stays in Java, saying so in its maps.
 */
class FormulaCheckTest {
  /** Claims every formula; computes each as {@code as} does in Java (right when {@code as} is the formula's method). */
  private static final class Fake implements CamEngine {
    final String as;
    final List<CamFormula> calls = new ArrayList<>();

    Fake(String as) {
      this.as = as;
    }

    @Override
    public String name() {
      return "fake-" + as;
    }

    @Override
    public CamMaps gradCam(CamTask task) {
      return compute(task, CamFormula.GRAD_CAM);
    }

    @Override
    public boolean supports(CamFormula formula) {
      return true;
    }

    @Override
    public CamMaps compute(CamTask task, CamFormula formula) {
      calls.add(formula);
      MethodMaps m = Methods.choose(as, LayerKind.SPATIAL).compute(input(task, new JavaCamEngine()));
      return new CamMaps(m.layerMaps(), m.heatMaps(), m.allZero());
    }
  }

  private static MethodInput input(CamTask task, CamEngine engine) {
    return new MethodInput(LayerKind.SPATIAL, new int[task.layout().batch()], task.layout(), task.buffers(), task.options(), engine,
        null, Perturbation.ALL, false);
  }

  private static CamTask task() {
    Random rng = new Random(3);
    int n = 2 * 4 * 6 * 10;
    float[] acts = new float[n];
    float[] grads = new float[n];
    for (int i = 0; i < n; i++) {
      acts[i] = (float) Math.max(0, rng.nextGaussian());
      grads[i] = (float) rng.nextGaussian();
    }
    return new CamTask(new CamTask.Layout(2, 4, 6, 10, false), CamTask.Buffers.of(acts, grads),
        new CamTask.Options(1, true, 8, 12, Interpolation.BILINEAR));
  }

  @BeforeEach
  void forget() {
    FormulaCheck.forget();
  }

  @Test
  void anEngineThatAgreesComputesTheFormula() {
    Fake right = new Fake("xgrad-cam");
    MethodMaps maps = Methods.choose("xgrad-cam", LayerKind.SPATIAL).compute(input(task(), right));
    assertEquals("fake-xgrad-cam", maps.engine());
    int checks = right.calls.size();
    assertEquals(4, checks, "one call per known task, then the batch");
    Methods.choose("xgrad-cam", LayerKind.SPATIAL).compute(input(task(), right));
    assertEquals(checks + 1, right.calls.size(), "checked once: later batches go straight to the engine");
  }

  @Test
  void anEngineThatDiffersIsCaughtAndTheMethodStaysInJava() {
    // LayerCAM's kernel answering for XGrad-CAM: plausible maps, wrong ones.
    Fake wrong = new Fake("layer-cam");
    MethodMaps maps = Methods.choose("xgrad-cam", LayerKind.SPATIAL).compute(input(task(), wrong));
    assertEquals("java", maps.engine(), "the explanation reports where the maps were made");
    MethodMaps java = Methods.choose("xgrad-cam", LayerKind.SPATIAL).compute(input(task(), new JavaCamEngine()));
    assertArrayEquals(java.heatMaps(), maps.heatMaps(), 0f);
    int calls = wrong.calls.size();
    Methods.choose("xgrad-cam", LayerKind.SPATIAL).compute(input(task(), wrong));
    assertEquals(calls, wrong.calls.size(), "the verdict is remembered: the engine is not asked again");
    // Its other formulas are judged on their own.
    assertEquals("fake-layer-cam", Methods.choose("layer-cam", LayerKind.SPATIAL).compute(input(task(), wrong)).engine());
  }
}
