package org.explain4j.engine;

/** Provides the pure-Java engine: always available. */
public final class JavaEngineProvider implements EngineProvider {
  private static final JavaCamEngine ENGINE = new JavaCamEngine();

  @Override
  public String name() {
    return "java";
  }

  @Override
  public int priority() {
    return 0;
  }

  @Override
  public Availability availability() {
    return Availability.yes();
  }

  @Override
  public CamEngine engine() {
    return ENGINE;
  }
}
