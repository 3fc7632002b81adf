package org.explain4j.nativecpu;

import org.bytedeco.javacpp.FloatPointer;
import org.explain4j.engine.Availability;
import org.explain4j.engine.CamEngine;
import org.explain4j.engine.CamMaps;
import org.explain4j.engine.CamTask;
import org.explain4j.engine.NonFiniteMapException;

/**
 * The C++ CPU engine: the arithmetic of {@code cam_math.h} over the batch, on all cores. Reads
 * activations and gradients straight from TensorFlow's tensor memory when the task gives their
 * addresses, and copies them into native memory otherwise.
 */
public final class NativeCamEngine implements CamEngine {

  /** The library is built for x86-64-v3: without these instructions it would crash the JVM. */
  private static final java.util.List<String> REQUIRED_FLAGS = java.util.List.of("avx2", "fma", "bmi2", "f16c", "movbe");
  private static final Availability AVAILABILITY = probe();

  private static Availability probe() {
    String missing = missingCpuFlags();
    if (missing != null) {
      return Availability.no(missing);
    }
    try {
      CamKernels.load();
      return Availability.yes();
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      return Availability.no("its JNI library did not load (" + e.getMessage() + ")");
    }
  }

  /** Null when the CPU has the instructions the library uses, else why not. */
  private static String missingCpuFlags() {
    if (!System.getProperty("os.arch", "").matches("amd64|x86_64")) {
      return "it is built for x86_64, this is " + System.getProperty("os.arch");
    }
    try {
      String flags = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("flags")).findFirst().orElse("");
      java.util.Set<String> have = java.util.Set.of(flags.substring(flags.indexOf(':') + 1).trim().split("\\s+"));
      java.util.List<String> lacking = REQUIRED_FLAGS.stream().filter(f -> !have.contains(f)).toList();
      return lacking.isEmpty() ? null : "this CPU lacks " + lacking + " (the library needs x86-64-v3)";
    } catch (java.io.IOException | RuntimeException e) {
      return "cannot read /proc/cpuinfo to check for AVX2 (" + e.getMessage() + ")";
    }
  }

  @Override
  public String name() {
    return "native";
  }

  @Override
  public int priority() {
    return 10;
  }

  @Override
  public Availability availability() {
    return AVAILABILITY;
  }

  @Override
  public CamMaps gradCam(CamTask task) {
    float[] layerMaps = new float[task.batch() * task.mapSize()];
    float[] heatMaps = new float[task.batch() * task.outSize()];
    boolean[] allZero = new boolean[task.batch()];
    gradCamInto(task, layerMaps, heatMaps, allZero);
    return new CamMaps(layerMaps, heatMaps, allZero);
  }

  /** Computes into the given arrays: every element is written. */
  void gradCamInto(CamTask task, float[] layerMaps, float[] heatMaps, boolean[] allZero) {
    if (!AVAILABILITY.available()) {
      throw new IllegalStateException("The native CAM engine cannot run: " + AVAILABILITY.reason());
    }
    byte[] flags = new byte[allZero.length];
    try (FloatPointer acts = TaskInputs.activations(task);
        FloatPointer grads = TaskInputs.gradients(task)) {
      int status = CamKernels.e4j_gradcam_cpu(acts, grads, task.batch(), task.height(), task.width(), task.channels(),
          task.channelsFirst() ? 1 : 0, task.sign(), task.relu() ? 1 : 0, task.outHeight(), task.outWidth(),
          task.interpolation().ordinal(), layerMaps, heatMaps, flags, Runtime.getRuntime().availableProcessors());
      if (status < 0) {
        throw new NonFiniteMapException(-status - 1);
      }
    }
    for (int i = 0; i < flags.length; i++) {
      allZero[i] = flags[i] != 0;
    }
  }
}
