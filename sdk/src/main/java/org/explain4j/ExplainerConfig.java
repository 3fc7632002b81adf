package org.explain4j;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.explain4j.cam.Interpolation;
import org.explain4j.exceptions.ExplainException;
import org.explain4j.method.Perturbation;
import org.explain4j.model.DataFormat;
import org.explain4j.model.ModelDescription;
import org.explain4j.model.ScoreKind;
import org.explain4j.model.TokenGrid;
import org.tensorflow.proto.ConfigProto;

/**
 * What an {@link Explainer} explains and how: the model to load (its signature and tags, input and
 * output, labels, session settings) and the default {@link ExplainOptions} (layer, method, score,
 * map options). Immutable; build with {@link #builder()} ({@code set} for what is required,
 * {@code opt} for the rest) and change with {@link #toBuilder()}. Only the model part is bound to
 * a load: {@link #options()} can be changed per call.
 *
 * @param layerName the layer by name, or null
 * @param layerIndex the layer by index into {@link ModelDescription#layers()}, or null; both null
 *     chooses automatically
 * @param method the attribution method's name, or null for the default of the layer's kind
 * @param labels class labels, or null
 * @param dataFormat where the layer keeps its channels, or null to read it from the graph
 * @param tokenGrid how a token layer over an image lies on it, or null: a square grid (after one
 *     class token, if any) is found by itself
 * @param score the score asked for, or null for the default (the logit where there is one)
 * @param input the signature input's key; for a frozen graph, the input op's name (null: the only one)
 * @param output the signature output's key; for a frozen graph, the output op's name (null: the only one)
 * @param sessionConfig TensorFlow's session settings (thread pools, GPU memory, placement), or null for its defaults
 * @param maxSubgraphs how many (layer, score) gradient subgraphs the loaded model keeps, least recently used dropped first
 */
public record ExplainerConfig(
    Path model,
    List<String> tags,
    String signature,
    String input,
    String output,
    String layerName,
    Integer layerIndex,
    String method,
    ScoreKind score,
    boolean relu,
    boolean counterfactual,
    Interpolation interpolation,
    List<String> labels,
    DataFormat dataFormat,
    TokenGrid tokenGrid,
    String engine,
    Perturbation perturbation,
    boolean eigenSmooth,
    boolean augmentSmooth,
    ConfigProto sessionConfig,
    int maxSubgraphs) {

  /** The default bound on a loaded model's cached gradient subgraphs. */
  public static final int DEFAULT_MAX_SUBGRAPHS = 16;

  public ExplainerConfig {
    if (model == null) {
      throw new IllegalStateException("setModel(dir) is required");
    }
    tags = List.copyOf(tags);
    labels = labels == null ? null : List.copyOf(labels);
    perturbation = perturbation == null ? Perturbation.ALL : perturbation;
    if (maxSubgraphs < 1) {
      throw new ExplainException("maxSubgraphs must be 1 or more (the gradient subgraphs a loaded model keeps), got " + maxSubgraphs);
    }
    if (interpolation == Interpolation.LANCZOS) {
      throw new ExplainException("Maps are resampled to the input with nearest, bilinear or bicubic interpolation, not lanczos"
          + " (the native engines do not have it); lanczos is for drawing maps over images (ImageStyle)");
    }
  }

  /** The explanation options this configuration sets: the defaults of an {@link Explainer} built from it. */
  public ExplainOptions options() {
    ExplainOptions.Builder b = ExplainOptions.builder().optMethod(method).optScore(score).optRelu(relu)
        .optCounterfactual(counterfactual).optInterpolation(interpolation).optTokenGrid(tokenGrid).optEngine(engine)
        .optPerturbation(perturbation).optEigenSmooth(eigenSmooth).optAugmentSmooth(augmentSmooth);
    if (layerName != null) {
      b.optLayer(layerName);
    } else if (layerIndex != null) {
      b.optLayer(layerIndex);
    }
    return b.build();
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this configuration, to change some of it. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.model = model;
    b.tags = tags;
    b.signature = signature;
    b.input = input;
    b.output = output;
    b.layerName = layerName;
    b.layerIndex = layerIndex;
    b.method = method;
    b.score = score;
    b.relu = relu;
    b.counterfactual = counterfactual;
    b.interpolation = interpolation;
    b.labels = labels;
    b.dataFormat = dataFormat;
    b.tokenGrid = tokenGrid;
    b.engine = engine;
    b.perturbation = perturbation;
    b.eigenSmooth = eigenSmooth;
    b.augmentSmooth = augmentSmooth;
    b.sessionConfig = sessionConfig;
    b.maxSubgraphs = maxSubgraphs;
    return b;
  }

  /**
   * Loads the model only to describe it, then frees it: its signature and candidate layers, and
   * the layer this configuration would explain ({@link ModelDescription#chosenLayer()} is null
   * when no layer fits, as for a dense-only model with no layer named).
   */
  public ModelDescription describe() {
    try (ExplainModel model = ExplainModel.load(this)) {
      return model.describe(options());
    }
  }

  /** Configures an {@link Explainer}: {@code set} for what is required, {@code opt} for the rest. */
  public static final class Builder {
    private Path model;
    private List<String> tags = List.of("serve");
    private String signature;
    private String input;
    private String output;
    private String layerName;
    private Integer layerIndex;
    private String method;
    private ScoreKind score;
    private boolean relu = true;
    private boolean counterfactual;
    private Interpolation interpolation = Interpolation.BILINEAR;
    private List<String> labels;
    private DataFormat dataFormat;
    private TokenGrid tokenGrid;
    private String engine = "auto";
    private Perturbation perturbation = Perturbation.ALL;
    private boolean eigenSmooth;
    private boolean augmentSmooth;
    private ConfigProto sessionConfig;
    private int maxSubgraphs = DEFAULT_MAX_SUBGRAPHS;

    private Builder() {}

    /** The SavedModel directory, or a frozen GraphDef file ({@code .pb}). Required. */
    public Builder setModel(Path dir) {
      this.model = dir;
      return this;
    }

    /** The meta graph's tags; {@code "serve"} by default. */
    public Builder optTags(String... tags) {
      this.tags = List.of(tags);
      return this;
    }

    /** The signature; {@code serving_default} by default, or the only one the model has. */
    public Builder optSignature(String key) {
      this.signature = key;
      return this;
    }

    /** The signature input to explain, for models with several; for a frozen graph, the input op's name. */
    public Builder optInput(String key) {
      this.input = key;
      return this;
    }

    /** The signature output to explain, for models with several; for a frozen graph, the output op's name. */
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

    /**
     * The layer as users type it (the CLI's {@code --layer}, the service's {@code layer}): an index
     * when all digits, else a name; null keeps the automatic choice.
     */
    public Builder optLayerNameOrIndex(String layer) {
      if (layer == null) {
        return this;
      }
      return layer.matches("\\d+") ? optLayer(Integer.parseInt(layer)) : optLayer(layer);
    }

    /**
     * The attribution method by name (see {@link org.explain4j.method.Methods#all()}); by default
     * {@code grad-cam}, or {@code gradient-x-activation} for a {@code [batch, units]} layer.
     */
    public Builder optMethod(String name) {
      this.method = name;
      return this;
    }

    /**
     * Which score is differentiated. By default the logit where a Softmax or Sigmoid lies behind
     * the output (through reshapes and casts too), else the output itself; asking for
     * {@link ScoreKind#LOGIT} where there is none is an error.
     */
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
        throw new ExplainException("Cannot read labels from " + file + ": " + e.getMessage(), e);
      }
    }

    /** Declares where the layer keeps its channels, overriding what the graph says. */
    public Builder optDataFormat(DataFormat format) {
      this.dataFormat = format;
      return this;
    }

    /**
     * For a transformer's token layer {@code [batch, tokens, channels]} over an image: drop the first
     * {@code classTokens} tokens and read the rest as a {@code height x width} grid of patches, as
     * pytorch-grad-cam's {@code reshape_transform} does. Needed only where the tokens make no square
     * (with or without one class token); a square grid is found by itself.
     */
    public Builder optTokenGrid(int classTokens, int height, int width) {
      this.tokenGrid = new TokenGrid(classTokens, height, width);
      return this;
    }

    /** The CAM engine: {@code "auto"} (default), {@code "java"}, or another installed engine's name. */
    public Builder optEngine(String name) {
      this.engine = name;
      return this;
    }

    /**
     * How Score-CAM and Ablation-CAM spend their forward runs: only each item's {@code maxChannels}
     * most activated channels (0: all; Faster-ScoreCAM's top-k), and Score-CAM's masked inputs
     * gathered into runs of about {@code inputsPerRun} (0: one channel per run). See {@link Perturbation}.
     */
    public Builder optPerturbation(int maxChannels, int inputsPerRun) {
      this.perturbation = new Perturbation(maxChannels, inputsPerRun);
      return this;
    }

    /**
     * Eigen-smoothing: each map is the first principal component of its per-channel contributions
     * (weight x activation, or the element-wise term) instead of their sum, as pytorch-grad-cam's
     * {@code eigen_smooth}. Off by default; Eigen-CAM and Eigen-Grad-CAM are projections already.
     */
    public Builder optEigenSmooth(boolean smooth) {
      this.eigenSmooth = smooth;
      return this;
    }

    /**
     * Test-time augmentation for image inputs: the maps of the image, its horizontal mirror and
     * both at 0.9x and 1.1x intensity (six inputs), mirrored back and averaged, as
     * pytorch-grad-cam's {@code aug_smooth}. Targets, scores and probabilities stay those of the
     * image itself. Six times the cost.
     */
    public Builder optAugmentSmooth(boolean smooth) {
      this.augmentSmooth = smooth;
      return this;
    }

    /**
     * TensorFlow's session settings for the model's session: thread pools
     * ({@code intra_op_parallelism_threads}, {@code inter_op_parallelism_threads}), GPU memory
     * growth, device placement. Null (the default) keeps TensorFlow's.
     */
    public Builder optSessionConfig(ConfigProto config) {
      this.sessionConfig = config;
      return this;
    }

    /**
     * The session's thread pools: {@code intraOp} threads within one op, {@code interOp} ops at
     * once (0: TensorFlow's choice, one per core). Changes only those fields of the session settings.
     */
    public Builder optThreads(int intraOp, int interOp) {
      if (intraOp < 0 || interOp < 0) {
        throw new ExplainException("Thread counts must be 0 (TensorFlow's choice) or more, got intra-op " + intraOp
            + " and inter-op " + interOp);
      }
      ConfigProto.Builder b = sessionConfig == null ? ConfigProto.newBuilder() : sessionConfig.toBuilder();
      this.sessionConfig = b.setIntraOpParallelismThreads(intraOp).setInterOpParallelismThreads(interOp).build();
      return this;
    }

    /**
     * How many (layer, score) gradient subgraphs the loaded model keeps (16 by default); past it the
     * least recently used is dropped and built again when asked for.
     */
    public Builder optMaxSubgraphs(int max) {
      this.maxSubgraphs = max;
      return this;
    }

    /** Sets every explanation option from {@code options} (its targets are per call, not kept). */
    public Builder optOptions(ExplainOptions options) {
      this.layerName = options.layerName();
      this.layerIndex = options.layerIndex();
      this.method = options.methodNames();
      this.score = options.score();
      this.relu = options.relu();
      this.counterfactual = options.counterfactual();
      this.interpolation = options.interpolation();
      this.tokenGrid = options.tokenGrid();
      this.engine = options.engine();
      this.perturbation = options.perturbation();
      this.eigenSmooth = options.eigenSmooth();
      this.augmentSmooth = options.augmentSmooth();
      return this;
    }

    /** The configuration, without loading anything. */
    public ExplainerConfig config() {
      return new ExplainerConfig(model, tags, signature, input, output, layerName, layerIndex, method, score, relu,
          counterfactual, interpolation, labels, dataFormat, tokenGrid, engine, perturbation, eigenSmooth, augmentSmooth,
          sessionConfig, maxSubgraphs);
    }

    /** {@link ExplainerConfig#describe()} of this configuration. */
    public ModelDescription describe() {
      return config().describe();
    }

    /** <b>Loads the model: the explainer returned must be closed.</b> */
    public Explainer build() {
      return Explainer.of(config());
    }
  }
}
