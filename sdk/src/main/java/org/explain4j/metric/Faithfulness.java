package org.explain4j.metric;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.IntConsumer;
import org.explain4j.Explainer;
import org.explain4j.Explanation;
import org.explain4j.HeatMap;
import org.explain4j.TargetExplanation;
import org.explain4j.Targets;
import org.explain4j.exceptions.InvalidInputException;
import org.explain4j.input.ImageLayout;
import org.explain4j.input.InputBatch;
import org.tensorflow.proto.DataType;

/**
 * Faithfulness metrics of an explainer's maps on a batch of images: each map orders the pixels, the
 * input is perturbed in that order, and the model's output for the explained class is read back.
 * All perturbed inputs of one target are predicted in batches; nothing is differentiated.
 *
 * <pre>{@code
 * List<Faithfulness.Score> scores = Faithfulness.evaluate(explainer, images, Targets.predicted(),
 *     Metric.parse("deletion,insertion,road,confidence"), Faithfulness.Options.builder().build());
 * Map<String, Map<String, Double>> table = Faithfulness.means(scores);   // method -> metric -> mean
 * }</pre>
 */
public final class Faithfulness {
  /** The keys of {@link Score#values()}, in table order. */
  public static final List<String> COLUMNS = List.of("deletion", "insertion", "road_morf", "road_lerf", "road", "confidence", "pointing");

  private Faithfulness() {}

  /**
   * One map's scores.
   *
   * @param output the model's output for the target on the unperturbed item
   * @param values metric values by column name ({@link #COLUMNS}); only those asked for, and
   *     {@code pointing} (1 for a hit, 0 for a miss) only for maps whose item and target have regions
   * @param curves the deletion and insertion curves, {@code steps + 1} outputs from 0% to 100% of the pixels
   */
  public record Score(int item, int target, String method, double output, Map<String, Double> values,
      Map<String, double[]> curves) {}

  /**
   * How the metrics perturb.
   *
   * @param steps points of the deletion and insertion curves, beyond the first
   * @param baseline the value deleted pixels take (in the model's input units)
   * @param blurSigma the Gaussian blur, in pixels, of insertion's starting image
   * @param roadFractions the fractions of pixels ROAD removes
   * @param roadNoise the standard deviation of the noise ROAD adds to imputed values
   * @param seed the seed of that noise
   * @param batchSize items explained at once, and perturbed inputs per prediction run
   * @param regions the pointing game's boxes or keyword positions (null when it is not played)
   * @param pointingTolerance how far, in map cells, a peak may lie from a region and still hit; NaN
   *     for {@link Regions#defaultTolerance}
   * @param progress called with the number of maps evaluated so far (may be null)
   */
  public record Options(int steps, float baseline, double blurSigma, double[] roadFractions, double roadNoise, long seed,
      int batchSize, Regions regions, double pointingTolerance, IntConsumer progress) {
    public Options {
      if (steps < 1 || batchSize < 1 || !(blurSigma > 0) || roadNoise < 0 || pointingTolerance < 0) {
        throw new IllegalArgumentException("steps and batchSize must be at least 1, blurSigma above 0, roadNoise and pointingTolerance"
            + " 0 or more");
      }
      for (double f : roadFractions) {
        if (!(f > 0 && f < 1)) {
          throw new IllegalArgumentException("ROAD fractions must lie in (0, 1), got " + f);
        }
      }
      roadFractions = roadFractions.clone();
    }

    public static Builder builder() {
      return new Builder();
    }

    /** Defaults as the papers and pytorch-grad-cam use them: 20 steps, baseline 0, blur 5 px, ROAD 10%..90%, noise 0.01. */
    public static final class Builder {
      private int steps = 20;
      private float baseline = 0f;
      private double blurSigma = 5.0;
      private double[] roadFractions = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9};
      private double roadNoise = 0.01;
      private long seed = 42;
      private int batchSize = 32;
      private Regions regions;
      private double pointingTolerance = Double.NaN;
      private IntConsumer progress;

      public Builder optSteps(int steps) {
        this.steps = steps;
        return this;
      }

      public Builder optBaseline(float baseline) {
        this.baseline = baseline;
        return this;
      }

      public Builder optBlurSigma(double sigma) {
        this.blurSigma = sigma;
        return this;
      }

      public Builder optRoadFractions(double... fractions) {
        this.roadFractions = fractions.clone();
        return this;
      }

      public Builder optRoadNoise(double noise) {
        this.roadNoise = noise;
        return this;
      }

      public Builder optSeed(long seed) {
        this.seed = seed;
        return this;
      }

      public Builder optBatchSize(int batchSize) {
        this.batchSize = batchSize;
        return this;
      }

      /** Where the evidence lies, for {@link Metric#POINTING}. */
      public Builder optRegions(Regions regions) {
        this.regions = regions;
        return this;
      }

      /** The pointing game's tolerance in map cells (default: {@link Regions#defaultTolerance}). */
      public Builder optPointingTolerance(double tolerance) {
        this.pointingTolerance = tolerance;
        return this;
      }

      public Builder optProgress(IntConsumer progress) {
        this.progress = progress;
        return this;
      }

      public Options build() {
        return new Options(steps, baseline, blurSigma, roadFractions, roadNoise, seed, batchSize, regions, pointingTolerance, progress);
      }
    }
  }

  /**
   * Explains {@code images}, {@link Options#batchSize} items at a time, and scores every map (each
   * item, target and method). Items are numbered by their position in {@code images}. The
   * perturbing metrics need float images and maps at the input's size; the pointing game alone
   * takes any input, token ids included.
   */
  public static List<Score> evaluate(Explainer explainer, InputBatch images, Targets targets, Set<Metric> metrics, Options options) {
    boolean pointing = metrics.contains(Metric.POINTING);
    if (pointing && options.regions() == null) {
      throw new InvalidInputException("The pointing game needs regions: image boxes or keyword positions (Options.optRegions)");
    }
    boolean perturbing = metrics.stream().anyMatch(m -> m != Metric.POINTING);
    if (perturbing && (images.dataType() == DataType.DT_STRING || images.dataType() == DataType.DT_INT32
        || images.dataType() == DataType.DT_INT64)) {
      throw new InvalidInputException("Faithfulness metrics perturb pixel values: expected a float image batch, got "
          + images.dataType() + " " + images.shape() + " (only the pointing game takes other inputs)");
    }
    ImageLayout layout = perturbing ? ImageLayout.of(images, "Faithfulness metrics") : null;
    boolean pixels = explainer.model().inputs().get(0).dataType() == DataType.DT_UINT8;
    float[] all = perturbing ? images.toFloats() : null;
    List<Score> scores = new ArrayList<>();
    for (int from = 0; from < images.batchSize(); from += options.batchSize()) {
      Explanation explanation = explainer.explain(images.items(from, Math.min(images.batchSize(), from + options.batchSize())), targets);
      for (TargetExplanation local : explanation.targets()) {
        TargetExplanation t = local.withItem(from + local.item());
        double output = explanation.output(local.item())[t.target()];
        Score s = new Score(t.item(), t.target(), t.method(), output, Map.of(), Map.of());
        if (perturbing) {
          if (t.heatMap().height() != layout.height() || t.heatMap().width() != layout.width()) {
            throw new InvalidInputException("The map is " + t.heatMap().height() + "x" + t.heatMap().width() + " but the image is "
                + layout.height() + "x" + layout.width() + ": the metrics need maps at the input's size");
          }
          float[] item = java.util.Arrays.copyOfRange(all, t.item() * layout.itemSize(), (t.item() + 1) * layout.itemSize());
          s = score(explainer, layout, item, t, output, metrics, options, pixels);
        }
        if (pointing && options.regions().covers(t.item(), t.target())) {
          s = withPointing(s, t, options);
        }
        scores.add(s);
        if (options.progress() != null) {
          options.progress().accept(scores.size());
        }
      }
    }
    if (pointing && scores.stream().noneMatch(s -> s.values().containsKey("pointing"))) {
      throw new InvalidInputException("The pointing game found no region for any explained item and class; regions exist for "
          + options.regions().describe() + ", explained " + describe(scores));
    }
    return scores;
  }

  private static Score withPointing(Score s, TargetExplanation t, Options o) {
    HeatMap map = t.heatMap();
    double tolerance = Double.isNaN(o.pointingTolerance())
        ? o.regions().defaultTolerance(Math.max(map.height(), map.width())) : o.pointingTolerance();
    Map<String, Double> values = new LinkedHashMap<>(s.values());
    values.put("pointing", o.regions().hit(t.item(), t.target(), map, tolerance) ? 1.0 : 0.0);
    return new Score(s.item(), s.target(), s.method(), s.output(), values, s.curves());
  }

  private static String describe(List<Score> scores) {
    List<String> keys = scores.stream().map(s -> s.item() + ":" + s.target()).distinct().toList();
    return keys.size() <= 8 ? String.join(", ", keys) : String.join(", ", keys.subList(0, 8)) + ", ... (" + keys.size() + " in all)";
  }

  private static Score score(Explainer explainer, ImageLayout l, float[] item, TargetExplanation t, double output,
      Set<Metric> metrics, Options o, boolean pixels) {
    float[] heat = t.heatMap().values();
    int[] order = Perturbations.mostRelevantFirst(heat);
    List<float[]> inputs = new ArrayList<>();
    int n = l.pixels();
    if (metrics.contains(Metric.DELETION)) {
      for (int s = 0; s <= o.steps(); s++) {
        inputs.add(Perturbations.delete(item, l, order, (int) Math.round((double) s * n / o.steps()), o.baseline()));
      }
    }
    if (metrics.contains(Metric.INSERTION)) {
      float[] blurred = Perturbations.blur(item, l, o.blurSigma());
      for (int s = 0; s <= o.steps(); s++) {
        inputs.add(Perturbations.insert(item, blurred, l, order, (int) Math.round((double) s * n / o.steps())));
      }
    }
    if (metrics.contains(Metric.ROAD)) {
      Random rng = new Random(o.seed());
      for (boolean morf : new boolean[] {true, false}) {
        for (double f : o.roadFractions()) {
          boolean[] removed = new boolean[n];
          int count = (int) Math.round(f * n);
          for (int i = 0; i < count; i++) {
            removed[morf ? order[i] : order[n - 1 - i]] = true;
          }
          inputs.add(NoisyLinearImputer.impute(item, l, removed, o.roadNoise(), rng));
        }
      }
    }
    if (metrics.contains(Metric.CONFIDENCE)) {
      inputs.add(Perturbations.multiply(item, l, heat));
    }
    double[] out = outputs(explainer, l, inputs, t.target(), o.batchSize(), pixels);
    Map<String, Double> values = new LinkedHashMap<>();
    Map<String, double[]> curves = new LinkedHashMap<>();
    int at = 0;
    if (metrics.contains(Metric.DELETION)) {
      double[] curve = java.util.Arrays.copyOfRange(out, at, at + o.steps() + 1);
      at += o.steps() + 1;
      curves.put("deletion", curve);
      values.put("deletion", area(curve));
    }
    if (metrics.contains(Metric.INSERTION)) {
      double[] curve = java.util.Arrays.copyOfRange(out, at, at + o.steps() + 1);
      at += o.steps() + 1;
      curves.put("insertion", curve);
      values.put("insertion", area(curve));
    }
    if (metrics.contains(Metric.ROAD)) {
      int k = o.roadFractions().length;
      double morf = mean(out, at, k);
      double lerf = mean(out, at + k, k);
      at += 2 * k;
      values.put("road_morf", morf);
      values.put("road_lerf", lerf);
      values.put("road", (lerf - morf) / 2);
    }
    if (metrics.contains(Metric.CONFIDENCE)) {
      values.put("confidence", out[at] - output);
    }
    return new Score(t.item(), t.target(), t.method(), output, values, curves);
  }

  /** The model's output for {@code target} on each input, predicted {@code batchSize} at a time. */
  private static double[] outputs(Explainer explainer, ImageLayout l, List<float[]> inputs, int target, int batchSize, boolean pixels) {
    double[] out = new double[inputs.size()];
    int classes = explainer.classes();
    for (int from = 0; from < inputs.size(); from += batchSize) {
      int to = Math.min(inputs.size(), from + batchSize);
      float[] values = new float[(to - from) * l.itemSize()];
      for (int i = from; i < to; i++) {
        float[] v = pixels ? Perturbations.asPixels(inputs.get(i)) : inputs.get(i);
        System.arraycopy(v, 0, values, (i - from) * l.itemSize(), l.itemSize());
      }
      float[] predicted = explainer.predict(InputBatch.ofFloats(values, l.shape(to - from)));
      // One sigmoid unit is explained as two classes but outputs one probability, class 1's.
      boolean oneUnit = predicted.length == to - from && classes == 2;
      for (int i = from; i < to; i++) {
        out[i] = oneUnit ? (target == 1 ? predicted[i - from] : 1 - predicted[i - from]) : predicted[(i - from) * classes + target];
      }
    }
    return out;
  }

  /** The trapezoid area under a curve sampled at equal steps over [0, 1]. */
  static double area(double[] curve) {
    double sum = 0;
    for (int i = 1; i < curve.length; i++) {
      sum += (curve[i - 1] + curve[i]) / 2;
    }
    return sum / (curve.length - 1);
  }

  private static double mean(double[] v, int from, int count) {
    double sum = 0;
    for (int i = from; i < from + count; i++) {
      sum += v[i];
    }
    return sum / count;
  }

  /** Mean of each metric per method: method -> column -> mean over its maps. */
  public static Map<String, Map<String, Double>> means(List<Score> scores) {
    Map<String, Map<String, double[]>> sums = new LinkedHashMap<>();
    for (Score s : scores) {
      Map<String, double[]> byColumn = sums.computeIfAbsent(s.method(), m -> new LinkedHashMap<>());
      s.values().forEach((k, v) -> {
        double[] acc = byColumn.computeIfAbsent(k, x -> new double[2]);
        acc[0] += v;
        acc[1]++;
      });
    }
    Map<String, Map<String, Double>> out = new LinkedHashMap<>();
    sums.forEach((method, byColumn) -> {
      Map<String, Double> row = new LinkedHashMap<>();
      for (String column : COLUMNS) {
        if (byColumn.containsKey(column)) {
          row.put(column, byColumn.get(column)[0] / byColumn.get(column)[1]);
        }
      }
      out.put(method, row);
    });
    return out;
  }
}
