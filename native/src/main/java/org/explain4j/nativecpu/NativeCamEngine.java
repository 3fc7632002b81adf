package org.explain4j.nativecpu;

import org.bytedeco.javacpp.FloatPointer;
import org.explain4j.cam.Interpolation;
import org.explain4j.engine.Availability;
import org.explain4j.engine.CamEngine;
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

  @Override
  public String name() {
    return "native";
  }

  @Override
  public CamMaps gradCam(CamTask task) {
    int batch = task.layout().batch();
    float[] layerMaps = new float[batch * task.layout().cells()];
    float[] heatMaps = new float[batch * task.options().outSize()];
    boolean[] allZero = new boolean[batch];
    gradCamInto(task, layerMaps, heatMaps, allZero);
    return new CamMaps(layerMaps, heatMaps, allZero);
  }

  /** Computes into the given arrays: every element is written. */
  void gradCamInto(CamTask task, float[] layerMaps, float[] heatMaps, boolean[] allZero) {
    Availability availability = NativeEngineProvider.probed();
    if (!availability.available()) {
      throw new IllegalStateException("The native CAM engine cannot run: " + availability.reason());
    }
    CamTask.Layout layout = task.layout();
    CamTask.Options options = task.options();
    if (options.interpolation() == Interpolation.LANCZOS) {
      throw new IllegalArgumentException("The native CAM engine resamples with nearest, bilinear or bicubic interpolation, not lanczos");
    }
    byte[] flags = new byte[allZero.length];
    try (FloatPointer acts = TaskInputs.activations(task);
        FloatPointer grads = TaskInputs.gradients(task)) {
      int status = CamKernels.e4j_gradcam_cpu(acts, grads, layout.batch(), layout.height(), layout.width(), layout.channels(),
          layout.channelsFirst() ? 1 : 0, options.sign(), options.relu() ? 1 : 0, options.outHeight(), options.outWidth(),
          options.interpolation().code(), layerMaps, heatMaps, flags, Runtime.getRuntime().availableProcessors());
      if (status < 0) {
        throw new NonFiniteMapException(-status - 1);
      }
    }
    for (int i = 0; i < flags.length; i++) {
      allZero[i] = flags[i] != 0;
    }
  }
}
