package org.explain4j.internal.graph;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.IntStream;
import org.explain4j.exceptions.ExplainException;
import org.explain4j.input.InputBatch;
import org.explain4j.internal.tf.FloatReads;
import org.explain4j.internal.tf.LoadedModel;
import org.explain4j.internal.tf.PassThrough;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Runs a model with explain4j's nodes added: plain predictions, one run per target rank with the
 * layer's activations and gradients, and forward runs with inputs or layer values replaced. Owns
 * the loaded model and every tensor a run creates. Thread-safe; close waits for runs in progress.
 *
 * <p><b>Owns native memory: close it.</b>
 */
public final class ExplainSession implements AutoCloseable {
  private final LoadedModel loaded;
  private final ModelGraph model;
  private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private boolean closed;
  /** Whether target ranks after the first feed the first run's layer values (false: each rank runs the whole model). */
  private volatile boolean feedLayerAfterFirstRank = true;

  /** Takes ownership of {@code loaded}. */
  public ExplainSession(LoadedModel loaded, ModelGraph model) {
    this.loaded = loaded;
    this.model = model;
  }

  public ModelGraph model() {
    return model;
  }

  /**
   * Makes every target rank run the whole model, as before ranks shared the first run's layer
   * values: the reference that tests compare the shared path with.
   */
  public void rerunWholeModelPerRank() {
    feedLayerAfterFirstRank = false;
  }

  /** What one run fetched; the tensors are valid only inside {@link RankVisitor#visit}. */
  public record Fetched(float[] outputs, float[] scores, TFloat32 activations, TFloat32 gradients) {}

  /** Receives each target rank's run. */
  public interface RankVisitor {
    /** {@code targets} holds each item's class at this rank, or -1 where an item has fewer. */
    void visit(int rank, Fetched fetched, int[] targets);
  }

  /** The signature output, flat {@code [batch, classes]}, with no gradient computed. */
  public float[] predict(Map<String, InputBatch> inputs) {
    return runOnce(inputs, null, null, model.outputTensor());
  }

  /**
   * The scores ({@code [batch, classes]}) for the given inputs, with the layer's output replaced by
   * {@code layerValues} when it is not null: the forward runs of perturbation methods.
   */
  public float[] scores(ScoreGraph scores, Map<String, InputBatch> inputs, InputBatch layerValues) {
    return runOnce(inputs, scores, layerValues, scores.score());
  }

  /** One run feeding the inputs (and the layer's values, when given) and fetching one float tensor. */
  private float[] runOnce(Map<String, InputBatch> inputs, ScoreGraph scores, InputBatch layerValues, Output<?> fetch) {
    return underReadLock(() -> {
      List<Tensor> fed = new ArrayList<>();
      try {
        Session.Runner runner = loaded.session().runner();
        feeds(inputs, fed).forEach(runner::feed);
        if (layerValues != null) {
          Tensor t = layerValues.toTensor();
          fed.add(t);
          runner.feed(scores.layerOutput(), t);
        }
        try (Result result = run(runner.fetch(fetch))) {
          return FloatReads.copy((TFloat32) result.get(0));
        }
      } finally {
        fed.forEach(Tensor::close);
      }
    });
  }

  /**
   * One session run per target rank. The first run fetches the outputs, the scores and the layer's
   * values; every later rank feeds those values at the layer, so that only the graph above it runs
   * for that rank's gradients (outputs and scores do not depend on the target).
   */
  public void runRanks(ScoreGraph scores, Map<String, InputBatch> inputs, int batch, TargetPlan plan, RankVisitor visitor) {
    int ranks = plan.ranks();
    underReadLock(() -> {
      // The inputs are the same for every target rank: one tensor each, fed to every run.
      List<Tensor> fed = new ArrayList<>();
      Result first = null;
      try {
        Map<String, Tensor> feeds = feeds(inputs, fed);
        // The output is fetched only when it cannot be derived from the scores; each fetched
        // tensor costs a native allocation and a Java wrapper.
        boolean derived = scores.outputDerivable();
        boolean sameTensor = PassThrough.source(model.outputTensor()).equals(scores.score());
        int[][] ranked = null;
        Fetched firstFetched = null;
        for (int rank = 0; rank < ranks; rank++) {
          Session.Runner runner = loaded.session().runner();
          feeds.forEach((k, v) -> runner.feed(k, v));
          int[] chosen = !plan.fromPredictions() ? plan.explicitAt(rank) : rank > 0 ? ranked[rank] : null;
          try (TInt32 targetTensor = chosen == null ? null : TInt32.vectorOf(IntStream.of(chosen).map(t -> Math.max(t, 0)).toArray())) {
            if (targetTensor != null) {
              runner.feed(scores.targets(), targetTensor);
            }
            if (rank > 0 && feedLayerAfterFirstRank) {
              runner.feed(scores.layerOutput(), firstFetched.activations());
              try (Result result = run(runner.fetch(scores.gradients()))) {
                visitor.visit(rank, new Fetched(firstFetched.outputs(), firstFetched.scores(), firstFetched.activations(),
                    (TFloat32) result.get(0)), chosen);
              }
              continue;
            }
            // A tensor is fetched once even when it plays two parts (a dense layer that is the logits).
            List<Output<?>> fetches = new ArrayList<>(List.of(scores.layerOutput(), scores.gradients()));
            int scoreAt = indexOf(fetches, scores.score());
            int outputAt = derived || sameTensor ? -1 : indexOf(fetches, model.outputTensor());
            fetches.forEach(runner::fetch);
            Result result = run(runner);
            try {
              float[] scoreValues = FloatReads.copy((TFloat32) result.get(scoreAt));
              float[] outputs = derived ? scores.outputFromScores(scoreValues)
                  : sameTensor ? scoreValues : FloatReads.copy((TFloat32) result.get(outputAt));
              Fetched fetched = new Fetched(outputs, scoreValues, (TFloat32) result.get(0), (TFloat32) result.get(1));
              if (chosen == null) {
                // The graph's default target is the arg-max of these same scores (first index on ties).
                ranked = rank(scores.classes(), scoreValues, batch, ranks);
                chosen = ranked[0];
              }
              visitor.visit(rank, fetched, chosen);
              if (rank == 0 && ranks > 1) {
                // Kept open: later ranks feed its layer values.
                first = result;
                firstFetched = fetched;
                result = null;
              }
            } finally {
              if (result != null) {
                result.close();
              }
            }
          }
        }
      } finally {
        if (first != null) {
          first.close();
        }
        fed.forEach(Tensor::close);
      }
      return null;
    });
  }

  /** The position of {@code tensor} in {@code fetches}, added at the end when it is not there yet. */
  private static int indexOf(List<Output<?>> fetches, Output<?> tensor) {
    int at = fetches.indexOf(tensor);
    if (at < 0) {
      fetches.add(tensor);
      at = fetches.size() - 1;
    }
    return at;
  }

  /** For each rank, the class of that rank per item, best score first (ties to the lower index). */
  private static int[][] rank(int classes, float[] values, int batch, int k) {
    int[][] byRank = new int[k][batch];
    boolean[] taken = new boolean[classes];
    for (int item = 0; item < batch; item++) {
      int base = item * classes;
      java.util.Arrays.fill(taken, false);
      for (int r = 0; r < k; r++) {
        int best = -1;
        for (int c = 0; c < classes; c++) {
          if (!taken[c] && (best < 0 || values[base + c] > values[base + best])) {
            best = c;
          }
        }
        taken[best] = true;
        byRank[r][item] = best;
      }
    }
    return byRank;
  }

  /** One tensor per input, keyed by the graph tensor's name; each is added to {@code fed} to be closed. */
  private Map<String, Tensor> feeds(Map<String, InputBatch> inputs, List<Tensor> fed) {
    Map<String, Tensor> feeds = new LinkedHashMap<>();
    for (Map.Entry<String, InputBatch> e : inputs.entrySet()) {
      Tensor t = e.getValue().toTensor();
      fed.add(t);
      feeds.put(model.signature().getInputs().get(e.getKey()).name, t);
    }
    return feeds;
  }

  private static Result run(Session.Runner runner) {
    try {
      return runner.run();
    } catch (RuntimeException e) {
      throw new ExplainException("The TensorFlow session run failed: " + e.getMessage(), e);
    }
  }

  private <T> T underReadLock(java.util.function.Supplier<T> work) {
    lifecycle.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException("This explainer is closed");
      }
      return work.get();
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  /** Frees the session and graph; waits for runs in progress. */
  @Override
  public void close() {
    lifecycle.writeLock().lock();
    try {
      if (!closed) {
        closed = true;
        loaded.close();
      }
    } finally {
      lifecycle.writeLock().unlock();
    }
  }
}
