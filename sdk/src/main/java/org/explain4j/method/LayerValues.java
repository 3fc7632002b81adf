package org.explain4j.method;

import org.explain4j.cam.AxisResampling;
import org.explain4j.cam.GradCam;
import org.explain4j.engine.CamTask;
import org.explain4j.exceptions.NonFiniteMapException;

/**
 * What the Java methods share: the batch's activations and gradients copied once, read by item,
 * cell and channel in either layout, and the common tail that turns raw layer maps into
 * {@link MethodMaps} (finite check, ReLU, normalisation, resampling to the output size).
 */
final class LayerValues {
  final CamTask.Layout layout;
  final float[] activations;
  final float[] gradients;

  LayerValues(MethodInput input, boolean withGradients) {
    this.layout = input.layout();
    this.activations = input.activationValues();
    float[] g = withGradients ? input.gradientValues() : null;
    float sign = input.options().sign();
    if (g != null && sign != 1f) {
      for (int i = 0; i < g.length; i++) {
        g[i] *= sign; // the counterfactual: what lowers the score
      }
    }
    this.gradients = g;
  }

  int cells() {
    return layout.cells();
  }

  int channels() {
    return layout.channels();
  }

  /** The flat index of (item, cell, channel). */
  int at(int item, int cell, int channel) {
    int base = item * layout.itemSize();
    return layout.channelsFirst() ? base + channel * layout.cells() + cell : base + cell * layout.channels() + channel;
  }

  /** The layer output's runtime shape, batch first, in its own layout (what a forward run is fed). */
  long[] runtimeShape(org.explain4j.model.LayerKind kind) {
    long b = layout.batch();
    if (kind == org.explain4j.model.LayerKind.TEMPORAL) {
      return layout.channelsFirst() ? new long[] {b, layout.channels(), layout.width()} : new long[] {b, layout.width(), layout.channels()};
    }
    return layout.channelsFirst() ? new long[] {b, layout.channels(), layout.height(), layout.width()}
        : new long[] {b, layout.height(), layout.width(), layout.channels()};
  }

  double a(int item, int cell, int channel) {
    return activations[at(item, cell, channel)];
  }

  double g(int item, int cell, int channel) {
    return gradients[at(item, cell, channel)];
  }

  /**
   * The maps of every item ({@code batch * cells} raw values, before the ReLU) made into
   * {@link MethodMaps}: NaN or infinity names the item, the ReLU (when on) cuts negatives, and each
   * map is normalised by its largest absolute value and resampled to the output size.
   */
  static MethodMaps finish(MethodInput input, float[] raw) {
    CamTask.Layout layout = input.layout();
    CamTask.Options options = input.options();
    int cells = layout.cells();
    AxisResampling rows = AxisResampling.of(layout.height(), options.outHeight(), options.interpolation());
    AxisResampling cols = AxisResampling.of(layout.width(), options.outWidth(), options.interpolation());
    float lo = options.relu() ? 0f : -1f;
    float[] heat = new float[layout.batch() * options.outSize()];
    boolean[] allZero = new boolean[layout.batch()];
    float[] wide = new float[layout.height() * options.outWidth()];
    for (int item = 0; item < layout.batch(); item++) {
      float[] map = java.util.Arrays.copyOfRange(raw, item * cells, (item + 1) * cells);
      if (!GradCam.allFinite(map)) {
        throw new NonFiniteMapException(item);
      }
      if (options.relu()) {
        GradCam.relu(map);
      }
      System.arraycopy(map, 0, raw, item * cells, cells);
      float max = GradCam.maxAbs(map);
      allZero[item] = !(max > 0);
      if (!allZero[item]) {
        GradCam.resampleInto(map, 0, 1f / max, rows, cols, lo, 1f, heat, item * options.outSize(), wide);
      }
    }
    return new MethodMaps(layout.height(), layout.width(), raw, options.outHeight(), options.outWidth(), heat, allZero, "java");
  }
}
