package org.explain4j;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.IntStream;
import org.explain4j.engine.CamEngine;
import org.explain4j.engine.CamMaps;
import org.explain4j.engine.CamTask;
import org.explain4j.engine.Engines;
import org.explain4j.engine.Interpolation;
import org.explain4j.engine.NonFiniteMapException;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Explains a SavedModel's predictions with Grad-CAM.
 *
 * <p><b>An explainer owns the model's TensorFlow session and graph: close it to free their native
 * memory.</b> It is thread-safe: many threads may call {@link #explain} on one instance.
 *
 * <pre>{@code
 * try (Explainer explainer = Explainer.builder().setModel(Path.of("my_saved_model")).build()) {
 *   Explanation e = explainer.explain(batch, Targets.predicted());
 * }
 * }</pre>
 */
public final class Explainer implements AutoCloseable {
  private final LoadedModel loaded;
  private final ModelGraph model;
  private final Layer layer;
  private final ScoreGraph scores;
  private final CamEngine engine;
  private final boolean relu;
  private final boolean counterfactual;
  private final Interpolation interpolation;
  private final List<String> labels;
  private final ModelDescription description;
  private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private boolean closed;

  private Explainer(Builder b, LoadedModel loaded) {
    this.loaded = loaded;
    String signature = b.signature != null ? b.signature : defaultSignature(loaded.signatures);
    this.model = new ModelGraph(loaded, signature, b.input, b.output, b.dataFormat);
    this.layer = chooseLayer(model, b);
    int rank = layer.shape().numDimensions();
    if (rank < 2 || rank > 4) {
      throw new ExplainException("Layer '" + layer.name() + "' has output shape " + layer.shape()
          + ": Grad-CAM needs a spatial layer [batch, height, width, channels] or a temporal one [batch, time, channels];"
          + " a [batch, units] layer gets a gradient-x-activation explanation");
    }
    if (model.op(layer).output(0).dataType() != DataType.DT_FLOAT) {
      throw new ExplainException("Layer '" + layer.name() + "' outputs " + model.op(layer).output(0).dataType() + "; expected DT_FLOAT");
    }
    this.scores = new ScoreGraph(model, layer, b.score);
    this.engine = Engines.select(b.engine);
    this.relu = b.relu;
    this.counterfactual = b.counterfactual;
    this.interpolation = b.interpolation;
    if (b.labels != null && b.labels.size() != scores.classes) {
      throw new IllegalArgumentException("Expected " + scores.classes + " labels (one per output class), got " + b.labels.size());
    }
    this.labels = b.labels;
    this.description = new ModelDescription(signature, ModelGraph.specs(model.signature.getInputs()),
        ModelGraph.specs(model.signature.getOutputs()), model.layers, layer);
  }

  private static Layer chooseLayer(ModelGraph model, Builder b) {
    return b.layerName != null ? model.layerNamed(b.layerName)
        : b.layerIndex != null ? model.layerAt(b.layerIndex) : model.automaticLayer();
  }

  private static String defaultSignature(List<Signature> all) {
    if (all.stream().anyMatch(s -> s.key().equals(Signature.DEFAULT_KEY)) || all.size() != 1) {
      return Signature.DEFAULT_KEY;
    }
    return all.get(0).key();
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The model's signature and candidate layers, the chosen one included. */
  public ModelDescription model() {
    return description;
  }

  /** The layer this explainer explains. */
  public Layer layer() {
    return layer;
  }

  /** The CAM engine in use. */
  public String engine() {
    return engine.name();
  }

  /** The number of output classes (1 for a single-output model). */
  public int classes() {
    return scores.classes;
  }

  /**
   * A plain prediction: the signature output for each item, flat {@code [batch, classes]}, with
   * no gradient computed. The baseline that explanation costs are measured against.
   */
  public float[] predict(InputBatch input) {
    Map<String, InputBatch> inputs = Map.of(model.input.key(), input);
    validate(inputs);
    lifecycle.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException("This explainer is closed");
      }
      try (Tensor t = input.toTensor();
          Result result = runRethrowing(loaded.session.runner().feed(model.inputTensor, t).fetch(model.outputTensor))) {
        return FloatReads.copy((TFloat32) result.get(0));
      }
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  /** Explains the predicted class of each item. */
  public Explanation explain(InputBatch input) {
    return explain(input, Targets.predicted());
  }

  /** Explains the given targets of each item of a single-input model's batch. */
  public Explanation explain(InputBatch input, Targets targets) {
    return explain(Map.of(model.input.key(), input), targets);
  }

  /** Explains the given targets; {@code inputs} maps each signature input's key to its batch. */
  public Explanation explain(Map<String, InputBatch> inputs, Targets targets) {
    int batch = validate(inputs);
    InputBatch main = inputs.get(model.input.key());
    int[] out = outputSize(main.shape());
    boolean units = layer.shape().numDimensions() == 2;
    String method = (units ? "gradient-x-activation" : "grad-cam") + (counterfactual ? " counterfactual" : "");
    List<TargetExplanation> results = new ArrayList<>();
    run(inputs, targets, batch, (rank, fetched, chosen) -> {
      if (units) {
        results.addAll(unitExplanations(fetched, chosen, batch, method));
        return;
      }
      long[] shape = fetched.activations.shape().asArray();
      boolean first = layer.dataFormat() == DataFormat.CHANNELS_FIRST;
      int h = shape.length == 4 ? (int) shape[first ? 2 : 1] : 1;
      int w = (int) shape[shape.length == 4 ? (first ? 3 : 2) : (first ? 2 : 1)];
      int c = (int) shape[first ? 1 : shape.length - 1];
      CamMaps maps;
      try {
        maps = engine.gradCam(new CamTask(FloatReads.view(fetched.activations), FloatReads.view(fetched.gradients),
            FloatReads.address(fetched.activations), FloatReads.address(fetched.gradients),
            batch, h, w, c, first, counterfactual ? -1f : 1f, relu, out[0], out[1], interpolation));
      } catch (NonFiniteMapException e) {
        throw new ExplainException(e.getMessage(), e);
      }
      for (int item = 0; item < batch; item++) {
        if (chosen[item] < 0) {
          continue;
        }
        int mapCells = h * w;
        int outCells = out[0] * out[1];
        results.add(target(item, chosen[item], fetched,
            new HeatMap(h, w, java.util.Arrays.copyOfRange(maps.layerMaps(), item * mapCells, (item + 1) * mapCells)),
            new HeatMap(out[0], out[1], java.util.Arrays.copyOfRange(maps.heatMaps(), item * outCells, (item + 1) * outCells)),
            method, engine.name(), maps.allZero()[item]));
      }
    });
    results.sort(Comparator.comparingInt(TargetExplanation::item));
    return new Explanation(model.signature.key(), layer.name(), method, engine.name(), batch, results);
  }

  /**
   * Explains many inputs lazily: items are gathered into batches, explained, and returned in input
   * order as the stream is consumed. Each element of {@code inputs} may hold one item or several.
   * Stop consuming, or set the options' cancel flag, to stop. Items with NaN or infinite values end
   * the run with an exception naming the item, or are reported as failed with
   * {@link BatchOptions.Builder#optSkipBadItems}.
   */
  public java.util.stream.Stream<ItemExplanation> explainAll(Iterable<InputBatch> inputs, BatchOptions options) {
    java.util.Iterator<InputBatch> source = inputs.iterator();
    java.util.Iterator<ItemExplanation> results = new java.util.Iterator<>() {
      private final java.util.ArrayDeque<ItemExplanation> ready = new java.util.ArrayDeque<>();
      private InputBatch pending;
      private int pendingNext;
      private long index;

      @Override
      public boolean hasNext() {
        while (ready.isEmpty() && !options.cancel().get() && (pending != null || source.hasNext())) {
          runBatch();
        }
        return !ready.isEmpty();
      }

      @Override
      public ItemExplanation next() {
        if (!hasNext()) {
          throw new java.util.NoSuchElementException();
        }
        return ready.poll();
      }

      private void runBatch() {
        List<InputBatch> good = new ArrayList<>();
        List<Long> goodIndex = new ArrayList<>();
        int size = 0;
        int limit = 0;
        while (pending != null || source.hasNext()) {
          if (pending == null) {
            pending = source.next();
            pendingNext = 0;
          }
          if (limit == 0) {
            limit = options.batchSize() > 0 ? options.batchSize() : defaultBatchSize(pending);
          }
          InputBatch item = pending.batchSize() == 1 ? pending : pending.item(pendingNext);
          if (++pendingNext >= pending.batchSize()) {
            pending = null;
          }
          long at = index++;
          long bad = item.firstNonFinite();
          if (bad >= 0) {
            String failure = "item " + at + " holds a NaN or infinite value (at flat index " + bad + " of the item)";
            if (!options.skipBadItems()) {
              throw new IllegalArgumentException("Input " + failure + ": expected finite numbers (or skip bad items)");
            }
            ready.add(new ItemExplanation(at, List.of(), Optional.of(failure)));
            continue;
          }
          good.add(item);
          goodIndex.add(at);
          if (++size >= limit) {
            break;
          }
        }
        if (!good.isEmpty()) {
          Explanation e = explain(InputBatch.concat(good), options.targets());
          // Failed items were queued as they came; keep input order by merging on the index.
          List<ItemExplanation> explained = new ArrayList<>();
          for (int i = 0; i < good.size(); i++) {
            explained.add(new ItemExplanation(goodIndex.get(i), e.forItem(i), Optional.empty()));
          }
          List<ItemExplanation> merged = new ArrayList<>(ready);
          merged.addAll(explained);
          merged.sort(Comparator.comparingLong(ItemExplanation::index));
          ready.clear();
          ready.addAll(merged);
        }
        options.progress().accept(index);
      }
    };
    return java.util.stream.StreamSupport.stream(
        java.util.Spliterators.spliteratorUnknownSize(results, java.util.Spliterator.ORDERED | java.util.Spliterator.NONNULL), false);
  }

  /** {@link #explainAll(Iterable, BatchOptions)} over a stream of inputs, consumed lazily. */
  public java.util.stream.Stream<ItemExplanation> explainAll(java.util.stream.Stream<InputBatch> inputs, BatchOptions options) {
    java.util.Iterator<InputBatch> iterator = inputs.iterator();
    return explainAll(() -> iterator, options).onClose(inputs::close);
  }

  /** About 8 million values per run, a power of two between 1 and 64 items. */
  static int defaultBatchSize(InputBatch sample) {
    long itemSize = Math.max(1, sample.itemSize());
    long items = Math.max(1, (8L << 20) / itemSize);
    return (int) Math.min(64, Long.highestOneBit(items));
  }

  /**
   * For a {@code [batch, units]} layer, where Grad-CAM has no positions to pool over: each unit's
   * gradient times its activation (the per-channel terms of the Grad-CAM sum), as a 1 x units map.
   */
  private List<TargetExplanation> unitExplanations(Fetched fetched, int[] chosen, int batch, String method) {
    float[] acts = FloatReads.copy(fetched.activations());
    float[] grads = FloatReads.copy(fetched.gradients());
    int units = acts.length / batch;
    List<TargetExplanation> out = new ArrayList<>();
    for (int item = 0; item < batch; item++) {
      if (chosen[item] < 0) {
        continue;
      }
      float[] map = new float[units];
      for (int u = 0; u < units; u++) {
        map[u] = (counterfactual ? -1 : 1) * grads[item * units + u] * acts[item * units + u];
      }
      if (!org.explain4j.engine.GradCam.allFinite(map)) {
        throw new ExplainException(new NonFiniteMapException(item).getMessage());
      }
      if (relu) {
        org.explain4j.engine.GradCam.relu(map);
      }
      float[] heat = map.clone();
      boolean zero = !org.explain4j.engine.GradCam.normalise(heat);
      out.add(target(item, chosen[item], fetched, new HeatMap(1, units, map), new HeatMap(1, units, heat), method, "java", zero));
    }
    return out;
  }

  private TargetExplanation target(int item, int target, Fetched fetched, HeatMap layerMap, HeatMap heatMap,
      String method, String engineName, boolean allZero) {
    int at = item * scores.classes + target;
    return new TargetExplanation(item, target,
        labels == null ? Optional.empty() : Optional.of(labels.get(target)),
        fetched.scores()[at],
        scores.distribution ? OptionalDouble.of(fetched.outputs()[at]) : OptionalDouble.empty(),
        layerMap, heatMap, layer.name(), method, engineName, allZero);
  }

  /**
   * The low level under {@link #explain}: outputs, the layer's activations and the gradients of
   * each target's score, with no map computed. Build other gradient-based methods on it.
   */
  public LayerGradients gradients(InputBatch input, Targets targets) {
    Map<String, InputBatch> inputs = Map.of(model.input.key(), input);
    int batch = validate(inputs);
    LayerGradients[] result = new LayerGradients[1];
    List<LayerGradients.TargetGradients> ranks = new ArrayList<>();
    run(inputs, targets, batch, (rank, fetched, chosen) -> {
      ranks.add(new LayerGradients.TargetGradients(chosen.clone(), FloatReads.copy(fetched.gradients)));
      if (rank == 0) {
        result[0] = new LayerGradients(layer, fetched.activations.shape().asArray(), fetched.outputs,
            fetched.scores, FloatReads.copy(fetched.activations), ranks);
      }
    });
    return new LayerGradients(layer, result[0].layerShape(), result[0].outputs(), result[0].scores(),
        result[0].activations(), List.copyOf(ranks));
  }

  /** The tensors one run fetches; valid only inside {@link RankVisitor#visit}. */
  private record Fetched(float[] outputs, float[] scores, TFloat32 activations, TFloat32 gradients) {}

  private interface RankVisitor {
    void visit(int rank, Fetched fetched, int[] targets);
  }

  /** One session run per target rank; the first run also yields the predictions. */
  private void run(Map<String, InputBatch> inputs, Targets targets, int batch, RankVisitor visitor) {
    targets.checkRange(scores.classes, batch);
    int ranks = targets.ranks(batch);
    lifecycle.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException("This explainer is closed");
      }
      // The inputs are the same for every target rank: one tensor each, fed to every run.
      List<Tensor> fed = new ArrayList<>();
      try {
        Map<String, Tensor> feeds = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, InputBatch> e : inputs.entrySet()) {
          Tensor t = e.getValue().toTensor();
          fed.add(t);
          feeds.put(model.signature.getInputs().get(e.getKey()).name, t);
        }
        // The output is fetched only when it cannot be derived from the scores; each fetched
        // tensor costs a native allocation and a Java wrapper.
        boolean derived = scores.outputDerivable();
        boolean sameTensor = ModelGraph.throughPassThrough(model.outputTensor).equals(scores.score);
        int[][] topK = null;
        for (int rank = 0; rank < ranks; rank++) {
          Session.Runner runner = loaded.session.runner();
          feeds.forEach(runner::feed);
          int[] chosen = null;
          if (!targets.fromPredictions()) {
            chosen = targets.explicitAt(rank, batch);
          } else if (rank > 0) {
            chosen = topK[rank];
          }
          TInt32 targetTensor = chosen == null ? null : TInt32.vectorOf(IntStream.of(chosen).map(t -> Math.max(t, 0)).toArray());
          if (targetTensor != null) {
            fed.add(targetTensor);
            runner.feed(scores.targets, targetTensor);
          }
          runner.fetch(scores.layerOutput).fetch(scores.gradients).fetch(scores.score);
          if (!derived && !sameTensor) {
            runner.fetch(model.outputTensor);
          }
          try (Result result = runRethrowing(runner)) {
            float[] scoreValues = FloatReads.copy((TFloat32) result.get(2));
            float[] outputs = derived ? scores.outputFromScores(scoreValues)
                : sameTensor ? scoreValues : FloatReads.copy((TFloat32) result.get(3));
            Fetched fetched = new Fetched(outputs, scoreValues, (TFloat32) result.get(0), (TFloat32) result.get(1));
            if (chosen == null) {
              // The graph's default target is the arg-max of these same scores (first index on ties).
              int[][] ranked = rankTargets(scoreValues, batch, ranks);
              chosen = ranked[0];
              topK = ranked;
            }
            visitor.visit(rank, fetched, chosen);
          }
          if (targetTensor != null) {
            fed.remove(targetTensor);
            targetTensor.close();
          }
        }
      } finally {
        fed.forEach(Tensor::close);
      }
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  private static Result runRethrowing(Session.Runner runner) {
    try {
      return runner.run();
    } catch (RuntimeException e) {
      throw new ExplainException("The TensorFlow session run failed: " + e.getMessage(), e);
    }
  }

  /** For each rank, the class of that rank per item, best score first (ties to the lower index). */
  private int[][] rankTargets(float[] values, int batch, int k) {
    int classes = scores.classes;
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

  /** Checks every input against the signature and returns the batch size. */
  private int validate(Map<String, InputBatch> inputs) {
    List<TensorSpec> specs = ModelGraph.specs(model.signature.getInputs());
    for (String key : inputs.keySet()) {
      if (specs.stream().noneMatch(s -> s.key().equals(key))) {
        throw new IllegalArgumentException("Unknown input '" + key + "'; the signature's inputs are "
            + specs.stream().map(TensorSpec::key).toList());
      }
    }
    int batch = -1;
    for (TensorSpec spec : specs) {
      InputBatch in = inputs.get(spec.key());
      if (in == null) {
        throw new IllegalArgumentException("Missing input '" + spec.key() + "' (" + spec.dataType() + " " + spec.shape() + ")");
      }
      InputChecks.check(spec, in);
      if (batch >= 0 && in.batchSize() != batch) {
        throw new IllegalArgumentException("Inputs disagree on the batch size: " + batch + " and " + in.batchSize()
            + " (input '" + spec.key() + "')");
      }
      batch = in.batchSize();
    }
    return batch;
  }

  /**
   * The heat map's size: the input's spatial size, or its token count for sequence layers. A rank-4
   * input is read as channels-last unless its dimension 1 looks like channels (4 or fewer) and its
   * last does not, whatever the layer's own format.
   */
  private int[] outputSize(Shape input) {
    long[] dims = input.asArray();
    boolean layerFirst = layer.dataFormat() == DataFormat.CHANNELS_FIRST;
    long[] layerDims = layer.shape().asArray();
    if (layerDims.length == 2) {
      return new int[] {1, (int) layerDims[1]};
    }
    if (layer.shape().numDimensions() == 3) {
      int t = (int) layerDims[layerFirst ? 2 : 1];
      return new int[] {1, dims.length >= 2 ? (int) dims[1] : t};
    }
    if (dims.length == 4) {
      boolean inputFirst = dims[1] <= 4 && dims[3] > 4;
      return inputFirst ? new int[] {(int) dims[2], (int) dims[3]} : new int[] {(int) dims[1], (int) dims[2]};
    }
    if (dims.length == 3) {
      return new int[] {(int) dims[1], (int) dims[2]};
    }
    return new int[] {(int) layerDims[layerFirst ? 2 : 1], (int) layerDims[layerFirst ? 3 : 2]};
  }

  /** Frees the session and graph; waits for explanations in progress. */
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

  /**
   * Configures an {@link Explainer}: {@code set} for what is required, {@code opt} for the rest.
   */
  public static final class Builder {
    private Path modelDir;
    private String[] tags = {"serve"};
    private String signature;
    private String input;
    private String output;
    private String layerName;
    private Integer layerIndex;
    private ScoreKind score = ScoreKind.LOGIT;
    private boolean relu = true;
    private boolean counterfactual;
    private Interpolation interpolation = Interpolation.BILINEAR;
    private List<String> labels;
    private DataFormat dataFormat;
    private String engine = "auto";

    private Builder() {}

    /** The SavedModel directory. Required. */
    public Builder setModel(Path dir) {
      this.modelDir = dir;
      return this;
    }

    /** The meta graph's tags; {@code "serve"} by default. */
    public Builder optTags(String... tags) {
      this.tags = tags.clone();
      return this;
    }

    /** The signature; {@code serving_default} by default, or the only one the model has. */
    public Builder optSignature(String key) {
      this.signature = key;
      return this;
    }

    /** The signature input to explain, for models with several. */
    public Builder optInput(String key) {
      this.input = key;
      return this;
    }

    /** The signature output to explain, for models with several. */
    public Builder optOutput(String key) {
      this.output = key;
      return this;
    }

    /** The layer by name (see {@link Explainer#model()}); chosen automatically by default. */
    public Builder optLayer(String name) {
      this.layerName = name;
      this.layerIndex = null;
      return this;
    }

    /** The layer by index into {@link ModelDescription#layers()}. */
    public Builder optLayer(int index) {
      this.layerIndex = index;
      this.layerName = null;
      return this;
    }

    /** Which score is differentiated; {@link ScoreKind#LOGIT} by default. */
    public Builder optScore(ScoreKind kind) {
      this.score = kind;
      return this;
    }

    /** Whether negative map values are cut to zero; on by default. */
    public Builder optRelu(boolean relu) {
      this.relu = relu;
      return this;
    }

    /** Explain what lowers the score (negated gradients) instead of what raises it; off by default. */
    public Builder optCounterfactual(boolean counterfactual) {
      this.counterfactual = counterfactual;
      return this;
    }

    /** How maps are resampled to the input's size; bilinear by default. */
    public Builder optInterpolation(Interpolation kind) {
      this.interpolation = kind;
      return this;
    }

    /** Class labels, one per output class. */
    public Builder optLabels(List<String> labels) {
      this.labels = List.copyOf(labels);
      return this;
    }

    /** Class labels read from a UTF-8 text file, one per line (trailing empty lines ignored). */
    public Builder optLabels(Path file) {
      try {
        List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
          lines.remove(lines.size() - 1);
        }
        return optLabels(lines);
      } catch (IOException e) {
        throw new IllegalArgumentException("Cannot read labels from " + file + ": " + e.getMessage(), e);
      }
    }

    /** Declares where the layer keeps its channels, overriding what the graph says. */
    public Builder optDataFormat(DataFormat format) {
      this.dataFormat = format;
      return this;
    }

    /** The CAM engine: {@code "auto"} (default), {@code "java"}, or another installed engine's name. */
    public Builder optEngine(String name) {
      this.engine = name;
      return this;
    }

    /**
     * Loads the model only to describe it, then frees it: its signature and candidate layers, and
     * the layer this configuration would explain ({@link ModelDescription#chosenLayer()} is null
     * when no layer fits, as for a dense-only model with no layer named).
     */
    public ModelDescription describe() {
      if (modelDir == null) {
        throw new IllegalStateException("setModel(dir) is required");
      }
      try (LoadedModel loaded = LoadedModel.load(modelDir, tags)) {
        String key = signature != null ? signature : defaultSignature(loaded.signatures);
        ModelGraph model = new ModelGraph(loaded, key, input, output, dataFormat);
        Layer chosen;
        try {
          chosen = chooseLayer(model, this);
        } catch (ExplainException e) {
          chosen = null;
        }
        return new ModelDescription(key, ModelGraph.specs(model.signature.getInputs()),
            ModelGraph.specs(model.signature.getOutputs()), model.layers, chosen);
      }
    }

    /** <b>Loads the model: the explainer returned must be closed.</b> */
    public Explainer build() {
      if (modelDir == null) {
        throw new IllegalStateException("setModel(dir) is required");
      }
      LoadedModel loaded = LoadedModel.load(modelDir, tags);
      try {
        return new Explainer(this, loaded);
      } catch (RuntimeException e) {
        loaded.close();
        throw e;
      }
    }
  }
}
