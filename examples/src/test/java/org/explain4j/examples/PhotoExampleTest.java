package org.explain4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The photo example through its launcher, as a user runs it: the ImageNet MobileNet names Grace
 * Hopper's uniform among its top three classes, writes one overlay per class, and the log has one
 * line per message and none of TensorFlow's start-up lines.
 */
class PhotoExampleTest {
  @TempDir Path out;

  @Test
  void topThreeClassesOfAPhotoEachExplainedWithQuietLogs() throws Exception {
    Path root = Path.of("").toAbsolutePath().getParent();
    Process p = new ProcessBuilder(List.of(root.resolve("examples").resolve("run").toString(), "PhotoExample", "--out", out.toString()))
        .directory(root.toFile()).start();
    String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), stdout + stderr);
    List<String> lines = stdout.strip().lines().toList();
    assertEquals(3, lines.size(), stdout);
    assertTrue(lines.stream().anyMatch(l -> l.matches("(?i).*(uniform|suit|bow tie).*")), "Grace Hopper in uniform:\n" + stdout);
    try (var files = Files.list(out)) {
      assertEquals(3, files.filter(f -> f.toString().endsWith(".png")).count(), "one overlay per class");
    }
    assertTrue(stderr.lines().noneMatch(l -> l.startsWith("I0000") || l.startsWith("WARNING: All log messages")), stderr);
    // java.util.logging's default format takes two lines a record ("date class method" then "LEVEL: message").
    assertTrue(stderr.lines().allMatch(l -> l.isBlank() || l.startsWith("example: ")), "one line per message:\n" + stderr);
  }
}
