package org.explain4j.spark;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.explain4j.Explainer;

/**
 * The explainers of this JVM (an executor's, or the driver's in local mode): one per model and
 * options, loaded on first use by any task, shared by the tasks that run at once (an explainer is
 * thread-safe), and closed when the JVM exits.
 */
final class Explainers {
  private static final Map<String, Explainer> LOADED = new ConcurrentHashMap<>();
  private static final AtomicInteger LOADS = new AtomicInteger();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(Explainers::closeAll, "explain4j-spark-close"));
  }

  private Explainers() {}

  static Explainer get(ExplainSettings settings) {
    return LOADED.computeIfAbsent(settings.explainerKey(), key -> {
      LOADS.incrementAndGet();
      return Explainer.of(settings.config());
    });
  }

  /** How many explainers this JVM has loaded: a model's load counts once, however many tasks use it. */
  static int loads() {
    return LOADS.get();
  }

  /** Closes and forgets every explainer (also done at JVM exit). */
  static void closeAll() {
    for (String key : LOADED.keySet()) {
      Explainer e = LOADED.remove(key);
      if (e != null) {
        e.close();
      }
    }
  }
}
