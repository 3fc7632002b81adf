package org.explain4j;

import java.util.List;
import org.explain4j.cam.Interpolation;
import org.explain4j.method.Perturbation;
import org.explain4j.model.LayerKind;
import org.explain4j.model.ScoreKind;

/**
 * How an explanation was made, enough to make it again: the model, signature and tags, the input
 * and output, the layer (the graph op behind it, and what its maps lie over), the method and its options, the score kind
 * actually differentiated, ReLU and the counterfactual as flags of their own (the method is the
 * method's name alone), the smoothing as two flags, the perturbation methods' settings as their
 * numbers, the engine that actually ran, and the library and TensorFlow versions.
 *
 * @param eigenSmooth whether each map is the first principal component of its contributions
 * @param augmentSmooth whether maps were averaged over augmented copies of the input
 * @param maxChannels Score-CAM's and Ablation-CAM's channels per item (0: all), as {@link Perturbation#maxChannels()}
 * @param inputsPerRun their inputs gathered per forward run (0: one channel per run), as {@link Perturbation#inputsPerRun()}
 * @param inGraphScaling the pixel scaling the model does itself right after its input ("Mul by 0.00392157 at
 *     'rescaling/mul'"), for which images are fed raw 0..255 pixels by default; null when it does none
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
    boolean eigenSmooth,
    boolean augmentSmooth,
    int maxChannels,
    int inputsPerRun,
    String engine,
    String libraryVersion,
    String tensorFlowVersion,
    String inGraphScaling) {

  public Provenance {
    tags = List.copyOf(tags);
  }

  /** The smoothing in one word, as logs and captions show it: {@code none}, {@code eigen}, {@code augment} or {@code augment+eigen}. */
  public String smoothing() {
    return augmentSmooth && eigenSmooth ? "augment+eigen" : augmentSmooth ? "augment" : eigenSmooth ? "eigen" : "none";
  }

  /** The same provenance with another name for the model (a service shows its model's name, not its path). */
  public Provenance withModel(String name) {
    return new Provenance(name, signature, tags, input, output, layer, layerOp, layerKind, method, score, relu, counterfactual,
        interpolation, eigenSmooth, augmentSmooth, maxChannels, inputsPerRun, engine, libraryVersion, tensorFlowVersion, inGraphScaling);
  }

  /** The same provenance with the engine that actually ran. */
  Provenance withEngine(String ran) {
    return ran.equals(engine) ? this : new Provenance(model, signature, tags, input, output, layer, layerOp, layerKind, method, score,
        relu, counterfactual, interpolation, eigenSmooth, augmentSmooth, maxChannels, inputsPerRun, ran, libraryVersion, tensorFlowVersion,
        inGraphScaling);
  }
}
