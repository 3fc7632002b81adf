package org.explain4j.method;

import java.util.EnumSet;
import java.util.Set;
import org.explain4j.input.InputBatch;
import org.explain4j.model.LayerKind;

/**
 * Ablation-CAM (Desai and Ramaswamy 2020): each channel weighted by the relative drop of the
 * target's score when that channel is zeroed at the layer, {@code (S - S_without_c) / S}; then the
 * weighted sum of the activations. One forward run of the layers above per channel, each over the
 * whole batch (the layer's values are fed, so the layers below do not run again); with
 * {@link Perturbation#maxChannels()}, only each item's most activated channels are ablated and the
 * others weigh 0; with {@link Perturbation#inputsPerRun()}, several ablations share one run
 * (the inputs are repeated to match).
 */
public final class AblationCam implements AttributionMethod {

  @Override
  public String name() {
    return "ablation-cam";
  }

  @Override
  public Set<Need> needs() {
    return EnumSet.of(Need.ACTIVATIONS, Need.FORWARD_RUNS);
  }

  @Override
  public boolean supports(LayerKind kind) {
    return kind == LayerKind.SPATIAL || kind == LayerKind.TEMPORAL;
  }

  @Override
  public MethodMaps compute(MethodInput input) {
    LayerValues v = new LayerValues(input, false);
    int batch = input.layout().batch();
    int cells = v.cells();
    int channels = v.channels();
    long[] shape = v.runtimeShape(input.kind());
    float[] original = input.forward().scoresWithLayer(InputBatch.ofFloats(v.activations, shape));
    int classes = original.length / batch;
    double[][] weights = new double[batch][channels];
    // Each item's channels to ablate (its most activated ones with a channel subset); the others weigh 0.
    int[][] selected = input.perturbation().channels(v, batch);
    int ranks = selected[0].length;
    // Several ablations per run when asked: copies of the layer's values, one channel zeroed in each.
    int perRun = Math.max(1, input.perturbation().inputsPerRun() / batch);
    for (int first = 0; first < ranks; first += perRun) {
      int group = Math.min(perRun, ranks - first);
      float[] ablated = new float[group * v.activations.length];
      for (int g = 0; g < group; g++) {
        System.arraycopy(v.activations, 0, ablated, g * v.activations.length, v.activations.length);
        for (int item = 0; item < batch; item++) {
          for (int cell = 0; cell < cells; cell++) {
            ablated[g * v.activations.length + v.at(item, cell, selected[item][first + g])] = 0;
          }
        }
      }
      long[] runShape = shape.clone();
      runShape[0] = (long) group * batch;
      float[] scores = input.forward().scoresWithLayer(InputBatch.ofFloats(ablated, runShape));
      for (int g = 0; g < group; g++) {
        for (int item = 0; item < batch; item++) {
          int c = selected[item][first + g];
          int target = Math.max(0, input.targets()[item]);
          double s = original[item * classes + target];
          double drop = s - scores[(g * batch + item) * classes + target];
          weights[item][c] = input.options().sign() * (s == 0 ? 0 : drop / s);
        }
      }
    }
    float[] raw = new float[batch * cells];
    for (int item = 0; item < batch; item++) {
      double[][] contributions = new double[cells][channels];
      for (int cell = 0; cell < cells; cell++) {
        for (int c = 0; c < channels; c++) {
          contributions[cell][c] = weights[item][c] * v.a(item, cell, c);
        }
      }
      EigenSmoothing.fill(raw, item, contributions, input.eigenSmooth());
    }
    return LayerValues.finish(input, raw);
  }
}
