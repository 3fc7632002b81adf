package org.explain4j.engine;

/**
 * Makes one kind of {@link CamEngine}; found with {@link java.util.ServiceLoader}. Asking a
 * provider its name and priority costs nothing and loads no native code: only
 * {@link #availability()} may probe (once, remembered) and only {@link #engine()} creates, so that
 * choosing the Java engine by name never loads an installed JNI library.
 */
public interface EngineProvider {

  /** The short name used to select the engine, such as {@code "native"}. */
  String name();

  /** Higher is tried first when the engine is picked automatically. */
  int priority();

  /** Whether the engine can run here, and if not, why. Probes at most once; must not throw. */
  Availability availability();

  /**
   * The engine, created on the first call and shared afterwards.
   *
   * @throws IllegalStateException where the engine is not available
   */
  CamEngine engine();
}
