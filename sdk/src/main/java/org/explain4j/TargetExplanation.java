package org.explain4j;

import java.util.Optional;
import java.util.OptionalDouble;
import org.explain4j.model.ScoreKind;

/**
 * The explanation of one target class for one batch item.
 *
 * @param item the item's index in the batch
 * @param target the explained class index
 * @param label the class's label, when labels were given
 * @param score the differentiated score for the target (the logit, or the output; see {@link ScoreKind})
 * @param probability the output's value for the target when the output is a distribution
 *     (Softmax) or a probability (Sigmoid)
 * @param layerMap the map at the layer's resolution, after the ReLU and before normalisation
 * @param heatMap the normalised map resampled to the input's spatial size (or token count)
 * @param layer the explained layer's name
 * @param method the method, such as {@code "grad-cam"} or {@code "grad-cam counterfactual"}
 * @param engine the CAM engine that computed the maps
 * @param allZero true when the map had nothing to normalise (it is all zeros, never NaN)
 */
public record TargetExplanation(
    int item,
    int target,
    Optional<String> label,
    float score,
    OptionalDouble probability,
    HeatMap layerMap,
    HeatMap heatMap,
    String layer,
    String method,
    String engine,
    boolean allZero) {

  /**
   * Whether the map is nearly flat: not all zeros, but its largest magnitude is under a millionth
   * of the score's (or of 1, for scores near zero), as when a saturated Softmax output passes
   * almost no gradient. Its heat map is still stretched to full colour, which would look like
   * evidence: renderings and the JSON flags say so.
   */
  public boolean nearlyFlat() {
    if (allZero) {
      return false;
    }
    float max = 0;
    for (float v : layerMap.values()) {
      max = Math.max(max, Math.abs(v));
    }
    return max < NEARLY_FLAT * Math.max(1f, Math.abs(score));
  }

  /** {@link #nearlyFlat()}'s bound, relative to the score's magnitude. */
  public static final float NEARLY_FLAT = 1e-6f;

  /** The same explanation for an item at another position. */
  public TargetExplanation withItem(int position) {
    return new TargetExplanation(position, target, label, score, probability, layerMap, heatMap, layer, method, engine, allZero);
  }
}
