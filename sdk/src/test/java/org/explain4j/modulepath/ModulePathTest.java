package org.explain4j.modulepath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.explain4j.Explainer;
import org.explain4j.Explanation;
import org.explain4j.input.InputBatch;
import org.explain4j.testkit.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SDK as a named module: {@code org.explain4j} and what it requires (TensorFlow Java, its
 * native library, ndarray, Commons Imaging and CSV, Jackson core) on the module path, a caller on
 * the class path that reads it; the module system resolves them all (Commons Imaging needs Commons
 * Lang, Commons CSV needs Commons IO), and it loads a SavedModel and explains it, with neither AWT
 * nor Commons Imaging in the module graph (a server that only computes maps needs no AWT).
 */
class ModulePathTest {
  @TempDir Path tmp;

  /** Run in a JVM where the SDK is a module: explains the model at args[0] and prints what it got. */
  public static void main(String[] args) {
    String module = Explainer.class.getModule().getName();
    if (ModuleLayer.boot().findModule("java.desktop").isPresent()) {
      throw new IllegalStateException("java.desktop is in the module graph: the test would prove nothing");
    }
    try (Explainer explainer = Explainer.builder().setModel(Path.of(args[0])).build()) {
      Explanation e = explainer.explain(InputBatch.ofFloats(new float[16 * 16 * 3], 1, 16, 16, 3));
      System.out.println("MODULE " + module + " EXPLAINED " + e.first(0).heatMap().height() + "x" + e.first(0).heatMap().width()
          + " " + e.method());
    }
  }

  @Test
  void theSdkRunsOnTheModulePath() throws Exception {
    Path model = TestModels.cnn(tmp.resolve("cnn"), true);
    List<String> entries = Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
    List<String> modules = new ArrayList<>();
    for (String entry : entries) {
      boolean sdk = entry.endsWith(Path.of("sdk", "target", "classes").toString());
      boolean required = entry.matches(".*/(tensorflow-core-api|tensorflow-core-native|ndarray|javacpp|protobuf-java|commons-imaging"
          + "|commons-csv|commons-io|commons-codec|commons-lang3|jackson-core)-[^/]*\\.jar");
      if (sdk || required) {
        modules.add(entry);
      }
    }
    // The caller alone on the class path: the test classes' own service files name providers in
    // the SDK's packages, which a named module does not share.
    Path caller = tmp.resolve("caller");
    String file = ModulePathTest.class.getName().replace('.', '/') + ".class";
    Files.createDirectories(caller.resolve(file).getParent());
    try (var in = ModulePathTest.class.getClassLoader().getResourceAsStream(file)) {
      Files.copy(in, caller.resolve(file));
    }
    assertTrue(modules.size() >= 12, "the SDK and the jars it requires, directly or not: " + modules);
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    // --limit-modules: only the SDK, TensorFlow's native library and what they require are there at
    // all: no java.desktop (AWT), no Commons Imaging. Explaining tensors needs neither.
    List<String> command = List.of(java.toString(), "--module-path", String.join(File.pathSeparator, modules),
        "--limit-modules", "org.explain4j,tensorflow.nativelib.linux.x86_64",
        "--add-modules", "org.explain4j,tensorflow.nativelib.linux.x86_64",
        // As the module's documentation says: tensor memory read in place.
        "--add-opens", "tensorflow/org.tensorflow=org.explain4j",
        "-cp", caller.toString(), ModulePathTest.class.getName(), model.toString());
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("MODULE org.explain4j EXPLAINED 16x16 grad-cam"), out);
  }
}
