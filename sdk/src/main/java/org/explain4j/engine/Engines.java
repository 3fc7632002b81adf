package org.explain4j.engine;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import org.explain4j.exceptions.ExplainException;

/** Finds the {@link EngineProvider}s on the class path and picks an engine, by name or automatically. */
public final class Engines {
  private static final System.Logger LOG = System.getLogger("org.explain4j.engine");

  private Engines() {}

  /** Every provider found with {@link ServiceLoader}, best first. Nothing is probed or created. */
  public static List<EngineProvider> providers() {
    List<EngineProvider> providers = new ArrayList<>();
    for (ServiceLoader.Provider<EngineProvider> p : ServiceLoader.load(EngineProvider.class).stream().toList()) {
      try {
        providers.add(p.get());
      } catch (RuntimeException | LinkageError e) {
        // A provider whose classes cannot even be loaded is simply absent; say so and go on.
        LOG.log(Level.DEBUG, "CAM engine provider " + p.type().getName() + " could not be created: " + e);
      }
    }
    providers.sort(Comparator.comparingInt(EngineProvider::priority).reversed());
    return providers;
  }

  /** The engines that can run here, best first (each probed and created). */
  public static List<CamEngine> available() {
    return providers().stream().filter(p -> p.availability().available()).map(EngineProvider::engine).toList();
  }

  /**
   * Picks an engine: {@code "auto"} (or null) takes the best available one and logs why better ones
   * were skipped; a name takes that engine, probing no other, or fails with the reason it cannot run.
   * The first time an engine other than the Java reference is chosen, it runs a small known task
   * that is compared with the reference ({@link SelfCheck}): on a mismatch {@code auto} logs it and
   * takes the next engine, and a named engine fails.
   */
  public static CamEngine select(String choice) {
    String wanted = choice == null ? "auto" : choice.trim().toLowerCase(Locale.ROOT);
    List<EngineProvider> providers = providers();
    if (wanted.equals("auto")) {
      List<String> skipped = new ArrayList<>();
      for (EngineProvider provider : providers) {
        Availability availability = provider.availability();
        if (!availability.available()) {
          skipped.add(provider.name() + ": " + availability.reason());
          continue;
        }
        CamEngine engine = provider.engine();
        String mismatch = SelfCheck.of(engine);
        if (mismatch != null) {
          skipped.add(provider.name() + ": failed its self-check (" + mismatch + ")");
          continue;
        }
        LOG.log(Level.INFO, "CAM engine: " + provider.name()
            + (skipped.isEmpty() ? "" : " (skipped " + String.join("; ", skipped) + ")"));
        return engine;
      }
      throw new ExplainException("No CAM engine can run: " + String.join("; ", skipped));
    }
    for (EngineProvider provider : providers) {
      if (provider.name().equals(wanted)) {
        Availability availability = provider.availability();
        if (!availability.available()) {
          throw new ExplainException("CAM engine '" + wanted + "' cannot run here: " + availability.reason());
        }
        CamEngine engine = provider.engine();
        String mismatch = SelfCheck.of(engine);
        if (mismatch != null) {
          throw new ExplainException("CAM engine '" + wanted + "' failed its self-check against the Java reference: " + mismatch);
        }
        LOG.log(Level.INFO, "CAM engine: " + provider.name() + " (chosen by name)");
        return engine;
      }
    }
    throw new ExplainException("Unknown CAM engine '" + choice + "': expected auto or one of "
        + providers.stream().map(EngineProvider::name).toList());
  }

  /**
   * Null when {@code engine} computes {@code formula} on a few small known tasks (both layouts, a
   * negative sign without ReLU, the three interpolations the native engines have) as
   * {@code reference} does, else what differed first: how a method checks an engine before handing
   * it a formula. An exception or link error on a task is a difference too.
   */
  public static String formulaDifference(CamEngine engine, CamFormula formula, java.util.function.Function<CamTask, CamMaps> reference) {
    for (CamTask task : KnownTasks.tasks(true)) {
      try {
        String difference = KnownTasks.difference(reference.apply(task), engine.compute(task, formula));
        if (difference != null) {
          return difference + " for " + task.layout() + " " + task.options();
        }
      } catch (RuntimeException | LinkageError e) {
        return "it failed on " + task.layout() + ": " + e;
      }
    }
    return null;
  }
}
