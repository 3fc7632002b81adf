package org.explain4j.nativecpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.explain4j.engine.Availability;
import org.explain4j.engine.CamEngine;
import org.explain4j.engine.ProbedEngineProvider;

/**
 * Provides the C++ CPU engine. Its JNI library is loaded on the first {@link #availability()}
 * question, after a check that the CPU has the instructions the library is built for.
 */
public final class NativeEngineProvider extends ProbedEngineProvider {
  /** The library is built for x86-64-v3: without these instructions it would crash the JVM. */
  private static final List<String> REQUIRED_FLAGS = List.of("avx2", "fma", "bmi2", "f16c", "movbe");

  public NativeEngineProvider() {
    super("native", 10);
  }

  @Override
  protected CamEngine create() {
    return new NativeCamEngine();
  }

  /** Whether the library loaded, probed once per JVM. */
  static Availability probed() {
    return new NativeEngineProvider().availability();
  }

  @Override
  protected Availability probe() {
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
      String flags = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("flags")).findFirst().orElse("");
      Set<String> have = Set.of(flags.substring(flags.indexOf(':') + 1).trim().split("\\s+"));
      List<String> lacking = REQUIRED_FLAGS.stream().filter(f -> !have.contains(f)).toList();
      return lacking.isEmpty() ? null : "this CPU lacks " + lacking + " (the library needs x86-64-v3)";
    } catch (IOException | RuntimeException e) {
      return "cannot read /proc/cpuinfo to check for AVX2 (" + e.getMessage() + ")";
    }
  }
}
