package org.explain4j;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.explain4j.cam.Interpolation;
import org.explain4j.exceptions.ExplainException;
import org.explain4j.method.Perturbation;
import org.explain4j.model.ModelDescription;
import org.explain4j.model.ScoreKind;
import org.explain4j.model.TokenGrid;

/**
 * How one call explains: the layer, the methods, the targets, the score and the map options.
 * Immutable and free to make or change: nothing is loaded or built until an {@link ExplainModel}
 * explains with it, and one loaded model serves any number of option sets. Build with
 * {@link #builder()} (every setting is optional) and change with {@link #toBuilder()}.
 *
 * @param layerName the layer by name, or null
 * @param layerIndex the layer by index into {@link ModelDescription#layers()}, or null; both null
 *     chooses automatically
 * @param methods the attribution methods' names, in order (one pass computes them all); empty for
 *     the default of the layer's kind
 * @param targets which classes each item is explained for
 * @param score the score asked for, or null for the default (the logit where there is one)
 * @param relu whether negative map values are cut to zero
 * @param counterfactual whether the maps explain what lowers the score
 * @param interpolation how maps are resampled to the input's size
 * @param tokenGrid how a token layer over an image lies on it, or null: a square grid is found by itself
 * @param engine the CAM engine's name, or {@code "auto"}
 * @param perturbation how Score-CAM and Ablation-CAM spend their forward runs
 * @param eigenSmooth whether each map is the first principal component of its contributions
 * @param augmentSmooth whether image maps are averaged over six augmented copies of the input
 */
public record ExplainOptions(
    String layerName,
    Integer layerIndex,
    List<String> methods,
    Targets targets,
    ScoreKind score,
    boolean relu,
    boolean counterfactual,
    Interpolation interpolation,
    TokenGrid tokenGrid,
    String engine,
    Perturbation perturbation,
    boolean eigenSmooth,
    boolean augmentSmooth) {

  /** The defaults: automatic layer, the layer kind's default method, the predicted class, ReLU on, bilinear. */
  public static final ExplainOptions DEFAULTS = builder().build();

  public ExplainOptions {
    methods = List.copyOf(methods);
    targets = targets == null ? Targets.predicted() : targets;
    interpolation = interpolation == null ? Interpolation.BILINEAR : interpolation;
    engine = engine == null || engine.isBlank() ? "auto" : engine.trim().toLowerCase(Locale.ROOT);
    perturbation = perturbation == null ? Perturbation.ALL : perturbation;
    if (layerName != null && layerIndex != null) {
      throw new ExplainException("Name the layer or give its index, not both: got '" + layerName + "' and " + layerIndex);
    }
    if (interpolation == Interpolation.LANCZOS) {
      throw new ExplainException("Maps are resampled to the input with nearest, bilinear or bicubic interpolation, not lanczos"
          + " (the native engines do not have it); lanczos is for drawing maps over images (ImageStyle)");
    }
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these options, to change some of them. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.layerName = layerName;
    b.layerIndex = layerIndex;
    b.methods = methods;
    b.targets = targets;
    b.score = score;
    b.relu = relu;
    b.counterfactual = counterfactual;
    b.interpolation = interpolation;
    b.tokenGrid = tokenGrid;
    b.engine = engine;
    b.perturbation = perturbation;
    b.eigenSmooth = eigenSmooth;
    b.augmentSmooth = augmentSmooth;
    return b;
  }

  /** These options with other targets. */
  public ExplainOptions withTargets(Targets targets) {
    return toBuilder().optTargets(targets).build();
  }

  /** The methods as one comma-separated name, or null for the default. */
  String methodNames() {
    return methods.isEmpty() ? null : String.join(",", methods);
  }

  /** Sets {@link ExplainOptions}; every setting is optional. */
  public static final class Builder {
    private String layerName;
    private Integer layerIndex;
    private List<String> methods = List.of();
    private Targets targets = Targets.predicted();
    private ScoreKind score;
    private boolean relu = true;
    private boolean counterfactual;
    private Interpolation interpolation = Interpolation.BILINEAR;
    private TokenGrid tokenGrid;
    private String engine = "auto";
    private Perturbation perturbation = Perturbation.ALL;
    private boolean eigenSmooth;
    private boolean augmentSmooth;

    private Builder() {}

    /** The layer by name (see {@link ExplainModel#describe()}); chosen automatically by default. */
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
     * when all digits, else a name; null keeps the current choice.
     */
    public Builder optLayerNameOrIndex(String layer) {
      if (layer == null) {
        return this;
      }
      return layer.matches("\\d+") ? optLayer(Integer.parseInt(layer)) : optLayer(layer);
    }

    /** Back to the automatic layer. */
    public Builder optAutomaticLayer() {
      this.layerName = null;
      this.layerIndex = null;
      return this;
    }

    /**
     * The attribution methods by name (see {@link org.explain4j.method.Methods#all()}), each a name
     * or a comma-separated list; none for the default: {@code grad-cam}, or
     * {@code gradient-x-activation} for a {@code [batch, units]} layer.
     */
    public Builder optMethods(String... names) {
      this.methods = Arrays.stream(names)
          .flatMap(n -> Arrays.stream(n.split(",")))
          .map(n -> n.trim().toLowerCase(Locale.ROOT))
          .filter(n -> !n.isEmpty())
          .distinct()
          .toList();
      if (names.length > 0 && methods.isEmpty()) {
        throw new ExplainException("No method named in " + Arrays.toString(names) + ": expected one of "
            + org.explain4j.method.Methods.all().stream().map(org.explain4j.method.AttributionMethod::name).toList());
      }
      return this;
    }

    /** {@link #optMethods} of one name or comma-separated list; null for the default. */
    public Builder optMethod(String names) {
      return names == null ? optMethods() : optMethods(names);
    }

    /** Which classes each item is explained for; the predicted class by default. */
    public Builder optTargets(Targets targets) {
      this.targets = targets;
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

    /** {@link #optTokenGrid(int, int, int)} as a value; null finds a square grid. */
    public Builder optTokenGrid(TokenGrid grid) {
      this.tokenGrid = grid;
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

    /** {@link #optPerturbation(int, int)} as a value. */
    public Builder optPerturbation(Perturbation perturbation) {
      this.perturbation = perturbation;
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

    public ExplainOptions build() {
      return new ExplainOptions(layerName, layerIndex, methods, targets, score, relu, counterfactual, interpolation, tokenGrid,
          engine, perturbation, eigenSmooth, augmentSmooth);
    }
  }
}
