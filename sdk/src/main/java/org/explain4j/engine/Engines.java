package org.explain4j.engine;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;

/** Finds the {@link CamEngine}s on the class path and picks one, by name or automatically. */
public final class Engines {
  private static final System.Logger LOG = System.getLogger("org.explain4j.engine");

  private Engines() {}

  /** Every engine found with {@link ServiceLoader}, best first. */
  public static List<CamEngine> all() {
    List<CamEngine> engines = new ArrayList<>();
    for (ServiceLoader.Provider<CamEngine> provider : ServiceLoader.load(CamEngine.class).stream().toList()) {
      try {
        engines.add(provider.get());
      } catch (RuntimeException | LinkageError e) {
        // An engine whose classes cannot even be loaded is simply absent; say so and go on.
        LOG.log(Level.DEBUG, "CAM engine " + provider.type().getName() + " could not be created: " + e);
      }
    }
    engines.sort(Comparator.comparingInt(CamEngine::priority).reversed());
    return engines;
  }

  /**
   * Picks an engine: {@code "auto"} (or null) takes the best available one and logs why better ones
   * were skipped; a name takes that engine or fails with the reason it cannot run.
   */
  public static CamEngine select(String choice) {
    String wanted = choice == null ? "auto" : choice.trim().toLowerCase(Locale.ROOT);
    List<CamEngine> engines = all();
    if (wanted.equals("auto")) {
      List<String> skipped = new ArrayList<>();
      for (CamEngine engine : engines) {
        Availability availability = engine.availability();
        if (availability.available()) {
          LOG.log(Level.INFO, "CAM engine: " + engine.name()
              + (skipped.isEmpty() ? "" : " (skipped " + String.join("; ", skipped) + ")"));
          return engine;
        }
        skipped.add(engine.name() + ": " + availability.reason());
      }
      throw new IllegalStateException("No CAM engine can run: " + String.join("; ", skipped));
    }
    for (CamEngine engine : engines) {
      if (engine.name().equals(wanted)) {
        Availability availability = engine.availability();
        if (!availability.available()) {
          throw new IllegalArgumentException(
              "CAM engine '" + wanted + "' cannot run here: " + availability.reason());
        }
        LOG.log(Level.INFO, "CAM engine: " + engine.name() + " (chosen by name)");
        return engine;
      }
    }
    throw new IllegalArgumentException("Unknown CAM engine '" + choice + "': expected auto or one of "
        + engines.stream().map(CamEngine::name).toList());
  }
}
