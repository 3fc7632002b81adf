package org.explain4j.method;

import java.util.Set;
import org.explain4j.model.LayerKind;

/**
 * An attribution method: turns what one explainer pass yields for a target (the layer's
 * activations, the gradients of the target's score, and forward runs with changed inputs or layer
 * values) into one map per item. Implementations are stateless and found with
 * {@link java.util.ServiceLoader}: adding a method is adding its class and one line in
 * {@code META-INF/services/org.explain4j.method.AttributionMethod}.
 */
public interface AttributionMethod {

  /** What a method may ask of the explainer pass. */
  enum Need {
    /** The layer's activations. */
    ACTIVATIONS,
    /** The gradients of the target's score with respect to the layer. */
    GRADIENTS,
    /** Extra forward runs, through {@link MethodInput#forward()}. */
    FORWARD_RUNS
  }

  /** The name users select the method by, such as {@code "grad-cam"}: lower case, words joined by '-'. */
  String name();

  /** What the method reads from the pass; the explainer computes nothing more. */
  Set<Need> needs();

  /** Whether the method can explain a layer of this kind. */
  boolean supports(LayerKind kind);

  /**
   * Whether the method has a counterfactual form (what lowers the score: the gradients negated). An
   * explainer refuses the counterfactual with a method that has none rather than ignore it.
   */
  default boolean hasCounterfactual() {
    return true;
  }

  /**
   * Null when {@code engine} computes what this method hands it as the method does in Java (checked
   * once per engine on known tasks), else which formula differed and how. An explainer that names
   * its engine refuses to start with one that would compute the method wrongly; under {@code auto}
   * a formula that differs just stays in Java. Methods that hand nothing to engines return null.
   */
  default String engineMismatch(org.explain4j.engine.CamEngine engine) {
    return null;
  }

  /** The maps of every item of the batch for one target rank. */
  MethodMaps compute(MethodInput input);
}
