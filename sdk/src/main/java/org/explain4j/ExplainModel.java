package org.explain4j;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.explain4j.internal.explain.Batcher;
import org.explain4j.engine.CamEngine;
import org.explain4j.engine.CamTask;
import org.explain4j.engine.Engines;
import org.explain4j.exceptions.ExplainException;
import org.explain4j.exceptions.InvalidInputException;
import org.explain4j.input.InputBatch;
import org.explain4j.internal.explain.Augmentations;
import org.explain4j.internal.explain.FixedBatchRuns;
import org.explain4j.internal.explain.HeatMapSize;
import org.explain4j.internal.explain.LayerPlan;
import org.explain4j.internal.explain.LayerPlans;
import org.explain4j.internal.explain.ModelLoading;
import org.explain4j.internal.explain.SessionForwardRuns;
import org.explain4j.internal.explain.TokenLayout;
import org.explain4j.internal.explain.Versions;
import org.explain4j.internal.graph.ExplainSession;
import org.explain4j.internal.memory.GuardedFloats;
import org.explain4j.internal.graph.ModelGraph;
import org.explain4j.internal.graph.ScoreGraph;
import org.explain4j.internal.tf.FloatReads;
import org.explain4j.internal.tf.InputChecks;
import org.explain4j.internal.tf.LoadedModel;
import org.explain4j.method.AttributionMethod;
import org.explain4j.method.MethodInput;
import org.explain4j.method.MethodMaps;
import org.explain4j.method.Methods;
import org.explain4j.model.Layer;
import org.explain4j.model.LayerKind;
import org.explain4j.model.ModelDescription;
import org.explain4j.model.TokenGrid;
import org.tensorflow.proto.DataType;

/**
 * A model loaded once and explained with any options: the graph, the session, the signature and,
 * built on first use per (layer, score) pair and cached, the gradient subgraphs. Every call takes
 * its own {@link ExplainOptions} (layer, methods, targets, score, ReLU, counterfactual, smoothing,
 * engine...), which cost nothing to make: a new option set never loads the model again, and a new
 * (layer, score) pair adds its gradient nodes once, without stopping calls that use other pairs.
 * As DJL's {@code ZooModel} to its predictors, one instance serves a whole application.
 *
 * <p><b>Owns the model's TensorFlow session and graph: close it to free their native memory.</b>
 * It is thread-safe: many threads may explain at once, each with its own options.
 *
 * <pre>{@code
 * try (ExplainModel model = ExplainModel.load(Explainer.builder().setModel(Path.of("my_saved_model")).config())) {
 *   Explanation e = model.explain(batch, ExplainOptions.builder().optMethods("grad-cam", "layer-cam")
 *       .optTargets(Targets.topK(3)).build());
 * }
 * }</pre>
 */
public final class ExplainModel implements AutoCloseable {
  private static final java.util.concurrent.atomic.AtomicLong LOADS = new java.util.concurrent.atomic.AtomicLong();
  private final ExplainerConfig source;
  private final ExplainSession session;
  private final ModelGraph graph;
  private final ModelDescription description;
  private final int fixedBatch;
  private final LayerPlans plans;
  private final AtomicInteger serial = new AtomicInteger();
  private final ConcurrentMap<String, CamEngine> engines = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, List<AttributionMethod>> methods = new ConcurrentHashMap<>();

  private ExplainModel(ExplainerConfig source, LoadedModel loaded) {
    this.source = source;
    this.graph = ModelLoading.graph(loaded, source.signature(), source.input(), source.output(), source.dataFormat());
    this.plans = new LayerPlans(source.maxSubgraphs());
    this.description = graph.describe(null);
    this.fixedBatch = FixedBatchRuns.of(description.inputs());
    this.session = new ExplainSession(loaded, graph, org.explain4j.internal.graph.ExtraFeeds.of(loaded.graph(), source.feeds()));
  }

  /**
   * <b>Loads the model that {@code config} names (its model, tags, signature, input, output, data
   * format, labels, session settings and subgraph bound); the model returned must be closed.</b>
   * The configuration's explanation options are not used here: pass options to each call, or use
   * {@link Explainer#over(ExplainModel, ExplainOptions)}.
   */
  public static ExplainModel load(ExplainerConfig config) {
    LoadedModel loaded = ModelLoading.load(config.model(), config.tags(), config.input(), config.output(), config.sessionConfig());
    try {
      ExplainModel model = new ExplainModel(config, loaded);
      LOADS.incrementAndGet();
      return model;
    } catch (RuntimeException e) {
      loaded.close();
      throw e;
    }
  }

  /** How many models this JVM has loaded (successful {@link #load} calls): what a service or job watches for reloads. */
  public static long loads() {
    return LOADS.get();
  }

  /** The configuration the model was loaded from. */
  public ExplainerConfig source() {
    return source;
  }

  /** The model's signature and candidate layers, with no layer chosen. */
  public ModelDescription describe() {
    return description;
  }

  /**
   * The model's signature and candidate layers, with the layer {@code options} explain chosen
   * ({@link ModelDescription#chosenLayer()} is null when no layer fits, as for a dense-only model
   * with no layer named). Builds nothing.
   */
  public ModelDescription describe(ExplainOptions options) {
    Layer chosen;
    try {
      chosen = layer(options);
    } catch (ExplainException e) {
      chosen = null;
    }
    return graph.describe(chosen);
  }

  /** The layer {@code options} name (by name or index), or the automatic choice. */
  public Layer layer(ExplainOptions options) {
    return options.layerName() != null ? graph.layerNamed(options.layerName())
        : options.layerIndex() != null ? graph.layerAt(options.layerIndex()) : graph.automaticLayer();
  }

  /**
   * Builds now what {@code options} need (the layer's gradient subgraph, the methods, the engine)
   * and checks them together, throwing the {@link ExplainException} an explanation would: a
   * service calls it to refuse bad options before queueing a request.
   */
  public void prepare(ExplainOptions options) {
    call(options);
  }

  /**
   * How an explanation with {@code options} would be made (layer, methods, score kind, engine...),
   * building what it needs as {@link #prepare} does.
   */
  public Provenance provenance(ExplainOptions options) {
    return call(options).provenance();
  }

  /** The number of classes the score that {@code options} differentiate has (1 for a single-output model). */
  public int classes(ExplainOptions options) {
    return call(options).plan().scores().classes();
  }

  /** How many (layer, score) gradient subgraphs are cached now; at most {@link ExplainerConfig#maxSubgraphs()}. */
  public int cachedSubgraphs() {
    return plans.size();
  }

  /** How many gradient subgraphs have been built since the load (an evicted one built again counts again). */
  public long subgraphBuilds() {
    return plans.builds();
  }

  /** Whether the model takes raw text: a string input that its graph splits or looks up itself (not encoded images). */
  public boolean takesText() {
    return graph.textInput();
  }

  /**
   * The tokens a raw-text model sees in {@code text} (a batch of sentences, {@link InputBatch#ofStrings}):
   * per item, one per padded position, in the model's own vocabulary (its lookup table), "" for
   * padding and {@code [UNK]} for a word it does not know. What its temporal maps lie over.
   */
  public List<List<String>> textTokens(InputBatch text) {
    if (!graph.textInput()) {
      throw new org.explain4j.exceptions.InvalidInputException("The model's input '" + graph.input().key() + "' is "
          + graph.input().dataType() + " " + graph.input().shape() + ", not raw text: it has no tokens of its own");
    }
    return session.textTokens(InputChecks.prepare(description.inputs(), single(text)).inputs(), text.batchSize());
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
   * {@link InvalidInputException} a run would throw; services call it to refuse one bad request
   * before it joins others in a batch.
   */
  public InputBatch conform(InputBatch input) {
    // A signature that fixes the batch takes any: explain() and predict() cut it into runs of that size.
    return InputChecks.prepare(description.inputs(), single(input), FixedBatchRuns.needed(fixedBatch, input.batchSize())).inputs()
        .get(graph.input().key());
  }

  /** Explains a single-input model's batch with {@code options}. */
  public Explanation explain(InputBatch input, ExplainOptions options) {
    return explain(single(input), options);
  }

  /**
   * Explains with {@code options}; {@code given} maps each signature input's key to its batch. With
   * {@link ExplainOptions#augmentSmooth()}, the maps are averaged over six augmented copies of the
   * main input.
   */
  public Explanation explain(Map<String, InputBatch> given, ExplainOptions options) {
    Call call = call(options);
    if (options.augmentSmooth()) {
      return augmented(call, given, options.targets());
    }
    return explainRun(call, given, options.targets());
  }

  /**
   * Explains many inputs lazily with {@code options} (their targets apply unless {@code batching}
   * names others): items are gathered into batches, explained, and returned in input order as the
   * stream is consumed. See {@link Explainer#explainAll(Iterable, BatchOptions)}.
   */
  public Stream<ItemExplanation> explainAll(Iterable<InputBatch> inputs, BatchOptions batching, ExplainOptions options) {
    ExplainOptions used = batching.targets() == null ? options : options.withTargets(batching.targets());
    call(used); // bad options fail here, before any input is read
    Batcher.Settings settings = new Batcher.Settings(batching.batchSize(), batching.skipBadItems(), batching.progress(),
        batching.cancel());
    return Batcher.stream(inputs.iterator(), settings, batch -> {
      Explanation e = explain(batch, used);
      return IntStream.range(0, batch.batchSize()).mapToObj(e::single).toList();
    }).map(r -> new ItemExplanation(r.index(), Optional.ofNullable(r.value()), r.failure()));
  }

  /**
   * The low level under {@link #explain}: outputs, the layer's activations and the gradients of
   * each target's score, with no map computed. Build other gradient-based methods on it.
   */
  public LayerGradients gradients(InputBatch input, ExplainOptions options) {
    if (FixedBatchRuns.needed(fixedBatch, input.batchSize())) {
      throw new InvalidInputException("gradients() makes one run, and the signature fixes the batch at " + fixedBatch
          + " items; got " + input.batchSize() + " (explain() and predict() cut and pad batches for such models)");
    }
    LayerPlan plan = plan(options);
    InputChecks.Prepared prepared = InputChecks.prepare(description.inputs(), single(input));
    int batch = prepared.batch();
    List<LayerGradients> first = new ArrayList<>();
    List<LayerGradients.TargetGradients> ranks = new ArrayList<>();
    session.runRanks(plan.scores(), prepared.inputs(), batch, options.targets().plan(plan.scores().classes(), batch),
        (rank, fetched, chosen) -> {
          ranks.add(new LayerGradients.TargetGradients(chosen.clone(), FloatReads.copy(fetched.gradients())));
          if (rank == 0) {
            first.add(new LayerGradients(plan.layer(), fetched.layerShape(), fetched.outputs(), fetched.scores(),
                FloatReads.copy(fetched.activations()), ranks));
          }
        });
    LayerGradients g = first.get(0);
    return new LayerGradients(plan.layer(), g.layerShape(), g.outputs(), g.scores(), g.activations(), List.copyOf(ranks));
  }

  /** For tests: every target rank runs the whole model, the reference for the shared first run. */
  void rerunWholeModelPerRank() {
    session.rerunWholeModelPerRank();
  }

  /** Frees the session and graph; waits for explanations in progress. */
  @Override
  public void close() {
    session.close();
  }

  /** What one call resolved from its options: the plan, what the methods see, the methods and the engine. */
  private record Call(ExplainOptions options, LayerPlan plan, TokenGrid grid, LayerKind kind, List<AttributionMethod> methods,
      CamEngine engine, TargetResults results, Provenance provenance) {}

  private Call call(ExplainOptions options) {
    LayerPlan plan = plan(options);
    Layer layer = plan.layer();
    TokenGrid grid = TokenLayout.resolve(options.tokenGrid(), layer, graph.input());
    LayerKind kind = grid != null ? LayerKind.SPATIAL : plan.rankKind(); // over a token grid, the methods see the patches
    String names = options.methodNames();
    List<AttributionMethod> chosen = methods.computeIfAbsent((names == null ? "" : names) + "@" + kind,
        k -> Methods.chooseAll(names, kind));
    for (AttributionMethod m : chosen) {
      if (options.counterfactual() && !m.hasCounterfactual()) {
        throw new ExplainException("Method '" + m.name() + "' has no counterfactual form; use a gradient method such as grad-cam");
      }
    }
    CamEngine engine = engines.computeIfAbsent(options.engine(), Engines::select);
    if (!options.engine().equals("auto")) {
      // A named engine must compute every formula it takes from these methods as they do in Java;
      // under auto, a formula that differs just stays in Java (logged). The check is cached per formula.
      for (AttributionMethod m : chosen) {
        String mismatch = m.engineMismatch(engine);
        if (mismatch != null) {
          throw new ExplainException("CAM engine '" + engine.name() + "' failed its self-check of " + mismatch);
        }
      }
    }
    TargetResults results = new TargetResults(source.labels(), plan.scores().classes(), plan.scores().distribution(),
        plan.scores().binary(), layer.name());
    String method = String.join(",", chosen.stream().map(AttributionMethod::name).toList());
    Provenance provenance = new Provenance(source.model().toString(), graph.signature().key(), source.tags(), graph.input().key(),
        graph.output().key(), layer.name(), layer.op(), kind, method, plan.scores().kindUsed(), options.relu(),
        options.counterfactual(), options.interpolation(), options.eigenSmooth(), options.augmentSmooth(),
        options.perturbation().maxChannels(), options.perturbation().inputsPerRun(), engine.name(),
        Versions.library(), Versions.tensorFlow(), graph.inGraphScaling());
    return new Call(options, plan, grid, kind, chosen, engine, results, provenance);
  }

  /** The (layer, score) plan of {@code options}, built on first use. */
  private LayerPlan plan(ExplainOptions options) {
    Layer layer = layer(options);
    return plans.get(new LayerPlans.Key(layer.index(), options.score()), () -> {
      LayerKind rankKind = LayerKind.ofRank(layer.shape().numDimensions());
      if (rankKind == null) {
        throw new ExplainException("Layer '" + layer.name() + "' has output shape " + layer.shape()
            + ": explain4j needs a spatial layer [batch, height, width, channels], a temporal one [batch, time, channels]"
            + " or a [batch, units] one");
      }
      if (graph.op(layer).output(0).dataType() != DataType.DT_FLOAT) {
        throw new ExplainException("Layer '" + layer.name() + "' outputs " + graph.op(layer).output(0).dataType()
            + "; expected DT_FLOAT");
      }
      ScoreGraph scores = new ScoreGraph(graph, layer, options.score(), serial.getAndIncrement());
      return new LayerPlan(layer, rankKind, scores);
    });
  }

  /** One explanation; its session runs are cut to the size the signature fixes, where it fixes one. */
  private Explanation explainRun(Call call, Map<String, InputBatch> given, Targets targets) {
    ExplainOptions options = call.options();
    LayerPlan plan = call.plan();
    boolean chunked = FixedBatchRuns.needed(fixedBatch, FixedBatchRuns.batchOf(given));
    InputChecks.Prepared prepared = InputChecks.prepare(description.inputs(), given, chunked);
    Map<String, InputBatch> inputs = prepared.inputs();
    int batch = prepared.batch();
    InputBatch main = inputs.get(graph.input().key());
    // Raw text has no size of its own: its map lies over the layer's time steps, known only in the run when the graph pads nothing.
    boolean text = main.dataType() == DataType.DT_STRING && graph.textInput();
    int[] out = text ? null : main.dataType() == DataType.DT_STRING ? HeatMapSize.ofEncoded(main)
        : HeatMapSize.of(main, plan.layer(), call.grid() != null);
    List<TargetExplanation> explained = new ArrayList<>();
    Set<String> ran = new LinkedHashSet<>();
    float[][] outputs = new float[batch][];
    int classes = plan.scores().classes();
    SessionForwardRuns forward = new SessionForwardRuns(session, plan.scores(), description.inputs(), inputs, fixedBatch);
    // One session run per target rank, whatever the number of methods: they share its activations and gradients.
    ExplainSession.RankVisitor visitor = (rank, fetched, chosen) -> {
      CamTask.Layout tensorLayout = MethodInput.layout(fetched.layerShape(), plan.layer().dataFormat());
      // Engines read the run's tensors in place only while this rank lasts: the views end with it.
      GuardedFloats.Validity validity = new GuardedFloats.Validity();
      CamTask.Buffers tensorBuffers = CamTask.Buffers.of(GuardedFloats.of(fetched.activations(), fetched.activationsAddress(), validity),
          GuardedFloats.of(fetched.gradients(), fetched.gradientsAddress(), validity));
      try {
        TokenLayout.Regridded patches = call.grid() == null ? null : TokenLayout.regrid(tensorLayout, tensorBuffers, call.grid());
        CamTask.Layout layout = patches == null ? tensorLayout : patches.layout();
        CamTask.Buffers buffers = patches == null ? tensorBuffers : patches.buffers();
        int[] size = out != null ? out : new int[] {1, tensorLayout.width()};
        CamTask.Options mapOptions = new CamTask.Options(options.counterfactual() ? -1f : 1f, options.relu(), size[0], size[1],
            options.interpolation());
        if (rank == 0) {
          for (int item = 0; item < batch; item++) {
            int width = fetched.outputs().length / batch; // the output's own width (1 for one sigmoid unit)
            outputs[item] = java.util.Arrays.copyOfRange(fetched.outputs(), item * width, (item + 1) * width);
          }
        }
        for (AttributionMethod method : call.methods()) {
          MethodMaps maps = method.compute(new MethodInput(call.kind(), chosen, layout, buffers, mapOptions, call.engine(), forward,
              options.perturbation(), options.eigenSmooth()));
          ran.add(maps.engine());
          for (int item = 0; item < batch; item++) {
            if (chosen[item] >= 0) {
              explained.add(call.results().of(item, chosen[item], fetched.outputs(), fetched.scores(), maps, method.name()));
            }
          }
        }
      } finally {
        validity.end();
      }
    };
    if (chunked) {
      session.runRanksInChunks(plan.scores(), batch, fixedBatch, (from, to) -> FixedBatchRuns.slice(inputs, from, to, fixedBatch),
          targets.plan(classes, batch), visitor);
    } else {
      session.runRanks(plan.scores(), inputs, batch, targets.plan(classes, batch), visitor);
    }
    explained.sort(Comparator.comparingInt(TargetExplanation::item));
    String engines = String.join(",", ran);
    return new Explanation(description.signature(), plan.layer().name(), call.provenance().method(), engines, batch,
        explained, call.provenance().withEngine(engines), outputs);
  }

  private Map<String, InputBatch> single(InputBatch input) {
    return Map.of(graph.input().key(), input);
  }

  /**
   * Test-time augmentation: the maps of the image, its horizontal mirror and both at 0.9x and 1.1x
   * intensity (six inputs), mirrored back and averaged; targets, scores and probabilities stay
   * those of the image itself.
   */
  private Explanation augmented(Call call, Map<String, InputBatch> given, Targets targets) {
    String mainKey = graph.input().key();
    java.util.function.BiFunction<Map<String, InputBatch>, Targets, Explanation> once = (in, t) -> explainRun(call, in, t);
    InputBatch main = given.get(mainKey);
    if (main == null || main.dataType() == DataType.DT_STRING || main.dataType() == DataType.DT_INT32
        || main.dataType() == DataType.DT_INT64 || main.shape().numDimensions() != 4) {
      throw new InvalidInputException("Augmentation smoothing mirrors and scales images: expected a numeric image batch"
          + " [n, H, W, C] for input '" + mainKey + "', got " + (main == null ? "none" : main.dataType() + " " + main.shape()));
    }
    Explanation base = once.apply(given, targets);
    Targets fixed = Targets.perItem(targetsOf(base));
    List<TargetExplanation> first = base.targets();
    double[][] layerSums = new double[first.size()][];
    double[][] heatSums = new double[first.size()][];
    for (int k = 0; k < first.size(); k++) {
      layerSums[k] = Augmentations.toDouble(first.get(k).layerMap().values());
      heatSums[k] = Augmentations.toDouble(first.get(k).heatMap().values());
    }
    int runs = 1;
    for (boolean mirror : new boolean[] {false, true}) {
      for (float intensity : Augmentations.INTENSITIES) {
        if (!mirror && intensity == 1f) {
          continue; // the image itself: the base explanation
        }
        Map<String, InputBatch> inputs = new LinkedHashMap<>(given);
        inputs.put(mainKey, Augmentations.augment(main, mirror, intensity));
        List<TargetExplanation> other = once.apply(inputs, fixed).targets();
        for (int k = 0; k < first.size(); k++) {
          Augmentations.add(layerSums[k], other.get(k).layerMap().values(), other.get(k).layerMap().width(), mirror);
          Augmentations.add(heatSums[k], other.get(k).heatMap().values(), other.get(k).heatMap().width(), mirror);
        }
        runs++;
      }
    }
    List<TargetExplanation> averaged = new ArrayList<>();
    for (int k = 0; k < first.size(); k++) {
      TargetExplanation t = first.get(k);
      float[] layer = Augmentations.mean(layerSums[k], runs, false);
      float[] heat = Augmentations.mean(heatSums[k], runs, true);
      boolean allZero = true;
      for (float v : heat) {
        allZero &= v == 0f;
      }
      averaged.add(new TargetExplanation(t.item(), t.target(), t.label(), t.score(), t.probability(),
          HeatMap.of(t.layerMap().height(), t.layerMap().width(), layer), HeatMap.of(t.heatMap().height(), t.heatMap().width(), heat),
          t.layer(), t.method(), t.engine(), allZero));
    }
    return new Explanation(base.signature(), base.layer(), base.method(), base.engine(), base.batchSize(), averaged,
        base.provenance(), base.outputs());
  }

  /** Each item's explained classes, in rank order (from its first method's entries). */
  private static List<int[]> targetsOf(Explanation e) {
    List<int[]> out = new ArrayList<>();
    for (int item = 0; item < e.batchSize(); item++) {
      List<TargetExplanation> own = e.forItem(item);
      String method = own.get(0).method();
      out.add(own.stream().filter(t -> t.method().equals(method)).mapToInt(TargetExplanation::target).toArray());
    }
    return out;
  }

  /** Turns a method's maps and a run's scores into {@link TargetExplanation}s: labels, scores, probabilities. */
  private static final class TargetResults {
    private final List<String> labels;
    private final int classes;
    private final boolean distribution;
    private final boolean binary;
    private final String layer;

    TargetResults(List<String> labels, int classes, boolean distribution, boolean binary, String layer) {
      if (labels != null && labels.size() != classes) {
        throw new InvalidInputException("Expected " + classes + " labels (one per output class), got " + labels.size());
      }
      this.labels = labels;
      this.classes = classes;
      this.distribution = distribution;
      this.binary = binary;
      this.layer = layer;
    }

    int classes() {
      return classes;
    }

    TargetExplanation of(int item, int target, float[] outputs, float[] scores, MethodMaps maps, String method) {
      int at = item * classes + target;
      return new TargetExplanation(item, target,
          labels == null ? Optional.empty() : Optional.of(labels.get(target)),
          scores[at],
          !distribution ? OptionalDouble.empty()
              : binary ? OptionalDouble.of(target == 1 ? outputs[item] : 1 - outputs[item]) // one unit: p is class 1's
              : OptionalDouble.of(outputs[at]),
          new HeatMap(maps.mapHeight(), maps.mapWidth(), maps.layerMap(item)),
          new HeatMap(maps.outHeight(), maps.outWidth(), maps.heatMap(item)),
          layer, method, maps.engine(), maps.allZero()[item]);
    }
  }
}
