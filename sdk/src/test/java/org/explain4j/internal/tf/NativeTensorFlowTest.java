package org.explain4j.internal.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.explain4j.Explainer;
import org.explain4j.exceptions.ModelLoadException;
import org.junit.jupiter.api.Test;

/**
 * The SDK depends on TensorFlow's Java API only: an application without the native library of its
 * platform gets one clear error naming the artifact to add, not JavaCPP's loader failure.
 */
class NativeTensorFlowTest {
  /** Run in a JVM whose class path lacks tensorflow-core-native's platform jar. */
  public static void main(String[] args) {
    try {
      Explainer.builder().setModel(Path.of(args[0])).build().close();
      System.out.println("LOADED");
    } catch (ModelLoadException e) {
      System.out.println("MESSAGE " + e.getMessage());
    }
  }

  @Test
  void withoutTheNativeLibraryTheErrorNamesTheArtifact() throws Exception {
    String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> !(entry.contains("tensorflow-core-native") && entry.contains("linux-x86_64")))
        .collect(Collectors.joining(File.pathSeparator));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    // A JavaCPP cache from earlier runs must not stand in for the missing jar.
    Path cache = Files.createTempDirectory("javacpp-cache");
    Process p = new ProcessBuilder(List.of(java.toString(), "-Dorg.bytedeco.javacpp.cachedir=" + cache, "-cp", classPath,
        NativeTensorFlowTest.class.getName(), "no-such-model")).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("MESSAGE TensorFlow's native library is not on the class path"), out);
    assertTrue(out.contains("org.tensorflow:tensorflow-core-native:1.1.0 with the classifier"), out);
  }
}
