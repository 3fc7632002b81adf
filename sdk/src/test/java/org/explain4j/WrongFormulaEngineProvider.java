package org.explain4j;

import org.explain4j.engine.Availability;
import org.explain4j.engine.CamEngine;
import org.explain4j.engine.CamFormula;
import org.explain4j.engine.CamMaps;
import org.explain4j.engine.CamTask;
import org.explain4j.engine.EngineProvider;
import org.explain4j.engine.JavaCamEngine;

/**
 * A test-only engine whose Grad-CAM is right (Java's) and whose other formulas are wrong (Grad-CAM's
 * maps for all of them). Below Java's priority, so that auto never takes it; only a name does.
 */
public final class WrongFormulaEngineProvider implements EngineProvider {

  @Override
  public String name() {
    return "wrong-formula";
  }

  @Override
  public int priority() {
    return -1;
  }

  @Override
  public Availability availability() {
    return Availability.yes();
  }

  @Override
  public CamEngine engine() {
    return new CamEngine() {
      private final JavaCamEngine java = new JavaCamEngine();

      @Override
      public String name() {
        return "wrong-formula";
      }

      @Override
      public CamMaps gradCam(CamTask task) {
        return java.gradCam(task);
      }

      @Override
      public boolean supports(CamFormula formula) {
        return true;
      }

      @Override
      public CamMaps compute(CamTask task, CamFormula formula) {
        return java.gradCam(task);
      }
    };
  }
}
