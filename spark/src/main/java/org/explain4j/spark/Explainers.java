package org.explain4j.spark;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.explain4j.ExplainModel;
import org.explain4j.Explainer;

/**
 * The models of this JVM (an executor's, or the driver's in local mode): one per model, loaded on
 * first use by any task, shared by the tasks that run at once and by every option set (layer,
 * methods) they explain with, and closed when the JVM exits.
 */
final class Explainers {
  private static final Map<String, ExplainModel> LOADED = new ConcurrentHashMap<>();
  private static final AtomicInteger LOADS = new AtomicInteger();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(Explainers::closeAll, "explain4j-spark-close"));
  }

  private Explainers() {}

  /**
   * An explainer with the settings' options over the JVM's model, seeing the GPUs {@code gpus}
   * (null: TensorFlow's default); closing it leaves the model loaded.
   */
  static Explainer get(ExplainSettings settings, String gpus) {
    ExplainModel model = LOADED.computeIfAbsent(settings.modelKey() + "\u0000" + gpus, key -> {
      LOADS.incrementAndGet();
      return ExplainModel.load(settings.config(gpus));
    });
    return Explainer.over(model, settings.options());
  }

  /** How many models this JVM has loaded: a model's load counts once, however many tasks and option sets use it. */
  static int loads() {
    return LOADS.get();
  }

  /** Closes and forgets every model (also done at JVM exit). */
  static void closeAll() {
    for (String key : LOADED.keySet()) {
      ExplainModel e = LOADED.remove(key);
      if (e != null) {
        e.close();
      }
    }
  }
}
