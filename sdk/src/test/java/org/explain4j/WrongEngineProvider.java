package org.explain4j;

import org.explain4j.engine.Availability;
import org.explain4j.engine.CamEngine;
import org.explain4j.engine.CamMaps;
import org.explain4j.engine.EngineProvider;

/** A test-only engine that is available and fast, and wrong: its maps are all zeros. */
public final class WrongEngineProvider implements EngineProvider {

  @Override
  public String name() {
    return "wrong";
  }

  @Override
  public int priority() {
    return 500;
  }

  @Override
  public Availability availability() {
    return Availability.yes();
  }

  @Override
  public CamEngine engine() {
    return new CamEngine() {
      @Override
      public String name() {
        return "wrong";
      }

      @Override
      public CamMaps gradCam(org.explain4j.engine.CamTask task) {
        int batch = task.layout().batch();
        return new CamMaps(new float[batch * task.layout().cells()], new float[batch * task.options().outSize()], new boolean[batch]);
      }
    };
  }
}
