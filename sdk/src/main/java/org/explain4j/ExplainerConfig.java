package org.explain4j;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.explain4j.cam.Interpolation;
import org.explain4j.exceptions.ExplainException;
import org.explain4j.model.DataFormat;
import org.explain4j.model.ModelDescription;
import org.explain4j.model.ScoreKind;
import org.explain4j.model.TokenGrid;
import org.tensorflow.proto.ConfigProto;

/**
 * What an {@link Explainer} explains and how: the model to load (its signature and tags, input and
 * output, labels, session settings, the subgraph bound) and the default {@link ExplainOptions}.
 * Immutable; build with {@link #builder()} ({@code set} for what is required, {@code opt} for the
 * rest) and change with {@link #toBuilder()}. Only the model part is bound to a load: the options
 * can be changed per call.
 *
 * @param model the SavedModel directory, or a frozen GraphDef file
 * @param tags the meta graph's tags
 * @param signature the signature key, or null for the default
 * @param input the signature input's key; for a frozen graph, the input op's name (null: the only one)
 * @param output the signature output's key; for a frozen graph, the output op's name (null: the only one)
 * @param labels class labels, or null
 * @param dataFormat where the layers keep their channels, or null to read it from the graph
 * @param sessionConfig TensorFlow's session settings (thread pools, GPU memory, placement), or null for its defaults
 * @param maxSubgraphs how many (layer, score) gradient subgraphs the loaded model keeps, least recently used dropped first
 * @param options the explanation options an {@link Explainer} built from this configuration uses by default
 * @param feeds values for placeholders besides the input that the graph needs in every run (TF1's
 *     {@code keep_prob} or {@code is_training}), by op name, as text: read as the placeholder's type at load
 */
public record ExplainerConfig(
    Path model,
    List<String> tags,
    String signature,
    String input,
    String output,
    List<String> labels,
    DataFormat dataFormat,
    ConfigProto sessionConfig,
    int maxSubgraphs,
    ExplainOptions options,
    java.util.Map<String, String> feeds) {

  /** The default bound on a loaded model's cached gradient subgraphs. */
  public static final int DEFAULT_MAX_SUBGRAPHS = 16;

  public ExplainerConfig {
    if (model == null) {
      throw new IllegalStateException("setModel(dir) is required");
    }
    tags = List.copyOf(tags);
    labels = labels == null ? null : List.copyOf(labels);
    options = options == null ? ExplainOptions.DEFAULTS : options;
    feeds = feeds == null ? java.util.Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(feeds));
    if (maxSubgraphs < 1) {
      throw new ExplainException("maxSubgraphs must be 1 or more (the gradient subgraphs a loaded model keeps), got " + maxSubgraphs);
    }
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
    b.labels = labels;
    b.dataFormat = dataFormat;
    b.sessionConfig = sessionConfig;
    b.maxSubgraphs = maxSubgraphs;
    b.options = options.toBuilder();
    b.feeds.putAll(feeds);
    return b;
  }

  /**
   * Loads the model only to describe it, then frees it: its signature and candidate layers, and
   * the layer this configuration would explain ({@link ModelDescription#chosenLayer()} is null
   * when no layer fits, as for a dense-only model with no layer named).
   */
  public ModelDescription describe() {
    try (ExplainModel model = ExplainModel.load(this)) {
      return model.describe(options);
    }
  }

  /**
   * Configures an {@link Explainer}: {@code set} for what is required, {@code opt} for the rest.
   * The explanation options ({@code optLayer} to {@code optAugmentSmooth}) set the defaults that
   * {@link ExplainOptions.Builder} documents; {@link #optOptions} sets them all at once.
   */
  public static final class Builder {
    private Path model;
    private List<String> tags = List.of("serve");
    private String signature;
    private String input;
    private String output;
    private List<String> labels;
    private DataFormat dataFormat;
    private ConfigProto sessionConfig;
    private int maxSubgraphs = DEFAULT_MAX_SUBGRAPHS;
    private ExplainOptions.Builder options = ExplainOptions.builder();
    private final java.util.Map<String, String> feeds = new java.util.LinkedHashMap<>();

    private Builder() {}

    /**
     * Feeds {@code value} (a number or a boolean) to the placeholder {@code name} in every run: the
     * extra placeholders TF1 graphs declare, such as {@code keep_prob} (1.0 to explain the trained
     * network) or {@code is_training} (false). The CLI's {@code --feed NAME=VALUE}.
     */
    public Builder optFeed(String name, Object value) {
      if (name == null || name.isBlank() || value == null) {
        throw new ExplainException("optFeed needs a placeholder name and a value, got " + name + "=" + value);
      }
      if (!(value instanceof Number || value instanceof Boolean || value instanceof String)) {
        throw new ExplainException("optFeed(" + name + ") takes a number or a boolean, got " + value.getClass().getSimpleName());
      }
      feeds.put(name, String.valueOf(value));
      return this;
    }

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

    /** Declares where the layers keep their channels, overriding what the graph says. */
    public Builder optDataFormat(DataFormat format) {
      this.dataFormat = format;
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
      if (intraOp == 0 && interOp == 0 && sessionConfig == null) {
        return this; // TensorFlow's choice for both, and no other settings: nothing to set
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

    /** Sets every default explanation option from {@code options}. */
    public Builder optOptions(ExplainOptions options) {
      this.options = options.toBuilder();
      return this;
    }

    /** See {@link ExplainOptions.Builder#optLayer(String)}. */
    public Builder optLayer(String name) {
      options.optLayer(name);
      return this;
    }

    /** See {@link ExplainOptions.Builder#optLayer(int)}. */
    public Builder optLayer(int index) {
      options.optLayer(index);
      return this;
    }

    /** See {@link ExplainOptions.Builder#optLayerNameOrIndex(String)}. */
    public Builder optLayerNameOrIndex(String layer) {
      options.optLayerNameOrIndex(layer);
      return this;
    }

    /** See {@link ExplainOptions.Builder#optMethod(String)}. */
    public Builder optMethod(String names) {
      options.optMethod(names);
      return this;
    }

    /** See {@link ExplainOptions.Builder#optScore(ScoreKind)}. */
    public Builder optScore(ScoreKind kind) {
      options.optScore(kind);
      return this;
    }

    /** See {@link ExplainOptions.Builder#optRelu(boolean)}. */
    public Builder optRelu(boolean relu) {
      options.optRelu(relu);
      return this;
    }

    /** See {@link ExplainOptions.Builder#optCounterfactual(boolean)}. */
    public Builder optCounterfactual(boolean counterfactual) {
      options.optCounterfactual(counterfactual);
      return this;
    }

    /** See {@link ExplainOptions.Builder#optInterpolation(Interpolation)}. */
    public Builder optInterpolation(Interpolation kind) {
      options.optInterpolation(kind);
      return this;
    }

    /** See {@link ExplainOptions.Builder#optTokenGrid(int, int, int)}. */
    public Builder optTokenGrid(int classTokens, int height, int width) {
      options.optTokenGrid(new TokenGrid(classTokens, height, width));
      return this;
    }

    /** See {@link ExplainOptions.Builder#optEngine(String)}. */
    public Builder optEngine(String name) {
      options.optEngine(name);
      return this;
    }

    /** See {@link ExplainOptions.Builder#optPerturbation(int, int)}. */
    public Builder optPerturbation(int maxChannels, int inputsPerRun) {
      options.optPerturbation(maxChannels, inputsPerRun);
      return this;
    }

    /** See {@link ExplainOptions.Builder#optEigenSmooth(boolean)}. */
    public Builder optEigenSmooth(boolean smooth) {
      options.optEigenSmooth(smooth);
      return this;
    }

    /** See {@link ExplainOptions.Builder#optAugmentSmooth(boolean)}. */
    public Builder optAugmentSmooth(boolean smooth) {
      options.optAugmentSmooth(smooth);
      return this;
    }

    /** The configuration, without loading anything. */
    public ExplainerConfig config() {
      return new ExplainerConfig(model, tags, signature, input, output, labels, dataFormat, sessionConfig, maxSubgraphs, options.build(),
          feeds);
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
