package org.explain4j.method;

import org.explain4j.engine.CamEngine;
import org.explain4j.engine.CamTask;
import org.explain4j.model.DataFormat;
import org.explain4j.model.LayerKind;

/**
 * What one explainer pass hands a method for one target rank. The buffers may be views of
 * TensorFlow tensor memory, valid only during {@link AttributionMethod#compute}.
 *
 * @param kind the layer's kind
 * @param targets each item's target class for this rank, or -1 where an item has fewer targets
 * @param layout where the batch's values sit ({@code UNITS} layers: height 1, width = units, 1 channel)
 * @param buffers the activations and the gradients of each item's target score
 * @param options sign (-1 for the counterfactual), ReLU, output size and interpolation
 * @param engine the CAM engine for the per-element work
 * @param forward extra forward runs, for methods that need them
 * @param perturbation how perturbation methods spend those runs
 * @param eigenSmooth project each cell's per-channel contributions on their first principal
 *     component instead of summing them (see {@code EigenSmoothing})
 */
public record MethodInput(
    LayerKind kind, int[] targets, CamTask.Layout layout, CamTask.Buffers buffers, CamTask.Options options, CamEngine engine,
    ForwardRuns forward, Perturbation perturbation, boolean eigenSmooth) {

  /** A copy of the activations, {@code layout.size()} values. */
  public float[] activationValues() {
    float[] values = new float[(int) layout.size()];
    buffers.activations().read(values);
    return values;
  }

  /** A copy of the gradients, {@code layout.size()} values. */
  public float[] gradientValues() {
    float[] values = new float[(int) layout.size()];
    buffers.gradients().read(values);
    return values;
  }

  /** The layout of a layer output of runtime shape {@code shape} (batch first) kept in {@code format}. */
  public static CamTask.Layout layout(long[] shape, DataFormat format) {
    boolean first = format == DataFormat.CHANNELS_FIRST;
    int batch = (int) shape[0];
    LayerKind kind = LayerKind.ofRank(shape.length);
    if (kind == null) {
      throw new IllegalArgumentException("A layer output of rank " + shape.length + " has no map layout");
    }
    return switch (kind) {
      case SPATIAL -> first
          ? new CamTask.Layout(batch, (int) shape[2], (int) shape[3], (int) shape[1], true)
          : new CamTask.Layout(batch, (int) shape[1], (int) shape[2], (int) shape[3], false);
      case TEMPORAL -> first
          ? new CamTask.Layout(batch, 1, (int) shape[2], (int) shape[1], true)
          : new CamTask.Layout(batch, 1, (int) shape[1], (int) shape[2], false);
      case UNITS -> new CamTask.Layout(batch, 1, (int) shape[1], 1, false);
    };
  }
}
