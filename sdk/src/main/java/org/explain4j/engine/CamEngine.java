package org.explain4j.engine;

/**
 * Computes Grad-CAM maps from activations and gradients; implementations are found with
 * {@link java.util.ServiceLoader}.
 */
public interface CamEngine {

  /** The short name used to select this engine, such as {@code "java"}. */
  String name();

  /** Higher runs first when the engine is picked automatically. */
  int priority();

  /** Whether this engine can run here, and if not, why. Must not throw. */
  Availability availability();

  /**
   * Pools the gradients per channel, weights and sums the activations, applies the ReLU, and
   * normalises and resamples each item's map.
   *
   * @throws NonFiniteMapException if an activation or gradient of an item is NaN or infinite
   */
  CamMaps gradCam(CamTask task);
}
