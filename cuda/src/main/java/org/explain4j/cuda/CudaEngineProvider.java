package org.explain4j.cuda;

import org.explain4j.engine.Availability;
import org.explain4j.engine.CamEngine;
import org.explain4j.engine.ProbedEngineProvider;

/**
 * Provides the CUDA engine. Its JNI library (CUDA runtime linked statically, so it loads without a
 * driver) is loaded and the devices counted on the first {@link #availability()} question.
 */
public final class CudaEngineProvider extends ProbedEngineProvider {

  /** Where JavaCPP's plugin puts the JNI library in this module's jar on Linux x86_64. */
  static final String LIBRARY = "/org/explain4j/cuda/linux-x86_64/libjniExplain4jCuda.so";

  private final String library;

  public CudaEngineProvider() {
    this(LIBRARY);
  }

  /** A provider looking for its JNI library at another resource: tests ask for a missing one. */
  CudaEngineProvider(String library) {
    super("cuda", 20);
    this.library = library;
  }

  @Override
  protected CamEngine create() {
    CudaCamEngine engine = new CudaCamEngine();
    Runtime.getRuntime().addShutdownHook(new Thread(engine::close, "explain4j-cuda-release"));
    return engine;
  }

  static Availability probed() {
    return new CudaEngineProvider().availability();
  }

  /** Whether a device answers, probed once per provider. */
  @Override
  protected Availability probe() {
    if (CudaEngineProvider.class.getResource(library) == null) {
      return Availability.no("no library: this explain4j-cuda jar was built without its CUDA library (no nvcc at"
          + " /usr/local/cuda/bin/nvcc on the build machine); build it where nvcc exists");
    }
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
