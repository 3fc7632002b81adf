package org.explain4j;

import java.util.Iterator;
import java.util.Map;
import java.util.stream.Stream;
import org.explain4j.input.InputBatch;
import org.explain4j.model.Layer;
import org.explain4j.model.ModelDescription;

/**
 * Explains a model's predictions with default options: an {@link ExplainModel} (loaded once) and
 * the {@link ExplainOptions} its calls use unless given others.
 *
 * <p><b>An explainer built from a configuration owns the model's TensorFlow session and graph:
 * close it to free their native memory.</b> One made {@link #over} a shared model does not close
 * that model. It is thread-safe: many threads may call {@link #explain} on one instance.
 *
 * <pre>{@code
 * try (Explainer explainer = Explainer.builder().setModel(Path.of("my_saved_model")).build()) {
 *   Explanation e = explainer.explain(batch, Targets.predicted());
 *   Explanation other = explainer.explain(batch, explainer.options().toBuilder().optMethod("layer-cam").build());
 * }
 * }</pre>
 */
public final class Explainer implements AutoCloseable {
  private final ExplainerConfig config;
  private final ExplainModel model;
  private final ExplainOptions defaults;
  private final boolean ownsModel;
  private final ModelDescription description;
  private final Layer layer;
  private final Provenance provenance;

  private Explainer(ExplainerConfig config, ExplainModel model, ExplainOptions defaults, boolean ownsModel) {
    this.config = config;
    this.model = model;
    this.defaults = defaults;
    this.ownsModel = ownsModel;
    // Built now, so that a bad layer, method or engine fails here rather than at the first call.
    this.provenance = model.provenance(defaults);
    this.layer = model.layer(defaults);
    this.description = model.describe(defaults);
  }

  /** <b>Loads the model: the explainer returned must be closed.</b> */
  public static Explainer of(ExplainerConfig config) {
    ExplainModel model = ExplainModel.load(config);
    try {
      return new Explainer(config, model, config.options(), true);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /**
   * An explainer over a model loaded already, with {@code defaults} for its calls: loads nothing,
   * and closing it leaves the model open (its owner closes it).
   */
  public static Explainer over(ExplainModel model, ExplainOptions defaults) {
    return new Explainer(model.source().toBuilder().optOptions(defaults).config(), model, defaults, false);
  }

  /** A new builder; its {@code build()} loads the model. */
  public static ExplainerConfig.Builder builder() {
    return ExplainerConfig.builder();
  }

  /** The configuration this explainer was built from (for {@link #over}, the model's with these defaults). */
  public ExplainerConfig config() {
    return config;
  }

  /** The loaded model, to explain with other options without loading it again. */
  public ExplainModel loaded() {
    return model;
  }

  /** The options calls use unless given others. */
  public ExplainOptions options() {
    return defaults;
  }

  /** The model's signature and candidate layers, the chosen one included. */
  public ModelDescription model() {
    return description;
  }

  /** The layer this explainer explains by default. */
  public Layer layer() {
    return layer;
  }

  /** The attribution methods' names, comma-separated (one pass computes them all). */
  public String method() {
    return provenance.method();
  }

  /** The CAM engine in use. */
  public String engine() {
    return provenance.engine();
  }

  /** The number of output classes (1 for a single-output model). */
  public int classes() {
    return model.classes(defaults);
  }

  /** See {@link ExplainModel#predict}. */
  /** {@link ExplainModel#textTokens}: a raw-text model's tokens for {@code text}, in its own vocabulary. */
  public java.util.List<java.util.List<String>> textTokens(InputBatch text) {
    return model.textTokens(text);
  }

  public float[] predict(InputBatch input) {
    return model.predict(input);
  }

  /** See {@link ExplainModel#conform}. */
  public InputBatch conform(InputBatch input) {
    return model.conform(input);
  }

  /** Explains the predicted class of each item. */
  public Explanation explain(InputBatch input) {
    return model.explain(input, defaults);
  }

  /** Explains the given targets of each item of a single-input model's batch. */
  public Explanation explain(InputBatch input, Targets targets) {
    return model.explain(input, defaults.withTargets(targets));
  }

  /** Explains a single-input model's batch with other options (layer, methods, targets...). */
  public Explanation explain(InputBatch input, ExplainOptions options) {
    return model.explain(input, options);
  }

  /**
   * Explains the given targets; {@code inputs} maps each signature input's key to its batch. With
   * {@link ExplainerConfig.Builder#optAugmentSmooth}, the maps are averaged over six augmented
   * copies of the main input.
   */
  public Explanation explain(Map<String, InputBatch> given, Targets targets) {
    return model.explain(given, defaults.withTargets(targets));
  }

  /**
   * Explains many inputs lazily: items are gathered into batches, explained, and returned in input
   * order as the stream is consumed. Each element of {@code inputs} may hold one item or several.
   * Stop consuming, or set the options' cancel flag, to stop. Items with NaN or infinite values end
   * the run with an exception naming the item, or are reported as failed with
   * {@link BatchOptions.Builder#optSkipBadItems}.
   */
  public Stream<ItemExplanation> explainAll(Iterable<InputBatch> inputs, BatchOptions options) {
    return model.explainAll(inputs, options, defaults);
  }

  /** {@link #explainAll(Iterable, BatchOptions)} over a stream of inputs, consumed lazily. */
  public Stream<ItemExplanation> explainAll(Stream<InputBatch> inputs, BatchOptions options) {
    Iterator<InputBatch> iterator = inputs.iterator();
    return explainAll(() -> iterator, options).onClose(inputs::close);
  }

  /**
   * The low level under {@link #explain}: outputs, the layer's activations and the gradients of
   * each target's score, with no map computed. Build other gradient-based methods on it.
   */
  public LayerGradients gradients(InputBatch input, Targets targets) {
    return model.gradients(input, defaults.withTargets(targets));
  }

  /** Frees the session and graph, when this explainer loaded them; waits for explanations in progress. */
  @Override
  public void close() {
    if (ownsModel) {
      model.close();
    }
  }
}
