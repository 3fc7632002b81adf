package org.explain4j.nativecpu;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.explain4j.cam.Interpolation;
import org.explain4j.engine.Availability;
import org.explain4j.engine.CamEngine;
import org.explain4j.engine.CamFormula;
import org.explain4j.engine.CamMaps;
import org.explain4j.engine.CamTask;
import org.explain4j.exceptions.NonFiniteMapException;
import org.explain4j.jni.TaskInputs;

/**
 * The C++ CPU engine: the arithmetic of {@code cam_math.h} over the batch, on all cores. Reads
 * activations and gradients straight from TensorFlow's tensor memory when the task gives their
 * addresses, and copies them into native memory otherwise. Made by {@link NativeEngineProvider}.
 */
public final class NativeCamEngine implements CamEngine {
  /** Threads one call may use, the caller's included; concurrent calls share one pool of this size. */
  private static final int THREADS = Runtime.getRuntime().availableProcessors();

  @Override
  public String name() {
    return "native";
  }

  @Override
  public CamMaps gradCam(CamTask task) {
    return compute(task, CamFormula.GRAD_CAM);
  }

  /** Every formula of {@code cam_math.h}. */
  @Override
  public boolean supports(CamFormula formula) {
    return true;
  }

  @Override
  public CamMaps compute(CamTask task, CamFormula formula) {
    int batch = task.layout().batch();
    float[] layerMaps = new float[batch * task.layout().cells()];
    float[] heatMaps = new float[batch * task.options().outSize()];
    boolean[] allZero = new boolean[batch];
    computeInto(task, formula, layerMaps, heatMaps, allZero);
    return new CamMaps(layerMaps, heatMaps, allZero);
  }

  /** Grad-CAM into the given arrays: every element is written. */
  void gradCamInto(CamTask task, float[] layerMaps, float[] heatMaps, boolean[] allZero) {
    computeInto(task, CamFormula.GRAD_CAM, layerMaps, heatMaps, allZero);
  }

  /** Computes into the given arrays: every element is written. */
  void computeInto(CamTask task, CamFormula formula, float[] layerMaps, float[] heatMaps, boolean[] allZero) {
    Availability availability = NativeEngineProvider.probed();
    if (!availability.available()) {
      throw new IllegalStateException("The native CAM engine cannot run: " + availability.reason());
    }
    CamTask.Layout layout = task.layout();
    CamTask.Options options = task.options();
    if (options.interpolation() == Interpolation.LANCZOS) {
      throw new IllegalArgumentException("The native CAM engine resamples with nearest, bilinear or bicubic interpolation, not lanczos");
    }
    try (FloatPointer acts = TaskInputs.activations(task);
        FloatPointer grads = TaskInputs.gradients(task);
        FloatPointer layer = new FloatPointer(layerMaps.length);
        FloatPointer heat = new FloatPointer(heatMaps.length);
        BytePointer zero = new BytePointer(allZero.length)) {
      // Fresh native memory holds whatever was there: NaN bytes make an element the kernels failed
      // to write show as NaN rather than as a stale, plausible value.
      layer.fill(0xff);
      heat.fill(0xff);
      int status = formula == CamFormula.GRAD_CAM
          ? CamKernels.e4j_gradcam_cpu(acts, grads, layout.batch(), layout.height(), layout.width(), layout.channels(),
              layout.channelsFirst() ? 1 : 0, options.sign(), options.relu() ? 1 : 0, options.outHeight(), options.outWidth(),
              options.interpolation().code(), layer, heat, zero, THREADS)
          : CamKernels.e4j_cam_cpu(formula.code(), acts, grads, layout.batch(), layout.height(), layout.width(),
              layout.channels(), layout.channelsFirst() ? 1 : 0, options.sign(), options.relu() ? 1 : 0, options.outHeight(),
              options.outWidth(), options.interpolation().code(), layer, heat, zero, THREADS);
      if (status < 0) {
        throw new NonFiniteMapException(-status - 1);
      }
      if (status != 0) {
        throw new org.explain4j.exceptions.ExplainException("The native CAM engine does not know formula code " + (status - 2000)
            + " (" + formula + "): it computes " + java.util.Arrays.toString(CamFormula.values()) + " by their cam_math.h codes");
      }
      layer.get(layerMaps);
      heat.get(heatMaps);
      for (int i = 0; i < allZero.length; i++) {
        allZero[i] = zero.get(i) != 0;
      }
    }
  }
}
