package org.explain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.explain4j.engine.EngineProvider;
import org.explain4j.engine.Engines;
import org.explain4j.exceptions.ExplainException;
import org.junit.jupiter.api.Test;

/** Engine providers are cheap to list and lazy: only the engine asked for is probed or made. */
class EngineProvidersTest {

  @Test
  void choosingAnEngineByNameProbesNoOther() {
    int probes = CountingEngineProvider.PROBES.get();
    assertEquals("java", Engines.select("java").name());
    List<String> names = Engines.providers().stream().map(EngineProvider::name).toList();
    assertEquals("counting", names.get(0), "best first: " + names);
    assertEquals(probes, CountingEngineProvider.PROBES.get(), "naming 'java' and listing providers probed the counting engine");
    assertEquals(0, CountingEngineProvider.CREATED.get());
  }

  @Test
  void autoProbesInPriorityOrderAndSaysWhyAnEngineCannotRun() {
    int probes = CountingEngineProvider.PROBES.get();
    assertEquals("java", Engines.select("auto").name());
    assertTrue(CountingEngineProvider.PROBES.get() > probes, "auto asks the best provider first");
    ExplainException e = assertThrows(ExplainException.class, () -> Engines.select("counting"));
    assertTrue(e.getMessage().contains("a test engine that never runs"), e.getMessage());
    assertEquals(0, CountingEngineProvider.CREATED.get(), "an unavailable engine is never created");
  }

  @Test
  void anEngineThatDisagreesWithTheReferenceIsSkippedByAutoAndRefusedByName() {
    assertEquals("java", Engines.select("auto").name(), "the wrong engine (priority 500, available) is skipped");
    ExplainException e = assertThrows(ExplainException.class, () -> Engines.select("wrong"));
    assertTrue(e.getMessage().contains("failed its self-check") && e.getMessage().contains("expected"), e.getMessage());
  }

  /**
   * An engine named by the caller must compute the methods' formulas as they do in Java: one whose
   * Grad-CAM is right and whose XGrad-CAM is not is refused for xgrad-cam, and taken for grad-cam.
   */
  @Test
  void aNamedEngineWithAWrongFormulaIsRefusedForThatMethod(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) {
    java.nio.file.Path model = org.explain4j.testkit.TestModels.cnn(tmp.resolve("cnn"), true);
    ExplainException e = assertThrows(ExplainException.class,
        () -> Explainer.builder().setModel(model).optEngine("wrong-formula").optMethod("grad-cam,xgrad-cam").build());
    assertTrue(e.getMessage().contains("'wrong-formula' failed its self-check of XGRAD_CAM (xgrad-cam)"), e.getMessage());
    try (Explainer ok = Explainer.builder().setModel(model).optEngine("wrong-formula").optMethod("grad-cam").build()) {
      assertEquals("wrong-formula", ok.engine());
    }
  }
}
