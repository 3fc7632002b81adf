package org.explain4j;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.explain4j.exceptions.InvalidInputException;
import org.explain4j.input.ImageLayout;
import org.explain4j.input.InputBatch;
import org.tensorflow.proto.DataType;

/**
 * Test-time augmentation (pytorch-grad-cam's {@code aug_smooth}): the image, its horizontal mirror,
 * and both at 0.9x and 1.1x intensity are explained for the same targets; each map is mirrored back
 * where its input was mirrored, and the six are averaged (the heat maps then normalised again).
 */
final class AugmentSmoothing {
  private static final float[] INTENSITIES = {1f, 0.9f, 1.1f};

  private AugmentSmoothing() {}

  static Explanation explain(BiFunction<Map<String, InputBatch>, Targets, Explanation> once, Map<String, InputBatch> given,
      String mainKey, Targets targets) {
    InputBatch main = given.get(mainKey);
    if (main == null || main.dataType() == DataType.DT_STRING || main.dataType() == DataType.DT_INT32
        || main.dataType() == DataType.DT_INT64 || main.shape().numDimensions() != 4) {
      throw new InvalidInputException("Augmentation smoothing mirrors and scales images: expected a numeric image batch"
          + " [n, H, W, C] for input '" + mainKey + "', got " + (main == null ? "none" : main.dataType() + " " + main.shape()));
    }
    Explanation base = once.apply(given, targets);
    Targets fixed = Targets.perItem(targetsOf(base));
    List<TargetExplanation> first = base.targets();
    double[][] layerSums = new double[first.size()][];
    double[][] heatSums = new double[first.size()][];
    for (int k = 0; k < first.size(); k++) {
      layerSums[k] = toDouble(first.get(k).layerMap().values());
      heatSums[k] = toDouble(first.get(k).heatMap().values());
    }
    int runs = 1;
    for (boolean mirror : new boolean[] {false, true}) {
      for (float intensity : INTENSITIES) {
        if (!mirror && intensity == 1f) {
          continue; // the image itself: the base explanation
        }
        Map<String, InputBatch> inputs = new LinkedHashMap<>(given);
        inputs.put(mainKey, augment(main, mirror, intensity));
        List<TargetExplanation> other = once.apply(inputs, fixed).targets();
        for (int k = 0; k < first.size(); k++) {
          add(layerSums[k], other.get(k).layerMap(), mirror);
          add(heatSums[k], other.get(k).heatMap(), mirror);
        }
        runs++;
      }
    }
    List<TargetExplanation> averaged = new ArrayList<>();
    for (int k = 0; k < first.size(); k++) {
      TargetExplanation t = first.get(k);
      float[] layer = mean(layerSums[k], runs, false);
      float[] heat = mean(heatSums[k], runs, true);
      boolean allZero = true;
      for (float v : heat) {
        allZero &= v == 0f;
      }
      averaged.add(new TargetExplanation(t.item(), t.target(), t.label(), t.score(), t.probability(),
          HeatMap.of(t.layerMap().height(), t.layerMap().width(), layer), HeatMap.of(t.heatMap().height(), t.heatMap().width(), heat),
          t.layer(), t.method(), t.engine(), allZero));
    }
    return new Explanation(base.signature(), base.layer(), base.method(), base.engine(), base.batchSize(), averaged,
        base.provenance(), base.outputs());
  }

  /** Each item's explained classes, in rank order (from its first method's entries). */
  private static List<int[]> targetsOf(Explanation e) {
    List<int[]> out = new ArrayList<>();
    for (int item = 0; item < e.batchSize(); item++) {
      List<TargetExplanation> own = e.forItem(item);
      String method = own.get(0).method();
      out.add(own.stream().filter(t -> t.method().equals(method)).mapToInt(TargetExplanation::target).toArray());
    }
    return out;
  }

  /** The batch mirrored left-right (when asked) and multiplied by {@code intensity}. */
  static InputBatch augment(InputBatch batch, boolean mirror, float intensity) {
    long[] d = batch.shape().asArray();
    ImageLayout l = ImageLayout.of(batch, "Augmentation smoothing");
    int n = (int) d[0];
    int h = l.height();
    int w = l.width();
    int c = l.channels();
    int size = l.itemSize();
    float[] in = batch.toFloats();
    float[] out = new float[in.length];
    boolean pixels = batch.dataType() == DataType.DT_UINT8;
    for (int item = 0; item < n; item++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int from = mirror ? w - 1 - x : x;
          for (int ch = 0; ch < c; ch++) {
            int src = item * size + l.at(y * w + from, ch);
            int dst = item * size + l.at(y * w + x, ch);
            float v = in[src] * intensity;
            out[dst] = pixels ? Math.max(0, Math.min(255, Math.round(v))) : v;
          }
        }
      }
    }
    InputBatch floats = InputBatch.ofFloats(out, d);
    return batch.dataType() == DataType.DT_FLOAT ? floats : floats.as(batch.dataType());
  }

  private static void add(double[] sum, HeatMap map, boolean mirror) {
    int w = map.width();
    float[] v = map.values();
    for (int i = 0; i < v.length; i++) {
      int x = i % w;
      sum[mirror ? i - x + (w - 1 - x) : i] += v[i];
    }
  }

  private static double[] toDouble(float[] v) {
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i];
    }
    return out;
  }

  /** The mean; for heat maps, normalised again by the largest magnitude, as every heat map is. */
  private static float[] mean(double[] sum, int runs, boolean normalise) {
    double scale = 1.0 / runs;
    if (normalise) {
      double max = 0;
      for (double v : sum) {
        max = Math.max(max, Math.abs(v));
      }
      scale = max > 0 ? 1.0 / max : 0;
    }
    float[] out = new float[sum.length];
    for (int i = 0; i < sum.length; i++) {
      out[i] = (float) (sum[i] * scale);
    }
    return out;
  }
}
