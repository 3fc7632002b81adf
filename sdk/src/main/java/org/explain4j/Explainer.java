package org.explain4j;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.explain4j.batch.Batcher;
import org.explain4j.engine.CamEngine;
import org.explain4j.engine.CamTask;
import org.explain4j.engine.Engines;
import org.explain4j.exceptions.ExplainException;
import org.explain4j.exceptions.InvalidInputException;
import org.explain4j.input.InputBatch;
import org.explain4j.internal.graph.ExplainSession;
import org.explain4j.internal.graph.ModelGraph;
import org.explain4j.internal.graph.ScoreGraph;
import org.explain4j.internal.tf.FloatReads;
import org.explain4j.internal.tf.InputChecks;
import org.explain4j.internal.tf.LoadedModel;
import org.explain4j.method.AttributionMethod;
import org.explain4j.model.LayerKind;
import org.explain4j.method.MethodInput;
import org.explain4j.method.MethodMaps;
import org.explain4j.method.Methods;
import org.explain4j.model.Layer;
import org.explain4j.model.ModelDescription;
import org.explain4j.model.TokenGrid;
import org.tensorflow.proto.DataType;

/**
 * Explains a SavedModel's predictions with an attribution method (Grad-CAM by default).
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
  private final ExplainerConfig config;
  private final ExplainSession session;
  private final Layer layer;
  private final LayerKind kind;
  private final TokenGrid grid;
  private final List<AttributionMethod> methods;
  private final CamEngine engine;
  private final TargetResults results;
  private final ModelDescription description;
  private final Provenance provenance;
  /** The batch size the signature fixes, or 0 when it is free. */
  private final int fixedBatch;

  private Explainer(ExplainerConfig config, LoadedModel loaded) {
    this.config = config;
    ModelGraph model = config.graph(loaded);
    this.layer = config.layer(model);
    LayerKind rankKind = LayerKind.ofRank(layer.shape().numDimensions());
    if (rankKind == null) {
      throw new ExplainException("Layer '" + layer.name() + "' has output shape " + layer.shape()
          + ": explain4j needs a spatial layer [batch, height, width, channels], a temporal one [batch, time, channels]"
          + " or a [batch, units] one");
    }
    this.grid = TokenLayout.resolve(config.tokenGrid(), layer, model.input());
    this.kind = grid != null ? LayerKind.SPATIAL : rankKind; // over a token grid, the methods see the patches
    if (model.op(layer).output(0).dataType() != DataType.DT_FLOAT) {
      throw new ExplainException("Layer '" + layer.name() + "' outputs " + model.op(layer).output(0).dataType() + "; expected DT_FLOAT");
    }
    this.methods = Methods.chooseAll(config.method(), kind);
    for (AttributionMethod m : methods) {
      if (config.counterfactual() && !m.hasCounterfactual()) {
        throw new ExplainException("Method '" + m.name() + "' has no counterfactual form; use a gradient method such as grad-cam");
      }
    }
    ScoreGraph scores = new ScoreGraph(model, layer, config.score());
    this.engine = Engines.select(config.engine());
    if (config.engine() != null && !config.engine().trim().equalsIgnoreCase("auto")) {
      // A named engine must compute every formula it takes from these methods as they do in Java;
      // under auto, a formula that differs just stays in Java (logged).
      String mismatch = Methods.formulaMismatch(methods, engine);
      if (mismatch != null) {
        throw new ExplainException("CAM engine '" + engine.name() + "' failed its self-check of " + mismatch);
      }
    }
    this.results = new TargetResults(config.labels(), scores.classes(), scores.distribution(), layer.name());
    this.description = model.describe(layer);
    this.provenance = new Provenance(config.model().toString(), model.signature().key(), config.tags(), model.input().key(),
        model.output().key(), layer.name(), layer.op(), kind, method(), scores.kindUsed(), config.relu(), config.counterfactual(),
        config.interpolation(), smoothing(config), perturbation(config.perturbation()), engine.name(), Versions.library(),
        Versions.tensorFlow());
    this.session = new ExplainSession(loaded, model, scores);
    this.fixedBatch = FixedBatchRuns.of(description.inputs());
  }

  private static String smoothing(ExplainerConfig c) {
    return c.augmentSmooth() && c.eigenSmooth() ? "augment+eigen" : c.augmentSmooth() ? "augment" : c.eigenSmooth() ? "eigen" : "none";
  }

  private static String perturbation(org.explain4j.method.Perturbation p) {
    return (p.maxChannels() == 0 ? "all channels" : "top " + p.maxChannels() + " channels")
        + (p.inputsPerRun() == 0 ? ", one channel per run" : ", about " + p.inputsPerRun() + " inputs per run");
  }

  /** <b>Loads the model: the explainer returned must be closed.</b> */
  public static Explainer of(ExplainerConfig config) {
    LoadedModel loaded = config.load();
    try {
      return new Explainer(config, loaded);
    } catch (RuntimeException e) {
      loaded.close();
      throw e;
    }
  }

  /** A new builder; its {@code build()} loads the model. */
  public static ExplainerConfig.Builder builder() {
    return ExplainerConfig.builder();
  }

  /** The configuration this explainer was built from. */
  public ExplainerConfig config() {
    return config;
  }

  /** The model's signature and candidate layers, the chosen one included. */
  public ModelDescription model() {
    return description;
  }

  /** The layer this explainer explains. */
  public Layer layer() {
    return layer;
  }

  /** The attribution methods' names, comma-separated (one pass computes them all). */
  public String method() {
    return String.join(",", methods.stream().map(AttributionMethod::name).toList());
  }

  /** The CAM engine in use. */
  public String engine() {
    return engine.name();
  }

  /** The number of output classes (1 for a single-output model). */
  public int classes() {
    return results.classes();
  }

  /**
   * A plain prediction: the signature output for each item, flat {@code [batch, classes]}, with
   * no gradient computed. The baseline that explanation costs are measured against.
   */
  public float[] predict(InputBatch input) {
    if (FixedBatchRuns.needed(fixedBatch, input.batchSize())) {
      return FixedBatchRuns.predict(single(input), fixedBatch,
          run -> session.predict(InputChecks.prepare(description.inputs(), run).inputs()));
    }
    return session.predict(InputChecks.prepare(description.inputs(), single(input)).inputs());
  }

  /**
   * A single-input model's batch as a run would feed it: converted to the signature's element
   * type and checked (shape, batch, finite values), with nothing run. Throws the
   * {@link org.explain4j.exceptions.InvalidInputException} a run would throw; services call it to
   * refuse one bad request before it joins others in a batch.
   */
  public InputBatch conform(InputBatch input) {
    // A signature that fixes the batch takes any: explain() and predict() cut it into runs of that size.
    return InputChecks.prepare(description.inputs(), single(input), FixedBatchRuns.needed(fixedBatch, input.batchSize())).inputs()
        .get(session.model().input().key());
  }

  /** Explains the predicted class of each item. */
  public Explanation explain(InputBatch input) {
    return explain(input, Targets.predicted());
  }

  /** Explains the given targets of each item of a single-input model's batch. */
  public Explanation explain(InputBatch input, Targets targets) {
    return explain(single(input), targets);
  }

  /**
   * Explains the given targets; {@code inputs} maps each signature input's key to its batch. With
   * {@link ExplainerConfig.Builder#optAugmentSmooth}, the maps are averaged over six augmented
   * copies of the main input.
   */
  public Explanation explain(Map<String, InputBatch> given, Targets targets) {
    if (config.augmentSmooth()) {
      return AugmentSmoothing.explain(this::explainOnce, given, session.model().input().key(), targets);
    }
    return explainOnce(given, targets);
  }

  /** One explanation run, or runs of the size the signature fixes. */
  private Explanation explainOnce(Map<String, InputBatch> given, Targets targets) {
    if (FixedBatchRuns.needed(fixedBatch, FixedBatchRuns.batchOf(given))) {
      return FixedBatchRuns.explain(given, targets, fixedBatch, results.classes(), this::explainRun);
    }
    return explainRun(given, targets);
  }

  private Explanation explainRun(Map<String, InputBatch> given, Targets targets) {
    InputChecks.Prepared prepared = InputChecks.prepare(description.inputs(), given);
    Map<String, InputBatch> inputs = prepared.inputs();
    int batch = prepared.batch();
    InputBatch main = inputs.get(session.model().input().key());
    int[] out = main.dataType() == DataType.DT_STRING ? HeatMapSize.ofEncoded(main) : HeatMapSize.of(main, layer, grid != null);
    String suffix = config.counterfactual() ? " counterfactual" : "";
    List<TargetExplanation> explained = new ArrayList<>();
    java.util.Set<String> ran = new java.util.LinkedHashSet<>();
    float[][] outputs = new float[batch][];
    // One session run per target rank, whatever the number of methods: they share its activations and gradients.
    session.runRanks(inputs, batch, targets.plan(results.classes(), batch), (rank, fetched, chosen) -> {
      CamTask.Layout tensorLayout = MethodInput.layout(fetched.activations().shape().asArray(), layer.dataFormat());
      CamTask.Buffers tensorBuffers = new CamTask.Buffers(FloatReads.view(fetched.activations()), FloatReads.view(fetched.gradients()),
          FloatReads.address(fetched.activations()), FloatReads.address(fetched.gradients()));
      TokenLayout.Regridded patches = grid == null ? null : TokenLayout.regrid(tensorLayout, tensorBuffers, grid);
      CamTask.Layout layout = patches == null ? tensorLayout : patches.layout();
      CamTask.Buffers buffers = patches == null ? tensorBuffers : patches.buffers();
      CamTask.Options options = new CamTask.Options(config.counterfactual() ? -1f : 1f, config.relu(), out[0], out[1],
          config.interpolation());
      if (rank == 0) {
        int classes = results.classes();
        for (int item = 0; item < batch; item++) {
          outputs[item] = java.util.Arrays.copyOfRange(fetched.outputs(), item * classes, (item + 1) * classes);
        }
      }
      SessionForwardRuns forward = new SessionForwardRuns(session, description.inputs(), inputs, fixedBatch);
      for (AttributionMethod method : methods) {
        MethodMaps maps = method.compute(new MethodInput(kind, chosen, layout, buffers, options, engine, forward, config.perturbation(),
            config.eigenSmooth()));
        ran.add(maps.engine());
        for (int item = 0; item < batch; item++) {
          if (chosen[item] >= 0) {
            explained.add(results.of(item, chosen[item], fetched.outputs(), fetched.scores(), maps, method.name() + suffix));
          }
        }
      }
    });
    explained.sort(Comparator.comparingInt(TargetExplanation::item));
    String engines = String.join(",", ran);
    return new Explanation(description.signature(), layer.name(), method() + suffix, engines, batch, explained,
        provenance.withEngine(engines), outputs);
  }

  /**
   * Explains many inputs lazily: items are gathered into batches, explained, and returned in input
   * order as the stream is consumed. Each element of {@code inputs} may hold one item or several.
   * Stop consuming, or set the options' cancel flag, to stop. Items with NaN or infinite values end
   * the run with an exception naming the item, or are reported as failed with
   * {@link BatchOptions.Builder#optSkipBadItems}.
   */
  public Stream<ItemExplanation> explainAll(Iterable<InputBatch> inputs, BatchOptions options) {
    Batcher.Settings settings = new Batcher.Settings(options.batchSize(), options.skipBadItems(), options.progress(), options.cancel());
    return Batcher.stream(inputs.iterator(), settings, batch -> {
      Explanation e = explain(batch, options.targets());
      return IntStream.range(0, batch.batchSize()).mapToObj(e::single).toList();
    }).map(r -> new ItemExplanation(r.index(), Optional.ofNullable(r.value()), r.failure()));
  }

  /** {@link #explainAll(Iterable, BatchOptions)} over a stream of inputs, consumed lazily. */
  public Stream<ItemExplanation> explainAll(Stream<InputBatch> inputs, BatchOptions options) {
    java.util.Iterator<InputBatch> iterator = inputs.iterator();
    return explainAll(() -> iterator, options).onClose(inputs::close);
  }

  /**
   * The low level under {@link #explain}: outputs, the layer's activations and the gradients of
   * each target's score, with no map computed. Build other gradient-based methods on it.
   */
  public LayerGradients gradients(InputBatch input, Targets targets) {
    if (FixedBatchRuns.needed(fixedBatch, input.batchSize())) {
      throw new InvalidInputException("gradients() makes one run, and the signature fixes the batch at " + fixedBatch
          + " items; got " + input.batchSize() + " (explain() and predict() cut and pad batches for such models)");
    }
    InputChecks.Prepared prepared = InputChecks.prepare(description.inputs(), single(input));
    Map<String, InputBatch> inputs = prepared.inputs();
    int batch = prepared.batch();
    List<LayerGradients> first = new ArrayList<>();
    List<LayerGradients.TargetGradients> ranks = new ArrayList<>();
    session.runRanks(inputs, batch, targets.plan(results.classes(), batch), (rank, fetched, chosen) -> {
      ranks.add(new LayerGradients.TargetGradients(chosen.clone(), FloatReads.copy(fetched.gradients())));
      if (rank == 0) {
        first.add(new LayerGradients(layer, fetched.activations().shape().asArray(), fetched.outputs(), fetched.scores(),
            FloatReads.copy(fetched.activations()), ranks));
      }
    });
    LayerGradients g = first.get(0);
    return new LayerGradients(layer, g.layerShape(), g.outputs(), g.scores(), g.activations(), List.copyOf(ranks));
  }

  private Map<String, InputBatch> single(InputBatch input) {
    return Map.of(session.model().input().key(), input);
  }

  /** Frees the session and graph; waits for explanations in progress. */
  @Override
  public void close() {
    session.close();
  }
}
