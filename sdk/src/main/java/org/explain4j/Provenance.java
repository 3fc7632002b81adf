package org.explain4j;

import java.util.List;
import org.explain4j.cam.Interpolation;
import org.explain4j.model.LayerKind;
import org.explain4j.model.ScoreKind;

/**
 * How an explanation was made, enough to make it again: the model, signature and tags, the input
 * and output, the layer (the graph op behind it, and what its maps lie over), the method and its options, the score kind
 * actually differentiated, the smoothing ({@code none}, {@code eigen}, {@code augment} or
 * {@code augment+eigen}) and the perturbation methods' channel and run settings, the engine that
 * actually ran, and the library and TensorFlow versions.
 */
public record Provenance(
    String model,
    String signature,
    List<String> tags,
    String input,
    String output,
    String layer,
    String layerOp,
    LayerKind layerKind,
    String method,
    ScoreKind score,
    boolean relu,
    boolean counterfactual,
    Interpolation interpolation,
    String smoothing,
    String perturbation,
    String engine,
    String libraryVersion,
    String tensorFlowVersion) {

  public Provenance {
    tags = List.copyOf(tags);
  }

  /** The same provenance with the engine that actually ran. */
  Provenance withEngine(String ran) {
    return ran.equals(engine) ? this : new Provenance(model, signature, tags, input, output, layer, layerOp, layerKind, method, score,
        relu, counterfactual, interpolation, smoothing, perturbation, ran, libraryVersion, tensorFlowVersion);
  }
}
