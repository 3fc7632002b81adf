package org.explain4j.cuda;

import org.explain4j.engine.Availability;
import org.explain4j.engine.CamEngine;
import org.explain4j.engine.ProbedEngineProvider;

/**
 * Provides the CUDA engine. Its JNI library (CUDA runtime linked statically, so it loads without a
 * driver) is loaded and the devices counted on the first {@link #availability()} question.
 */
public final class CudaEngineProvider extends ProbedEngineProvider {

  public CudaEngineProvider() {
    super("cuda", 20);
  }

  @Override
  protected CamEngine create() {
    CudaCamEngine engine = new CudaCamEngine();
    Runtime.getRuntime().addShutdownHook(new Thread(engine::close, "explain4j-cuda-release"));
    return engine;
  }

  /** Whether a device answers, probed once per JVM. */
  static Availability probed() {
    return new CudaEngineProvider().availability();
  }

  @Override
  protected Availability probe() {
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
}
