package org.explain4j.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The demo model cache is keyed on what defines the models: any change gives a new key. */
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
  void theCacheNameIsADigestNotAHandBumpedVersion() {
    assertTrue(DemoModels.VERSION.matches("[0-9a-f]{12}"), DemoModels.VERSION);
  }
}
