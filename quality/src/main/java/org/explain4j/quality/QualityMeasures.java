package org.explain4j.quality;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.explain4j.Explainer;
import org.explain4j.input.InputBatch;
import org.explain4j.TargetExplanation;
import org.explain4j.Targets;
import org.explain4j.demo.SentimentData;
import org.explain4j.demo.ShapesData;
import org.explain4j.testkit.SavedModels;
import org.tensorflow.Graph;
import org.tensorflow.Output;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Measures of whether the maps point at what made the prediction, on held-back generated data
 * (seeds distinct from training): pointing games, a deletion check, a model-randomisation sanity
 * check (Adebayo et al., 2018) and counterfactual maps on inputs with evidence for both classes.
 */
public final class QualityMeasures {
  /** Held-back data is drawn from this seed offset, never seen in training. */
  public static final long HELD_BACK = 7_000_000L;

  private QualityMeasures() {}

  /** A share: hits over trials. */
  public record Share(int hits, int trials) {
    public double value() {
      return trials == 0 ? 0 : (double) hits / trials;
    }
  }

  private static InputBatch image(ShapesData.Sample s) {
    return InputBatch.ofFloats(s.pixels(), 1, ShapesData.SIZE, ShapesData.SIZE, 3);
  }

  /**
   * The pointing game's tolerance in pixels: Zhang et al. (2016) allow 15 pixels on images of about
   * 224; at 64 pixels that is about 4, one cell of the explained 16x16 layer. We allow 3.
   */
  public static final int POINTING_TOLERANCE = 3;

  /** Correctly classified images whose heat-map maximum lies in the object's bounding box (with the tolerance). */
  public static Share pointingGameImages(Explainer explainer, int n, long seed) {
    Random rng = new Random(seed + HELD_BACK);
    int hits = 0;
    int trials = 0;
    for (int i = 0; i < n; i++) {
      ShapesData.Sample s = ShapesData.sample(rng);
      TargetExplanation t = explainer.explain(image(s)).first(0);
      if (t.target() != s.label()) {
        continue;
      }
      trials++;
      int peak = t.heatMap().argMax();
      hits += s.inBox(peak / ShapesData.SIZE, peak % ShapesData.SIZE, POINTING_TOLERANCE) ? 1 : 0;
    }
    return new Share(hits, trials);
  }

  /** Correctly classified sentences whose highest-weighted displayed token (padding removed) is a keyword. */
  public static Share pointingGameText(Explainer explainer, int n, long seed) {
    Random rng = new Random(seed + HELD_BACK);
    int hits = 0;
    int trials = 0;
    for (int i = 0; i < n; i++) {
      SentimentData.Sample s = SentimentData.sample(rng);
      TargetExplanation t = explainer.explain(InputBatch.ofInts(s.ids(), 1, SentimentData.LENGTH)).first(0);
      if (t.target() != s.label()) {
        continue;
      }
      trials++;
      float[] weights = t.heatMap().values();
      int best = -1;
      for (int p = 0; p < weights.length; p++) {
        if (!s.tokens().get(p).equals(SentimentData.PAD) && (best < 0 || weights[p] > weights[best])) {
          best = p;
        }
      }
      hits += s.keyword()[best] ? 1 : 0;
    }
    return new Share(hits, trials);
  }

  /**
   * Long character inputs, coarse maps (ten characters per layer cell): correctly classified texts
   * whose heat-map peak lies within 20 characters of a keyword phrase, about the receptive field of
   * the peak's layer cell (its 10 characters, one cell either side through the width-3 conv, and
   * the width-7 conv below).
   */
  public static Share pointingGameChars(Explainer explainer, int n, long seed) {
    Random rng = new Random(seed + HELD_BACK);
    int hits = 0;
    int trials = 0;
    for (int i = 0; i < n; i++) {
      org.explain4j.demo.ComplaintData.Sample s = org.explain4j.demo.ComplaintData.sample(rng);
      TargetExplanation t = explainer.explain(InputBatch.ofInts(s.ids(), 1, org.explain4j.demo.ComplaintData.LENGTH)).first(0);
      if (t.target() != s.label()) {
        continue;
      }
      trials++;
      int peak = t.heatMap().argMax();
      boolean near = false;
      for (int p = Math.max(0, peak - 20); p <= Math.min(s.keyword().length - 1, peak + 20); p++) {
        near |= s.keyword()[p];
      }
      hits += near ? 1 : 0;
    }
    return new Share(hits, trials);
  }

  /** Mean drop of the target's probability when the top 10% of pixels by heat, or a random 10%, are blanked. */
  public record Deletion(double topDrop, double randomDrop, int images) {}

  public static Deletion deletion(Explainer explainer, int n, long seed) {
    Random rng = new Random(seed + HELD_BACK);
    Random pick = new Random(seed);
    int pixels = ShapesData.SIZE * ShapesData.SIZE;
    int blank = pixels / 10;
    double top = 0;
    double random = 0;
    int images = 0;
    for (int i = 0; i < n; i++) {
      ShapesData.Sample s = ShapesData.sample(rng);
      TargetExplanation t = explainer.explain(image(s)).first(0);
      if (t.target() != s.label()) {
        continue;
      }
      images++;
      float[] heat = t.heatMap().values();
      Integer[] order = new Integer[pixels];
      for (int p = 0; p < pixels; p++) {
        order[p] = p;
      }
      java.util.Arrays.sort(order, (a, b) -> Float.compare(heat[b], heat[a]));
      List<Integer> shuffled = new ArrayList<>(List.of(order));
      java.util.Collections.shuffle(shuffled, pick);
      double before = t.probability().getAsDouble();
      top += before - probabilityWithout(explainer, s, List.of(order).subList(0, blank), t.target());
      random += before - probabilityWithout(explainer, s, shuffled.subList(0, blank), t.target());
    }
    return new Deletion(top / images, random / images, images);
  }

  /** The target's probability with the given pixels set to mid-grey. */
  private static double probabilityWithout(Explainer explainer, ShapesData.Sample s, List<Integer> pixels, int target) {
    float[] blanked = s.pixels().clone();
    for (int p : pixels) {
      for (int c = 0; c < 3; c++) {
        blanked[p * 3 + c] = 0.5f;
      }
    }
    return explainer.predict(InputBatch.ofFloats(blanked, 1, ShapesData.SIZE, ShapesData.SIZE, 3))[target];
  }

  /**
   * The sanity check's result: the mean Spearman rank correlation over the images where both maps
   * are non-zero (a rank correlation of an all-zero map says nothing; counting it as 0 would pull
   * the mean down for the wrong reason), how many images that was, and how many had a zero map.
   */
  public record Sanity(double meanCorrelation, int compared, int allZero) {
    /** Adebayo et al.'s verdict: a method whose maps stay this similar to the trained model's ignores what was randomised. */
    public boolean fails() {
      return !(meanCorrelation < FAILING_CORRELATION);
    }
  }

  /** Mean rank correlation at or above which a method fails the sanity check. */
  public static final double FAILING_CORRELATION = 0.5;

  /**
   * One step of cascading randomisation (Adebayo et al. 2018, section 3): the layers re-initialised
   * so far, from the top down, and each method's rank correlation between its maps on the trained
   * model and on that copy.
   */
  public record CascadeStep(List<String> randomised, java.util.Map<String, Sanity> methods) {}

  /** A layer to re-initialise in a cascade: its variables and the standard deviation they are drawn from. */
  public record CascadeLayer(String name, List<String> variables, double stddev) {
    /** A layer whose variables are {@code name/kernel} and {@code name/bias}. */
    public static CascadeLayer kernelAndBias(String name, double stddev) {
      return new CascadeLayer(name, List.of(name + "/kernel", name + "/bias"), stddev);
    }
  }

  /**
   * Rank correlation between the maps (at the layer's resolution) of the trained model and of the
   * same model whose layers above the explained one are re-initialised.
   */
  public static Sanity sanity(Explainer trained, Explainer randomised, int n, long seed) {
    List<InputBatch> inputs = heldBackImages(n, seed);
    return sanity(predicted(trained, inputs), randomised, inputs);
  }

  /** Each input's (one item each) explanation by {@code explainer} for its predicted class. */
  public static List<TargetExplanation> predicted(Explainer explainer, List<InputBatch> inputs) {
    return inputs.stream().map(input -> explainer.explain(input).first(0)).toList();
  }

  /**
   * The same over any inputs: {@code trained} holds the trained model's explanation of each input
   * ({@link #predicted}), compared with the randomised model's for the same class.
   */
  public static Sanity sanity(List<TargetExplanation> trained, Explainer randomised, List<InputBatch> inputs) {
    double sum = 0;
    int compared = 0;
    int zero = 0;
    for (int i = 0; i < inputs.size(); i++) {
      TargetExplanation a = trained.get(i);
      TargetExplanation b = randomised.explain(inputs.get(i), Targets.of(a.target())).first(0);
      if (a.allZero() || b.allZero()) {
        zero++;
        continue;
      }
      sum += Spearman.correlation(a.layerMap().values(), b.layerMap().values());
      compared++;
    }
    return new Sanity(compared == 0 ? Double.NaN : sum / compared, compared, zero);
  }

  /** {@code n} held-back shapes images, one per batch. */
  public static List<InputBatch> heldBackImages(int n, long seed) {
    Random rng = new Random(seed + HELD_BACK);
    List<InputBatch> out = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(image(ShapesData.sample(rng)));
    }
    return out;
  }

  /** {@code n} held-back sentences, one per batch. */
  public static List<InputBatch> heldBackSentences(int n, long seed) {
    Random rng = new Random(seed + HELD_BACK);
    List<InputBatch> out = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(InputBatch.ofInts(SentimentData.sample(rng).ids(), 1, SentimentData.LENGTH));
    }
    return out;
  }

  /**
   * Copies a trained SavedModel with the named variables re-initialised from a Gaussian of the
   * given standard deviation (the layers above the explained one, for the sanity check).
   */
  public static Path reinitialise(Path trained, Path out, List<String> variables, double stddev, long seed) throws IOException {
    try (SavedModelBundle bundle = SavedModelBundle.load(trained.toString(), "serve")) {
      Graph g = bundle.graph();
      Ops tf = Ops.create(g).withSubScope("reinitialise");
      Random rng = new Random(seed);
      for (String name : variables) {
        Output<?> variable = g.operationOrThrow(name).output(0);
        Shape shape = variable.shape();
        float[] values = new float[(int) shape.size()];
        for (int i = 0; i < values.length; i++) {
          values[i] = (float) (rng.nextGaussian() * stddev);
        }
        @SuppressWarnings("unchecked")
        Output<TFloat32> ref = (Output<TFloat32>) variable;
        var assign = tf.assign(ref, tf.constant(shape, DataBuffers.of(values, true, false)));
        bundle.session().runner().addTarget(assign).run().close();
      }
      SavedModels.export(bundle.session(), out,
          bundle.signatures().stream().filter(s -> s.key().equals("serving_default")).findFirst().orElseThrow());
    }
    return out;
  }

  /**
   * Sentences holding one positive and one negative keyword, explained for the predicted class:
   * among those where both maps are non-zero, the share whose normal map peaks at the keyword of
   * the predicted sentiment and whose counterfactual map (negated gradients) peaks at the keyword
   * of the other sentiment; and how many had a zero counterfactual map.
   */
  public record Counterfactual(Share normalOnSameKeyword, Share counterfactualOnOppositeKeyword, Share differentPeaks,
      int zeroCounterfactual) {}

  public static Counterfactual counterfactual(Explainer normal, Explainer counter, int n, long seed) {
    Random rng = new Random(seed + HELD_BACK + 1);
    int same = 0;
    int opposite = 0;
    int different = 0;
    int trials = 0;
    int zero = 0;
    for (int i = 0; i < n; i++) {
      SentimentData.Sample base = SentimentData.sample(rng);
      int[] ids = base.ids().clone();
      // Put one keyword of each sentiment at two distinct positions of the sentence's words.
      int words = (int) base.tokens().stream().filter(w -> !w.equals(SentimentData.PAD)).count();
      int positive = rng.nextInt(words);
      int negative = (positive + 1 + rng.nextInt(words - 1)) % words;
      ids[positive] = SentimentData.VOCABULARY.indexOf(SentimentData.positiveWord(rng));
      ids[negative] = SentimentData.VOCABULARY.indexOf(SentimentData.negativeWord(rng));
      InputBatch in = InputBatch.ofInts(ids, 1, SentimentData.LENGTH);
      TargetExplanation plain = normal.explain(in).first(0);
      TargetExplanation other = counter.explain(in, Targets.of(plain.target())).first(0);
      if (plain.allZero() || other.allZero()) {
        zero += other.allZero() ? 1 : 0;
        continue;
      }
      trials++;
      // Label 1 is positive: the predicted sentiment's keyword, and the other one.
      int sameAt = plain.target() == 1 ? positive : negative;
      int oppositeAt = plain.target() == 1 ? negative : positive;
      same += plain.heatMap().argMax() == sameAt ? 1 : 0;
      opposite += other.heatMap().argMax() == oppositeAt ? 1 : 0;
      different += plain.heatMap().argMax() != other.heatMap().argMax() ? 1 : 0;
    }
    return new Counterfactual(new Share(same, trials), new Share(opposite, trials), new Share(different, trials), zero);
  }
}
