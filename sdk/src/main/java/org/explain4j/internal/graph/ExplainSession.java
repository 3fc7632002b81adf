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
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.ndarray.buffer.FloatDataBuffer;
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

  private final ExtraFeeds extraFeeds;

  /** Takes ownership of {@code loaded}. */
  public ExplainSession(LoadedModel loaded, ModelGraph model) {
    this(loaded, model, ExtraFeeds.none());
  }

  /** Takes ownership of {@code loaded}; {@code extraFeeds} go into every run. */
  public ExplainSession(LoadedModel loaded, ModelGraph model, ExtraFeeds extraFeeds) {
    this.loaded = loaded;
    this.model = model;
    this.extraFeeds = extraFeeds;
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

  /**
   * What a rank's run fetched: outputs and scores ({@code [batch, classes]}), the layer's shape, and
   * views of the activations and of this rank's gradients in tensor memory (with their native
   * addresses, 0 where unknown). The views are valid only inside {@link RankVisitor#visit}.
   */
  public record Fetched(float[] outputs, float[] scores, long[] layerShape, FloatDataBuffer activations, long activationsAddress,
      FloatDataBuffer gradients, long gradientsAddress) {}

  /** Later ranks share one run while their tiled layer values stay under this many floats (256 MiB). */
  private static final long MAX_TILED_FLOATS = 64L << 20;

  /** Receives each target rank's run. */
  public interface RankVisitor {
    /** {@code targets} holds each item's class at this rank, or -1 where an item has fewer. */
    void visit(int rank, Fetched fetched, int[] targets);
  }

  private volatile TextVocabulary vocabulary;

  /**
   * A raw-text input's tokens as the model sees them, one per padded position (the positions its
   * temporal layers' maps lie over): its own vocabulary's words, "" for padding.
   */
  public java.util.List<java.util.List<String>> textTokens(Map<String, InputBatch> inputs, int batch) {
    TextVocabulary v = vocabulary;
    if (v == null) {
      synchronized (model.graph()) {
        v = vocabulary;
        if (v == null) {
          vocabulary = v = TextVocabulary.of(model.graph(), loaded.session(), model.pathOps());
        }
      }
    }
    TextVocabulary words = v;
    return underReadLock(() -> {
      List<Tensor> fed = new ArrayList<>();
      try {
        Session.Runner runner = loaded.session().runner();
        feeds(inputs, fed).forEach(runner::feed);
        try (Result result = run(runner.fetch(words.ids()))) {
          Tensor ids = result.get(0);
          long[] shape = ids.shape().asArray();
          java.util.List<java.util.List<String>> out = new ArrayList<>();
          for (int item = 0; item < batch; item++) {
            java.util.List<String> tokens = new ArrayList<>();
            for (int t = 0; t < shape[1]; t++) {
              long id = ids instanceof org.tensorflow.types.TInt64 l ? l.getLong(item, t) : ((TInt32) ids).getInt(item, t);
              tokens.add(words.word(id));
            }
            out.add(tokens);
          }
          return out;
        }
      } finally {
        fed.forEach(Tensor::close);
      }
    });
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
   * Runs every target rank. The first rank's run fetches the outputs, the scores and the layer's
   * values; the later ranks feed those values at the layer, so that only the graph above it runs
   * (outputs and scores do not depend on the target), all of them in one run of the values tiled
   * once per rank where the graph above the layer takes any batch, else one run per rank.
   */
  public void runRanks(ScoreGraph scores, Map<String, InputBatch> inputs, int batch, TargetPlan plan, RankVisitor visitor) {
    int ranks = plan.ranks();
    underReadLock(() -> {
      // The inputs are the same for every target rank: one tensor each, fed to every run.
      List<Tensor> fed = new ArrayList<>();
      try {
        Map<String, Tensor> feeds = feeds(inputs, fed);
        int[][] ranked = null;
        for (int rank = 0; rank < ranks; rank++) {
          int[] chosen = !plan.fromPredictions() ? plan.explicitAt(rank) : rank > 0 ? ranked[rank] : null;
          try (Result result = wholeRun(scores, feeds, chosen)) {
            Fetched fetched = fetched(scores, result);
            if (chosen == null) {
              // The graph's default target is the arg-max of these same scores (first index on ties).
              ranked = rank(scores.classes(), fetched.scores(), batch, ranks);
              chosen = ranked[0];
            }
            visitor.visit(rank, fetched, chosen);
            if (rank == 0 && ranks > 1 && feedLayerAfterFirstRank) {
              int[][] later = new int[ranks - 1][];
              for (int r = 1; r < ranks; r++) {
                later[r - 1] = plan.fromPredictions() ? ranked[r] : plan.explicitAt(r);
              }
              laterRanks(scores, feeds, (TFloat32) result.get(0), fetched, later, visitor);
              return null;
            }
          }
        }
      } finally {
        fed.forEach(Tensor::close);
      }
      return null;
    });
  }

  /** The inputs of items {@code from..to} of a batch, padded to the signature's fixed batch. */
  public interface ChunkInputs {
    Map<String, InputBatch> inputs(int from, int to);
  }

  /**
   * {@link #runRanks} for a signature that fixes the batch at {@code fixed} items while the batch
   * has another size: the first rank runs the whole model in runs of {@code fixed} items (the last
   * padded, its padding dropped) and is visited once for the whole batch; the later ranks of every
   * item share one run at the layer where the graph above it needs neither the inputs nor a fixed
   * batch, else run per rank and per run of {@code fixed} items.
   */
  public void runRanksInChunks(ScoreGraph scores, int batch, int fixed, ChunkInputs chunks, TargetPlan plan, RankVisitor visitor) {
    int ranks = plan.ranks();
    underReadLock(() -> {
      int classes = scores.classes();
      int[] explicit = plan.fromPredictions() ? null : plan.explicitAt(0);
      float[] scoreValues = new float[batch * classes];
      float[] outputs = null;
      float[] activations = null;
      float[] gradients = null;
      long[] shape = null;
      int per = 0;
      for (int from = 0; from < batch; from += fixed) {
        int to = Math.min(batch, from + fixed);
        List<Tensor> fed = new ArrayList<>();
        try (Result result = wholeRun(scores, feeds(chunks.inputs(from, to), fed), explicit == null ? null : padded(explicit, from, to, fixed))) {
          Fetched f = fetched(scores, result);
          if (shape == null) {
            shape = f.layerShape().clone();
            per = (int) (f.activations().size() / shape[0]);
            shape[0] = batch;
            activations = new float[batch * per];
            gradients = new float[batch * per];
            outputs = new float[batch * (f.outputs().length / fixed)];
          }
          int n = to - from;
          f.activations().slice(0, (long) n * per).read(activations, from * per, n * per);
          f.gradients().slice(0, (long) n * per).read(gradients, from * per, n * per);
          System.arraycopy(f.scores(), 0, scoreValues, from * classes, n * classes);
          int outWidth = f.outputs().length / fixed;
          System.arraycopy(f.outputs(), 0, outputs, from * outWidth, n * outWidth);
        } finally {
          fed.forEach(Tensor::close);
        }
      }
      int[][] ranked = plan.fromPredictions() ? rank(classes, scoreValues, batch, ranks) : null;
      Fetched first = new Fetched(outputs, scoreValues, shape, DataBuffers.of(activations, true, false), 0,
          DataBuffers.of(gradients, true, false), 0);
      visitor.visit(0, first, ranked != null ? ranked[0] : explicit);
      if (ranks == 1) {
        return null;
      }
      int[][] later = new int[ranks - 1][];
      for (int r = 1; r < ranks; r++) {
        later[r - 1] = ranked != null ? ranked[r] : plan.explicitAt(r);
      }
      if (feedLayerAfterFirstRank) {
        // No inputs fed: where the graph above the layer needs them, TensorFlow says so and the runs go per chunk.
        try (TFloat32 values = TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(activations, true, false))) {
          if (tiledRanks(scores, Map.of(), values, first, later, visitor)) {
            return null;
          }
        }
      }
      for (int k = 0; k < later.length; k++) {
        float[] rankGradients = new float[batch * per];
        for (int from = 0; from < batch; from += fixed) {
          int to = Math.min(batch, from + fixed);
          List<Tensor> fed = new ArrayList<>();
          long[] chunkShape = shape.clone();
          chunkShape[0] = fixed;
          float[] chunkValues = new float[fixed * per];
          for (int i = 0; i < fixed; i++) {
            System.arraycopy(activations, Math.min(from + i, to - 1) * per, chunkValues, i * per, per);
          }
          try (TFloat32 values = TFloat32.tensorOf(Shape.of(chunkShape), DataBuffers.of(chunkValues, true, false));
              TInt32 targets = targetsTensor(List.of(padded(later[k], from, to, fixed)))) {
            Session.Runner runner = loaded.session().runner();
            feeds(chunks.inputs(from, to), fed).forEach((key, v) -> runner.feed(key, v));
            if (feedLayerAfterFirstRank) {
              runner.feed(scores.layerOutput(), values);
            }
            runner.feed(scores.targets(), targets).fetch(scores.gradients());
            try (Result result = run(runner)) {
              FloatReads.view((TFloat32) result.get(0)).slice(0, (long) (to - from) * per).read(rankGradients, from * per, (to - from) * per);
            }
          } finally {
            fed.forEach(Tensor::close);
          }
        }
        visitor.visit(k + 1, new Fetched(outputs, scoreValues, shape, first.activations(), 0, DataBuffers.of(rankGradients, true, false), 0),
            later[k]);
      }
      return null;
    });
  }

  /** Items {@code from..to} of {@code values}, the last repeated up to {@code size}. */
  private static int[] padded(int[] values, int from, int to, int size) {
    int[] out = new int[size];
    for (int i = 0; i < size; i++) {
      out[i] = values[Math.min(from + i, to - 1)];
    }
    return out;
  }

  /** A run of the whole model for one rank: {@link #fetches} (the layer values, gradients, scores, and output where needed). */
  private Result wholeRun(ScoreGraph scores, Map<String, Tensor> feeds, int[] chosen) {
    Session.Runner runner = loaded.session().runner();
    feeds.forEach((k, v) -> runner.feed(k, v));
    try (TInt32 targetTensor = chosen == null ? null : targetsTensor(List.of(chosen))) {
      if (targetTensor != null) {
        runner.feed(scores.targets(), targetTensor);
      }
      fetches(scores).forEach(runner::fetch);
      return run(runner);
    }
  }

  /**
   * What a whole run fetches, in order: the layer values, the gradients, the scores, and the output
   * only where it cannot be derived from the scores (each fetched tensor costs a native allocation
   * and a Java wrapper). A tensor is fetched once even when it plays two parts (a dense layer that
   * is the logits).
   */
  private List<Output<?>> fetches(ScoreGraph scores) {
    List<Output<?>> fetches = new ArrayList<>(List.of(scores.layerOutput(), scores.gradients()));
    indexOf(fetches, scores.score());
    if (!scores.outputDerivable() && !sameTensor(scores)) {
      indexOf(fetches, model.outputTensor());
    }
    return fetches;
  }

  private boolean sameTensor(ScoreGraph scores) {
    return PassThrough.source(model.outputTensor()).equals(scores.score());
  }

  /** What a whole run fetched, as views into {@code result} (which stays open while they are read). */
  private Fetched fetched(ScoreGraph scores, Result result) {
    List<Output<?>> fetches = fetches(scores);
    float[] scoreValues = FloatReads.copy((TFloat32) result.get(fetches.indexOf(scores.score())));
    float[] outputs;
    if (scores.outputDerivable()) {
      outputs = scores.outputFromScores(scoreValues);
    } else if (sameTensor(scores)) {
      outputs = scoreValues;
    } else {
      outputs = FloatReads.copy((TFloat32) result.get(fetches.indexOf(model.outputTensor())));
    }
    TFloat32 activations = (TFloat32) result.get(0);
    TFloat32 gradients = (TFloat32) result.get(1);
    return new Fetched(outputs, scoreValues, activations.shape().asArray(), FloatReads.view(activations), FloatReads.address(activations),
        FloatReads.view(gradients), FloatReads.address(gradients));
  }

  /**
   * The ranks after the first: the first run's layer values fed at the layer. One run for all of
   * them, the values tiled once per rank, where the graph above the layer takes that batch; a graph
   * that fixes its batch above the layer gets one run per rank (found once per score graph).
   */
  private void laterRanks(ScoreGraph scores, Map<String, Tensor> feeds, TFloat32 activations, Fetched first, int[][] chosen,
      RankVisitor visitor) {
    // One later rank is one run either way: fed the values themselves, without a tiled copy.
    if (chosen.length > 1 && tiledRanks(scores, feeds, activations, first, chosen, visitor)) {
      return;
    }
    for (int k = 0; k < chosen.length; k++) {
      Session.Runner runner = loaded.session().runner();
      feeds.forEach((key, v) -> runner.feed(key, v));
      try (TInt32 targets = targetsTensor(List.of(chosen[k]))) {
        runner.feed(scores.layerOutput(), activations).feed(scores.targets(), targets).fetch(scores.gradients());
        try (Result result = run(runner)) {
          TFloat32 gradients = (TFloat32) result.get(0);
          visitor.visit(k + 1, new Fetched(first.outputs(), first.scores(), first.layerShape(), first.activations(),
              first.activationsAddress(), FloatReads.view(gradients), FloatReads.address(gradients)), chosen[k]);
        }
      }
    }
  }

  /**
   * All the later ranks in one run at the layer: {@code values} tiled once per rank, each rank's
   * gradients a slice of the run's. False, with nothing visited, where one run would be too large
   * or the graph above the layer refuses a batch of that size (remembered by the score graph).
   */
  private boolean tiledRanks(ScoreGraph scores, Map<String, Tensor> feeds, TFloat32 values, Fetched first, int[][] chosen,
      RankVisitor visitor) {
    long perRank = values.shape().size();
    if (!scores.tilesRanks() || perRank * chosen.length > MAX_TILED_FLOATS) {
      return false;
    }
    try (TFloat32 tiled = tiled(values, chosen.length); TInt32 targets = targetsTensor(List.of(chosen))) {
      Session.Runner runner = loaded.session().runner();
      feeds.forEach((k, v) -> runner.feed(k, v));
      runner.feed(scores.layerOutput(), tiled).feed(scores.targets(), targets).fetch(scores.gradients());
      Result result;
      try {
        result = runner.run();
      } catch (RuntimeException e) {
        scores.ranksNeedTheirOwnRuns(e);
        return false;
      }
      try (Result r = result) {
        TFloat32 gradients = (TFloat32) r.get(0);
        FloatDataBuffer all = FloatReads.view(gradients);
        long address = FloatReads.address(gradients);
        for (int k = 0; k < chosen.length; k++) {
          long from = k * perRank;
          visitor.visit(k + 1, new Fetched(first.outputs(), first.scores(), first.layerShape(), first.activations(),
              first.activationsAddress(), all.slice(from, perRank), address == 0 ? 0 : address + from * Float.BYTES), chosen[k]);
        }
      }
      return true;
    }
  }

  /** <b>A new tensor the caller closes</b>: {@code values} repeated {@code copies} times along the batch. */
  private static TFloat32 tiled(TFloat32 values, int copies) {
    long[] dims = values.shape().asArray();
    long size = values.shape().size();
    dims[0] *= copies;
    TFloat32 out = TFloat32.tensorOf(Shape.of(dims));
    FloatDataBuffer from = FloatReads.view(values);
    FloatDataBuffer to = FloatReads.view(out);
    for (int k = 0; k < copies; k++) {
      from.copyTo(to.slice(k * size, size), size);
    }
    return out;
  }

  /** <b>A new tensor the caller closes</b>: each rank's targets in turn (-1, an item without one, fed as 0 and ignored). */
  private static TInt32 targetsTensor(List<int[]> ranks) {
    return TInt32.vectorOf(ranks.stream().flatMapToInt(IntStream::of).map(t -> Math.max(t, 0)).toArray());
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
    extraFeeds.putInto(feeds, fed);
    return feeds;
  }

  private static Result run(Session.Runner runner) {
    try {
      return runner.run();
    } catch (RuntimeException e) {
      String missing = ExtraFeeds.missing(e);
      throw new ExplainException(missing != null ? missing : "The TensorFlow session run failed: " + e.getMessage(), e);
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
