package org.explain4j.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo models: their cache is keyed on what defines them, and training from a seed is repeatable. */
class DemoModelsTest {

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void theKeyChangesWithAnyDefiningByteAndOnlyThen() {
    List<byte[]> parts = List.of(bytes("architecture"), bytes("data"), bytes("2026"));
    assertEquals(DemoModels.key(parts), DemoModels.key(List.of(bytes("architecture"), bytes("data"), bytes("2026"))));
    assertNotEquals(DemoModels.key(parts), DemoModels.key(List.of(bytes("architecturf"), bytes("data"), bytes("2026"))));
    assertNotEquals(DemoModels.key(parts), DemoModels.key(List.of(bytes("architecture"), bytes("data"), bytes("2027"))));
    // Parts are length-prefixed: moving a byte from one part to the next is a change too.
    assertNotEquals(DemoModels.key(List.of(bytes("ab"), bytes("c"))), DemoModels.key(List.of(bytes("a"), bytes("bc"))));
  }

  @Test
  void trainingGivesTheSameWeightsEvenWhenTwoRunsCompete(@TempDir Path tmp) throws Exception {
    // Two trainings from one seed at once, each loading the other's cores: the weights must be
    // equal to the bit, or the quality thresholds would rest on luck.
    var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      var a = pool.submit(() -> DemoModels.trainShapes(tmp.resolve("a"), DemoModels.SEED, 40));
      var b = pool.submit(() -> DemoModels.trainShapes(tmp.resolve("b"), DemoModels.SEED, 40));
      a.get();
      b.get();
    } finally {
      pool.shutdown();
    }
    Path weights = Path.of("variables", "variables.data-00000-of-00001");
    byte[] first = Files.readAllBytes(tmp.resolve("a").resolve(weights));
    assertTrue(first.length > 10_000, "the checkpoint holds the weights: " + first.length + " bytes");
    assertArrayEquals(first, Files.readAllBytes(tmp.resolve("b").resolve(weights)));
    // And the seed matters: another seed trains other weights.
    DemoModels.trainShapes(tmp.resolve("c"), DemoModels.SEED + 1, 40);
    assertFalse(java.util.Arrays.equals(first, Files.readAllBytes(tmp.resolve("c").resolve(weights))));
  }

  @Test
  void theCacheNameIsADigestNotAHandBumpedVersion() {
    assertTrue(DemoModels.VERSION.matches("[0-9a-f]{12}"), DemoModels.VERSION);
  }
}
