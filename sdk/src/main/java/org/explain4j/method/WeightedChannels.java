package org.explain4j.method;

/**
 * The shape of Grad-CAM's relatives that weight each activation channel by one number per item
 * and sum: subclasses say how the channel weights come from the activations and gradients.
 */
abstract class WeightedChannels extends SummedContributions {

  /** The weight of each channel of {@code item}. */
  abstract double[] weights(LayerValues v, int item);

  @Override
  Contributions contributions(LayerValues v, int item) {
    double[] w = weights(v, item);
    return (cell, c) -> w[c] * v.a(item, cell, c);
  }
}
