package org.explain4j.engine;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A provider whose engine needs a probe before it can run (a JNI library to load, a device to
 * find): the probe runs on the first {@link #availability()} question and is remembered for the
 * JVM, per provider class, as is the engine once created. {@link java.util.ServiceLoader} makes a
 * new provider object on every lookup; the memory lives with the class.
 */
public abstract class ProbedEngineProvider implements EngineProvider {
  private static final ConcurrentMap<Class<?>, Availability> PROBED = new ConcurrentHashMap<>();
  private static final ConcurrentMap<Class<?>, CamEngine> CREATED = new ConcurrentHashMap<>();
  private final String name;
  private final int priority;

  protected ProbedEngineProvider(String name, int priority) {
    this.name = name;
    this.priority = priority;
  }

  /** Whether the engine can run here; called at most once per JVM. Must not throw. */
  protected abstract Availability probe();

  /** Makes the engine; called at most once per JVM, and only after a successful probe. */
  protected abstract CamEngine create();

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final int priority() {
    return priority;
  }

  @Override
  public final Availability availability() {
    return PROBED.computeIfAbsent(getClass(), k -> probe());
  }

  @Override
  public final CamEngine engine() {
    Availability availability = availability();
    if (!availability.available()) {
      throw new IllegalStateException("The " + name + " CAM engine cannot run: " + availability.reason());
    }
    return CREATED.computeIfAbsent(getClass(), k -> create());
  }
}
