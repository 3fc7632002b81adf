package org.explain4j.method;

import java.util.EnumSet;
import java.util.Set;
import org.explain4j.cam.AxisResampling;
import org.explain4j.cam.GradCam;
import org.explain4j.cam.Interpolation;
import org.explain4j.exceptions.ExplainException;
import org.explain4j.input.ImageLayout;
import org.explain4j.input.InputBatch;
import org.explain4j.model.LayerKind;

/**
 * Score-CAM (Wang et al. 2020): each activation channel, upsampled to the input and min-max
 * normalised, masks the input; the target's scores of the masked inputs, softmax-normalised over the
 * channels, weight the channels. No gradient; one forward run per channel, each over the whole batch,
 * or runs of several channels ({@link Perturbation#inputsPerRun()}); with
 * {@link Perturbation#maxChannels()}, only each item's most activated channels (Faster-ScoreCAM).
 * Image inputs, channels last or first ({@link ImageLayout}).
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
    ImageLayout image = ImageLayout.orNull(images);
    if (image == null || image.rank3()) {
      throw new ExplainException("Score-CAM masks image inputs [batch, height, width, channels] or [batch, channels, height, width];"
          + " the input is " + images.shape());
    }
    int batch = input.layout().batch();
    int height = image.height();
    int width = image.width();
    int depth = image.channels();
    int cells = v.cells();
    int channels = v.channels();
    float[] pixels = images.toFloats();
    int itemSize = height * width * depth;
    AxisResampling rows = AxisResampling.of(input.layout().height(), height, Interpolation.BILINEAR);
    AxisResampling cols = AxisResampling.of(input.layout().width(), width, Interpolation.BILINEAR);
    // Each item's channels (its most activated ones with Faster-ScoreCAM's top-k); rank j masks item i with selected[i][j].
    int[][] selected = input.perturbation().channels(v, batch);
    int ranks = selected[0].length;
    int perRun = Math.max(1, input.perturbation().inputsPerRun() / batch);
    double[][] scores = new double[batch][ranks];
    float[] map = new float[cells];
    for (int first = 0; first < ranks; first += perRun) {
      int group = Math.min(perRun, ranks - first);
      float[] masked = new float[group * batch * itemSize];
      for (int g = 0; g < group; g++) {
        for (int item = 0; item < batch; item++) {
          int c = selected[item][first + g];
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
          int from = item * itemSize;
          int to = (g * batch + item) * itemSize;
          for (int p = 0; p < height * width; p++) {
            // A channel that is flat everywhere masks the whole input away.
            float m = range > 0 ? (mask[p] - lo) / range : 0f;
            for (int d = 0; d < depth; d++) {
              masked[to + image.at(p, d)] = pixels[from + image.at(p, d)] * m;
            }
          }
        }
      }
      if (images.dataType() == org.tensorflow.proto.DataType.DT_UINT8) {
        for (int i = 0; i < masked.length; i++) {
          masked[i] = Math.round(masked[i]); // raw pixels stay whole numbers
        }
      }
      long[] runShape = dims.clone();
      runShape[0] = (long) group * batch;
      float[] out = input.forward().scores(InputBatch.ofFloats(masked, runShape).as(images.dataType()));
      int classes = out.length / (group * batch);
      for (int g = 0; g < group; g++) {
        for (int item = 0; item < batch; item++) {
          scores[item][first + g] = out[(g * batch + item) * classes + Math.max(0, input.targets()[item])];
        }
      }
    }
    float[] raw = new float[batch * cells];
    for (int item = 0; item < batch; item++) {
      double max = Double.NEGATIVE_INFINITY;
      for (double s : scores[item]) {
        max = Math.max(max, s);
      }
      double sum = 0;
      double[] w = new double[ranks];
      for (int j = 0; j < ranks; j++) {
        w[j] = Math.exp(scores[item][j] - max);
        sum += w[j];
      }
      double[][] contributions = new double[cells][ranks];
      for (int cell = 0; cell < cells; cell++) {
        for (int j = 0; j < ranks; j++) {
          contributions[cell][j] = w[j] / sum * v.a(item, cell, selected[item][j]);
        }
      }
      EigenSmoothing.fill(raw, item, contributions, input.eigenSmooth());
    }
    return LayerValues.finish(input, raw);
  }
}
