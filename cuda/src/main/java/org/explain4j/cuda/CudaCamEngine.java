package org.explain4j.cuda;

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
 * The CUDA engine: every {@link CamFormula} (channel weights where the formula has them, sums over
 * channels, normalisation and resampling) in one launch sequence per batch, on a stream of its own,
 * with device and pinned buffers kept between calls.
 * Available only where its JNI library was built (nvcc) and a CUDA device answers; made by
 * {@link CudaEngineProvider}.
 */
public final class CudaCamEngine implements CamEngine {
  @Override
  public String name() {
    return "cuda";
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
    Availability availability = CudaEngineProvider.probed();
    if (!availability.available()) {
      throw new IllegalStateException("The CUDA CAM engine cannot run: " + availability.reason());
    }
    CamTask.Layout layout = task.layout();
    CamTask.Options options = task.options();
    if (options.interpolation() == Interpolation.LANCZOS) {
      throw new IllegalArgumentException("The CUDA CAM engine resamples with nearest, bilinear or bicubic interpolation, not lanczos");
    }
    float[] layerMaps = new float[layout.batch() * layout.cells()];
    float[] heatMaps = new float[layout.batch() * options.outSize()];
    boolean[] allZero = new boolean[layout.batch()];
    try (FloatPointer acts = TaskInputs.activations(task);
        FloatPointer grads = TaskInputs.gradients(task)) {
      // The device work is serialised anyway (one stream, one lock in cam_cuda.cu): the host
      // output buffers are kept and reused under this engine's lock instead of allocated per call.
      synchronized (this) {
        useDevice(device());
        Outputs out = outputs(layerMaps.length, heatMaps.length, allZero.length);
        int status = CudaKernels.e4j_cam_cuda(formula.code(), acts, grads, layout.batch(), layout.height(), layout.width(), layout.channels(),
            layout.channelsFirst() ? 1 : 0, options.sign(), options.relu() ? 1 : 0, options.outHeight(), options.outWidth(),
            options.interpolation().code(), out.layer, out.heat, out.zero);
        if (status < 0) {
          throw new NonFiniteMapException(-status - 1);
        }
        if (status >= 2000) {
          throw new IllegalArgumentException("The CUDA kernels have no formula " + (status - 2000));
        }
        if (status >= 1000) {
          throw new IllegalStateException("CUDA failed with error " + (status - 1000) + " ("
              + CudaKernels.e4j_cuda_error_string(status - 1000).getString() + ")");
        }
        out.layer.get(layerMaps, 0, layerMaps.length);
        out.heat.get(heatMaps, 0, heatMaps.length);
        for (int i = 0; i < allZero.length; i++) {
          allZero[i] = out.zero.get(i) != 0;
        }
      }
    }
    return new CamMaps(layerMaps, heatMaps, allZero);
  }

  /**
   * The system property naming the CUDA device (its ordinal among those the process sees) that
   * the engine runs on: 0 unless set. A Spark executor sets it to the GPU address Spark gave its
   * tasks (one GPU per executor).
   */
  public static final String DEVICE_PROPERTY = "explain4j.cuda.device";

  static int device() {
    String value = System.getProperty(DEVICE_PROPERTY);
    if (value == null || value.isBlank()) {
      return 0;
    }
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(DEVICE_PROPERTY + " is a device ordinal such as 0 or 1, got '" + value + "'");
    }
  }

  /** Moves the engine to device {@code ordinal}; an ordinal the runtime does not count is an error naming how many it sees. */
  static void useDevice(int ordinal) {
    int status = CudaKernels.e4j_cuda_use_device(ordinal);
    if (status != 0) {
      throw new IllegalStateException("The CUDA engine cannot use device " + ordinal + " (" + DEVICE_PROPERTY + "): "
          + CudaKernels.e4j_cuda_error_string(status - 1000).getString() + "; the CUDA runtime sees "
          + CudaKernels.e4j_cuda_device_count() + " device(s)");
    }
  }

  /** Host output buffers, grown when a batch needs more. */
  private static final class Outputs {
    FloatPointer layer = new FloatPointer(0L);
    FloatPointer heat = new FloatPointer(0L);
    BytePointer zero = new BytePointer(0L);
  }

  private Outputs outputs;

  private Outputs outputs(long layerFloats, long heatFloats, long items) {
    if (outputs == null) {
      outputs = new Outputs();
    }
    if (outputs.layer.capacity() < layerFloats) {
      outputs.layer.close();
      outputs.layer = new FloatPointer(layerFloats);
    }
    if (outputs.heat.capacity() < heatFloats) {
      outputs.heat.close();
      outputs.heat = new FloatPointer(heatFloats);
    }
    if (outputs.zero.capacity() < items) {
      outputs.zero.close();
      outputs.zero = new BytePointer(items);
    }
    return outputs;
  }

  /**
   * Frees the host buffers and the device state (device and pinned buffers, events, stream) kept
   * between calls; the engine stays usable and allocates them again when next called. Runs at JVM
   * exit too.
   */
  @Override
  public synchronized void close() {
    if (outputs != null) {
      outputs.layer.close();
      outputs.heat.close();
      outputs.zero.close();
      outputs = null;
    }
    if (CudaEngineProvider.probed().available()) {
      CudaKernels.e4j_cuda_release();
    }
  }

  /**
   * Milliseconds of the last batch on the device, from CUDA events: host-to-device copy, kernels,
   * device-to-host copy. For benchmarks.
   */
  public static float[] lastTimings() {
    float[] timings = new float[3];
    if (CudaEngineProvider.probed().available()) {
      CudaKernels.e4j_cuda_last_timings(timings);
    }
    return timings;
  }
}
