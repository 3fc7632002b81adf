package org.explain4j.engine;

/**
 * Computes Grad-CAM maps from activations and gradients. Engines are made by their
 * {@link EngineProvider}, found with {@link java.util.ServiceLoader}.
 */
public interface CamEngine extends AutoCloseable {

  /** The short name used to select this engine, such as {@code "java"}. */
  String name();

  /**
   * Pools the gradients per channel, weights and sums the activations, applies the ReLU, and
   * normalises and resamples each item's map.
   *
   * @throws org.explain4j.exceptions.NonFiniteMapException if an activation or gradient of an item
   *     is NaN or infinite
   */
  CamMaps gradCam(CamTask task);

  /** Whether {@link #compute} runs this formula; Grad-CAM only, by default (methods compute the others in Java). */
  default boolean supports(CamFormula formula) {
    return formula == CamFormula.GRAD_CAM;
  }

  /**
   * The maps of one of the formulas this engine {@link #supports}, with the task's sign (applied to
   * the gradients), ReLU, normalisation and resampling, as {@link #gradCam}.
   *
   * @throws UnsupportedOperationException for a formula the engine does not support
   */
  default CamMaps compute(CamTask task, CamFormula formula) {
    if (formula == CamFormula.GRAD_CAM) {
      return gradCam(task);
    }
    throw new UnsupportedOperationException("Engine '" + name() + "' computes Grad-CAM only, not " + formula);
  }

  /**
   * Frees what the engine keeps between calls (device memory, pinned buffers); the engine stays
   * usable. Engines are shared per JVM: their providers close them at exit. Nothing by default.
   */
  @Override
  default void close() {}
}
