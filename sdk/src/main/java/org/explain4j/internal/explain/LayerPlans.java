package org.explain4j.internal.explain;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.explain4j.exceptions.ExplainException;
import org.explain4j.model.ScoreKind;

/**
 * The (layer, score) plans of one loaded model, each built once on first use and kept in
 * least-recently-used order up to a bound. A build runs on the thread that asked first, outside
 * this cache's lock: requests for plans already built never wait for it, and requests for the
 * same new plan wait for that one build. A failed build is kept too (a bad layer fails fast the
 * next time, without adding nodes again).
 *
 * <p>An evicted plan's nodes stay in the TensorFlow graph (a graph cannot lose nodes); asking for
 * it again adds them anew. The bound keeps the number of such pairs in use small; the number of
 * builds is counted so that a service can show churn.
 */
public final class LayerPlans {
  /** Which plan: the layer (by its index among the model's layers) and the score asked for. */
  public record Key(int layer, ScoreKind score) {}

  private final int capacity;
  private final Map<Key, FutureTask<LayerPlan>> plans;
  private final AtomicLong builds = new AtomicLong();

  public LayerPlans(int capacity) {
    if (capacity < 1) {
      throw new ExplainException("The gradient subgraph cache must hold at least 1 (layer, score) pair, got " + capacity);
    }
    this.capacity = capacity;
    this.plans = new LinkedHashMap<>(16, 0.75f, true);
  }

  /** The plan for {@code key}, built with {@code build} on first use. */
  public LayerPlan get(Key key, Supplier<LayerPlan> build) {
    FutureTask<LayerPlan> task;
    boolean mine = false;
    synchronized (this) {
      task = plans.get(key);
      if (task == null) {
        task = new FutureTask<>(build::get);
        plans.put(key, task);
        mine = true;
        evict();
      }
    }
    if (mine) {
      builds.incrementAndGet();
      task.run();
    }
    try {
      return task.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new ExplainException("Building the gradient subgraph failed: " + cause, cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ExplainException("Interrupted while another request built the gradient subgraph of " + key, e);
    } catch (CancellationException e) {
      throw new ExplainException("The gradient subgraph build of " + key + " was cancelled", e);
    }
  }

  /** Drops the least recently used plans past the bound; one still being built is kept. */
  private void evict() {
    var it = plans.entrySet().iterator();
    int over = plans.size() - capacity;
    while (over > 0 && it.hasNext()) {
      var e = it.next();
      if (e.getValue().isDone()) {
        it.remove();
        over--;
      }
    }
  }

  /** How many plans are cached now. */
  public synchronized int size() {
    return plans.size();
  }

  /** How many plans have been built (a rebuilt evicted plan counts again). */
  public long builds() {
    return builds.get();
  }

  public int capacity() {
    return capacity;
  }
}
