package org.explain4j.cuda;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.explain4j.engine.Availability;
import org.explain4j.engine.CamEngine;
import org.explain4j.engine.CamMaps;
import org.explain4j.engine.CamTask;
import org.explain4j.engine.NonFiniteMapException;
import org.explain4j.nativecpu.TaskInputs;

/**
 * The CUDA engine: channel means, weighted sums, normalisation and resampling in one launch
 * sequence per batch, on a stream of its own, with device and pinned buffers kept between calls.
 * Available only where its JNI library was built (nvcc) and a CUDA device answers.
 */
public final class CudaCamEngine implements CamEngine {
  private static final Availability AVAILABILITY = probe();

  private static Availability probe() {
    try {
      CudaKernels.load();
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      return Availability.no("no library: its JNI library is absent or did not load (" + e.getMessage() + ")");
    }
    int count = CudaKernels.e4j_cuda_device_count();
    if (count > 0) {
      return Availability.yes();
    }
    if (count == 0) {
      return Availability.no("no device: the CUDA runtime found no GPU");
    }
    String message = CudaKernels.e4j_cuda_error_string(-count).getString();
    return Availability.no((-count == 35 ? "no driver" : "no device") + ": cudaGetDeviceCount failed with error "
        + (-count) + " (" + message + ")");
  }

  @Override
  public String name() {
    return "cuda";
  }

  @Override
  public int priority() {
    return 20;
  }

  @Override
  public Availability availability() {
    return AVAILABILITY;
  }

  @Override
  public CamMaps gradCam(CamTask task) {
    if (!AVAILABILITY.available()) {
      throw new IllegalStateException("The CUDA CAM engine cannot run: " + AVAILABILITY.reason());
    }
    float[] layerMaps = new float[task.batch() * task.mapSize()];
    float[] heatMaps = new float[task.batch() * task.outSize()];
    boolean[] allZero = new boolean[task.batch()];
    try (FloatPointer acts = TaskInputs.activations(task);
        FloatPointer grads = TaskInputs.gradients(task);
        FloatPointer layer = new FloatPointer(layerMaps.length);
        FloatPointer heat = new FloatPointer(heatMaps.length);
        BytePointer zero = new BytePointer(allZero.length)) {
      int status = CudaKernels.e4j_gradcam_cuda(acts, grads, task.batch(), task.height(), task.width(), task.channels(),
          task.channelsFirst() ? 1 : 0, task.sign(), task.relu() ? 1 : 0, task.outHeight(), task.outWidth(),
          task.interpolation().ordinal(), layer, heat, zero);
      if (status < 0) {
        throw new NonFiniteMapException(-status - 1);
      }
      if (status >= 1000) {
        throw new IllegalStateException("CUDA failed with error " + (status - 1000) + " ("
            + CudaKernels.e4j_cuda_error_string(status - 1000).getString() + ")");
      }
      layer.get(layerMaps);
      heat.get(heatMaps);
      for (int i = 0; i < allZero.length; i++) {
        allZero[i] = zero.get(i) != 0;
      }
    }
    return new CamMaps(layerMaps, heatMaps, allZero);
  }

  /**
   * Milliseconds of the last batch on the device, from CUDA events: host-to-device copy, kernels,
   * device-to-host copy. For benchmarks.
   */
  public static float[] lastTimings() {
    float[] timings = new float[3];
    if (AVAILABILITY.available()) {
      CudaKernels.e4j_cuda_last_timings(timings);
    }
    return timings;
  }
}
