package org.explain4j;

import java.util.List;
import org.explain4j.model.Layer;

/**
 * The raw material of a gradient-based explanation for one batch, as ELI5's
 * {@code gradcam_backend} returns it: the model's outputs, the layer's activations, and for each
 * target rank the target classes and the gradients of their scores with respect to the layer.
 * Arrays are flat and row-major; they are fresh copies owned by the caller.
 *
 * @param layer the layer differentiated
 * @param layerShape the activations' runtime shape, batch first
 * @param outputs the signature output, {@code [batch, classes]}
 * @param scores the differentiated scores (logits or outputs), {@code [batch, classes]}
 * @param activations the layer's activations, {@code layerShape}
 * @param ranks one entry per target rank
 */
public record LayerGradients(
    Layer layer, long[] layerShape, float[] outputs, float[] scores, float[] activations, List<TargetGradients> ranks) {

  /**
   * The gradients for one target rank.
   *
   * @param targets the class per item, or -1 for items with fewer targets than this rank
   * @param gradients the gradients of each item's target score, {@code layerShape}
   */
  public record TargetGradients(int[] targets, float[] gradients) {}
}
