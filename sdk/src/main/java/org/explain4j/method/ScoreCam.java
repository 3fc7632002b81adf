package org.explain4j.method;

import java.util.EnumSet;
import java.util.Set;
import org.explain4j.cam.AxisResampling;
import org.explain4j.cam.GradCam;
import org.explain4j.cam.Interpolation;
import org.explain4j.exceptions.ExplainException;
import org.explain4j.input.InputBatch;
import org.explain4j.model.LayerKind;

/**
 * Score-CAM (Wang et al. 2020): each activation channel, upsampled to the input and min-max
 * normalised, masks the input; the target's scores of the masked inputs, softmax-normalised over the
 * channels, weight the channels. No gradient; one forward run per channel, each over the whole batch.
 * Image inputs {@code [batch, height, width, channels]}.
 */
public final class ScoreCam implements AttributionMethod {

  @Override
  public String name() {
    return "score-cam";
  }

  @Override
  public Set<Need> needs() {
    return EnumSet.of(Need.ACTIVATIONS, Need.FORWARD_RUNS);
  }

  @Override
  public boolean supports(LayerKind kind) {
    return kind == LayerKind.SPATIAL;
  }

  @Override
  public boolean hasCounterfactual() {
    return false;
  }

  @Override
  public MethodMaps compute(MethodInput input) {
    LayerValues v = new LayerValues(input, false);
    InputBatch images = input.forward().input();
    long[] dims = images.shape().asArray();
    if (dims.length != 4) {
      throw new ExplainException("Score-CAM masks image inputs [batch, height, width, channels]; the input is " + images.shape());
    }
    int batch = input.layout().batch();
    int height = (int) dims[1];
    int width = (int) dims[2];
    int depth = (int) dims[3];
    int cells = v.cells();
    int channels = v.channels();
    float[] pixels = images.toFloats();
    AxisResampling rows = AxisResampling.of(input.layout().height(), height, Interpolation.BILINEAR);
    AxisResampling cols = AxisResampling.of(input.layout().width(), width, Interpolation.BILINEAR);
    double[][] scores = new double[batch][channels];
    float[] masked = new float[pixels.length];
    float[] map = new float[cells];
    for (int c = 0; c < channels; c++) {
      for (int item = 0; item < batch; item++) {
        for (int cell = 0; cell < cells; cell++) {
          map[cell] = (float) v.a(item, cell, c);
        }
        float[] mask = GradCam.resample(map, rows, cols, -Float.MAX_VALUE, Float.MAX_VALUE);
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (float m : mask) {
          lo = Math.min(lo, m);
          hi = Math.max(hi, m);
        }
        float range = hi - lo;
        int base = item * height * width * depth;
        for (int p = 0; p < height * width; p++) {
          // A channel that is flat everywhere masks the whole input away.
          float m = range > 0 ? (mask[p] - lo) / range : 0f;
          for (int d = 0; d < depth; d++) {
            masked[base + p * depth + d] = pixels[base + p * depth + d] * m;
          }
        }
      }
      if (images.dataType() == org.tensorflow.proto.DataType.DT_UINT8) {
        for (int i = 0; i < masked.length; i++) {
          masked[i] = Math.round(masked[i]); // raw pixels stay whole numbers
        }
      }
      float[] out = input.forward().scores(InputBatch.ofFloats(masked, dims).as(images.dataType()));
      int classes = out.length / batch;
      for (int item = 0; item < batch; item++) {
        scores[item][c] = out[item * classes + Math.max(0, input.targets()[item])];
      }
    }
    float[] raw = new float[batch * cells];
    for (int item = 0; item < batch; item++) {
      double max = Double.NEGATIVE_INFINITY;
      for (double s : scores[item]) {
        max = Math.max(max, s);
      }
      double sum = 0;
      double[] w = new double[channels];
      for (int c = 0; c < channels; c++) {
        w[c] = Math.exp(scores[item][c] - max);
        sum += w[c];
      }
      for (int cell = 0; cell < cells; cell++) {
        double s = 0;
        for (int c = 0; c < channels; c++) {
          s += w[c] / sum * v.a(item, cell, c);
        }
        raw[item * cells + cell] = (float) s;
      }
    }
    return LayerValues.finish(input, raw);
  }
}
