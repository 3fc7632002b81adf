package org.explain4j.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.explain4j.Explainer;
import org.explain4j.Explanation;
import org.explain4j.TargetExplanation;
import org.explain4j.Targets;
import org.explain4j.TestInputs;
import org.explain4j.exceptions.InvalidInputException;
import org.explain4j.input.ImageLayout;
import org.explain4j.input.InputBatch;
import org.explain4j.testkit.TestModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metrics against straightforward references written here: one image predicted at a time,
 * pixels ordered by a plain sort, curves integrated by hand, ROAD's system solved by Jacobi
 * iteration (the library uses over-relaxation), and the imputer against a closed form.
 */
class FaithfulnessTest {
  static final int H = TestModels.H;
  static final int W = TestModels.W;
  @TempDir
  static Path dir;
  static Explainer explainer;

  @BeforeAll
  static void build() {
    explainer = Explainer.builder().setModel(TestModels.cnn(dir.resolve("cnn"), true)).optMethod("grad-cam,hires-cam").build();
  }

  @AfterAll
  static void close() {
    explainer.close();
  }

  @Test
  void theImputerReproducesALinearRampExactly() {
    // A linear function equals the weighted mean of its eight neighbours (symmetric weights): the system's exact solution.
    ImageLayout l = new ImageLayout(12, 10, 2, false, false);
    float[] ramp = new float[l.itemSize()];
    for (int p = 0; p < l.pixels(); p++) {
      int y = p / 10;
      int x = p % 10;
      ramp[l.at(p, 0)] = 0.5f * x - 0.25f * y + 3;
      ramp[l.at(p, 1)] = -0.1f * x + 0.7f * y;
    }
    boolean[] removed = new boolean[l.pixels()];
    float[] holed = ramp.clone();
    Random rng = new Random(1);
    for (int y = 1; y < 11; y++) {
      for (int x = 1; x < 9; x++) {
        if (rng.nextDouble() < 0.7) {
          removed[y * 10 + x] = true;
          holed[l.at(y * 10 + x, 0)] = 100;
          holed[l.at(y * 10 + x, 1)] = -100;
        }
      }
    }
    float[] filled = NoisyLinearImputer.impute(holed, l, removed, 0, rng);
    for (int i = 0; i < ramp.length; i++) {
      assertEquals(ramp[i], filled[i], 1e-4, "value " + i);
    }
  }

  @Test
  void theAreaIsTheTrapezoidRule() {
    assertEquals(0.5, Faithfulness.area(new double[] {0, 0.25, 0.5, 0.75, 1}), 1e-12);
    assertEquals((0 + 0.25) / 4 + (0.25 + 1) / 4, Faithfulness.area(new double[] {0, 0.25, 1}), 1e-12);
  }

  @Test
  void everyMetricMatchesAStraightforwardReference() {
    InputBatch images = TestInputs.images(3, 31);
    // Two items explained at a time: the third comes in a second chunk and must keep its number.
    Faithfulness.Options options = Faithfulness.Options.builder().optSteps(8).optRoadFractions(0.25, 0.5).optRoadNoise(0)
        .optBlurSigma(1.5).optBatchSize(2).build();
    List<Faithfulness.Score> scores = Faithfulness.evaluate(explainer, images, Targets.topK(2),
        EnumSet.complementOf(EnumSet.of(Metric.POINTING)), options);
    Explanation e = explainer.explain(images, Targets.topK(2));
    assertEquals(e.targets().size(), scores.size());
    assertEquals(12, scores.size(), "3 items x 2 targets x 2 methods");
    float[] all = images.toFloats();
    int size = H * W * 3;
    for (int k = 0; k < scores.size(); k++) {
      Faithfulness.Score s = scores.get(k);
      TargetExplanation t = e.targets().get(k);
      assertEquals(t.item(), s.item());
      assertEquals(t.target(), s.target());
      assertEquals(t.method(), s.method());
      float[] item = Arrays.copyOfRange(all, t.item() * size, (t.item() + 1) * size);
      Integer[] order = new Integer[H * W];
      for (int p = 0; p < order.length; p++) {
        order[p] = p;
      }
      float[] heat = t.heatMap().values();
      Arrays.sort(order, Comparator.comparingDouble((Integer p) -> -heat[p]).thenComparingInt(p -> p));

      double[] deletion = new double[9];
      double[] insertion = new double[9];
      float[] blurred = referenceBlur(item, 1.5);
      for (int step = 0; step <= 8; step++) {
        float[] deleted = item.clone();
        float[] inserted = blurred.clone();
        for (int i = 0; i < Math.round(step * H * W / 8.0); i++) {
          for (int c = 0; c < 3; c++) {
            deleted[order[i] * 3 + c] = 0;
            inserted[order[i] * 3 + c] = item[order[i] * 3 + c];
          }
        }
        deletion[step] = predict(deleted, t.target());
        insertion[step] = predict(inserted, t.target());
      }
      assertEquals(trapezoid(deletion), s.values().get("deletion"), 1e-5);
      assertEquals(trapezoid(insertion), s.values().get("insertion"), 1e-5);
      assertEquals(deletion[0], s.output(), 1e-5, "step 0 deletes nothing");

      double morf = 0;
      double lerf = 0;
      for (double f : new double[] {0.25, 0.5}) {
        int count = (int) Math.round(f * H * W);
        boolean[] most = new boolean[H * W];
        boolean[] least = new boolean[H * W];
        for (int i = 0; i < count; i++) {
          most[order[i]] = true;
          least[order[H * W - 1 - i]] = true;
        }
        morf += predict(jacobiImpute(item, most), t.target()) / 2;
        lerf += predict(jacobiImpute(item, least), t.target()) / 2;
      }
      assertEquals(morf, s.values().get("road_morf"), 1e-4);
      assertEquals(lerf, s.values().get("road_lerf"), 1e-4);
      assertEquals((lerf - morf) / 2, s.values().get("road"), 1e-4);

      float lo = t.heatMap().min();
      float hi = t.heatMap().max();
      float[] multiplied = item.clone();
      for (int p = 0; p < H * W; p++) {
        for (int c = 0; c < 3; c++) {
          multiplied[p * 3 + c] *= hi > lo ? (heat[p] - lo) / (hi - lo) : 1;
        }
      }
      assertEquals(predict(multiplied, t.target()) - s.output(), s.values().get("confidence"), 1e-5);
    }
    Map<String, Map<String, Double>> means = Faithfulness.means(scores);
    assertEquals(List.of("grad-cam", "hires-cam"), List.copyOf(means.keySet()));
    double grad = scores.stream().filter(s -> s.method().equals("grad-cam")).mapToDouble(s -> s.values().get("deletion")).average()
        .orElseThrow();
    assertEquals(grad, means.get("grad-cam").get("deletion"), 1e-12);
  }

  @Test
  void thePointingGameScoresTheMapsWhoseItemAndClassHaveRegions() {
    InputBatch images = TestInputs.images(3, 77);
    Explanation e = explainer.explain(images, Targets.predicted());
    TargetExplanation first = e.targets().stream().filter(t -> t.item() == 0 && t.method().equals("grad-cam")).findFirst().orElseThrow();
    TargetExplanation third = e.targets().stream().filter(t -> t.item() == 2 && t.method().equals("grad-cam")).findFirst().orElseThrow();
    int[] p0 = peak(first);
    int[] p2 = peak(third);
    // Item 0: a one-pixel box on grad-cam's peak. Item 2, any class: a box whose nearest edge lies
    // 3 cells right of grad-cam's peak cell (3.5 from its centre). Item 1: no region.
    Regions regions = Regions.builder().addBox(0, first.target(), p0[0], p0[1], p0[0] + 1, p0[1] + 1)
        .addBox(2, Regions.ANY_CLASS, p2[0] + 4, 0, p2[0] + 5, H).build();
    for (double tolerance : new double[] {3.4, 3.6}) {
      Faithfulness.Options o = Faithfulness.Options.builder().optRegions(regions).optPointingTolerance(tolerance).optBatchSize(2).build();
      List<Faithfulness.Score> scores = Faithfulness.evaluate(explainer, images, Targets.predicted(), EnumSet.of(Metric.POINTING), o);
      assertEquals(6, scores.size(), "3 items x 2 methods");
      for (Faithfulness.Score s : scores) {
        assertEquals(s.item() != 1, s.values().containsKey("pointing"), "item " + s.item());
      }
      Faithfulness.Score s0 = scores.stream().filter(s -> s.item() == 0 && s.method().equals("grad-cam")).findFirst().orElseThrow();
      Faithfulness.Score s2 = scores.stream().filter(s -> s.item() == 2 && s.method().equals("grad-cam")).findFirst().orElseThrow();
      assertEquals(1.0, s0.values().get("pointing"));
      assertEquals(tolerance > 3.5 ? 1.0 : 0.0, s2.values().get("pointing"), "tolerance " + tolerance);
    }
    Regions elsewhere = Regions.builder().addBox(1, (first.target() + 1) % TestModels.CLASSES, 0, 0, 1, 1).build();
    if (e.targets().stream().noneMatch(t -> t.item() == 1 && t.target() == (first.target() + 1) % TestModels.CLASSES)) {
      InvalidInputException none = assertThrows(InvalidInputException.class, () -> Faithfulness.evaluate(explainer, images,
          Targets.predicted(), EnumSet.of(Metric.POINTING), Faithfulness.Options.builder().optRegions(elsewhere).build()));
      assertTrue(none.getMessage().contains("regions exist for 1:"), none.getMessage());
    }
    assertThrows(InvalidInputException.class, () -> Faithfulness.evaluate(explainer, images, Targets.predicted(),
        EnumSet.of(Metric.POINTING), Faithfulness.Options.builder().build()), "no regions");
  }

  @Test
  void thePointingGameTakesTokenIds() {
    try (Explainer text = Explainer.builder().setModel(TestModels.textCnn(dir.resolve("text"))).build()) {
      int[] ids = new int[2 * TestModels.TEXT_LENGTH];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = 1 + (i * 7) % (TestModels.VOCABULARY - 1);
      }
      InputBatch batch = InputBatch.ofInts(ids, 2, TestModels.TEXT_LENGTH);
      TargetExplanation t = text.explain(batch).first(1);
      int top = peak(t)[0];
      Regions regions = Regions.builder().addPosition(1, Regions.ANY_CLASS, top).addPosition(0, Regions.ANY_CLASS, 0).build();
      List<Faithfulness.Score> scores = Faithfulness.evaluate(text, batch, Targets.predicted(), EnumSet.of(Metric.POINTING),
          Faithfulness.Options.builder().optRegions(regions).build());
      assertEquals(1.0, scores.get(1).values().get("pointing"));
      assertEquals(peak(text.explain(batch).first(0))[0] == 0 ? 1.0 : 0.0, scores.get(0).values().get("pointing"));
      assertThrows(InvalidInputException.class, () -> Faithfulness.evaluate(text, batch, Targets.predicted(),
          EnumSet.of(Metric.POINTING, Metric.DELETION), Faithfulness.Options.builder().optRegions(regions).build()));
    }
  }

  /** (x, y) of a map's largest value, by a plain scan (first of ties). */
  private static int[] peak(TargetExplanation t) {
    float[] v = t.heatMap().values();
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return new int[] {best % t.heatMap().width(), best / t.heatMap().width()};
  }

  @Test
  void nonImageInputsAndUnknownMetricsAreRefused() {
    assertThrows(InvalidInputException.class, () -> Metric.parse("deletion,area"));
    assertThrows(InvalidInputException.class, () -> Faithfulness.evaluate(explainer, InputBatch.ofInts(new int[10], 1, 10),
        Targets.predicted(), EnumSet.of(Metric.DELETION), Faithfulness.Options.builder().build()));
  }

  private static double predict(float[] item, int target) {
    return explainer.predict(InputBatch.ofFloats(item, 1, H, W, 3))[target];
  }

  private static double trapezoid(double[] curve) {
    double sum = 0;
    for (int i = 0; i + 1 < curve.length; i++) {
      sum += 0.5 * (curve[i] + curve[i + 1]) / (curve.length - 1);
    }
    return sum;
  }

  /** A direct 2-D Gaussian (not separable), edges clamped. */
  private static float[] referenceBlur(float[] item, double sigma) {
    int r = (int) Math.ceil(3 * sigma);
    float[] out = new float[item.length];
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        for (int c = 0; c < 3; c++) {
          double sum = 0;
          double weights = 0;
          for (int dy = -r; dy <= r; dy++) {
            for (int dx = -r; dx <= r; dx++) {
              double wgt = Math.exp(-(dx * dx + dy * dy) / (2 * sigma * sigma));
              int yy = Math.min(H - 1, Math.max(0, y + dy));
              int xx = Math.min(W - 1, Math.max(0, x + dx));
              sum += wgt * item[(yy * W + xx) * 3 + c];
              weights += wgt;
            }
          }
          out[(y * W + x) * 3 + c] = (float) (sum / weights);
        }
      }
    }
    return out;
  }

  /** ROAD's system by Jacobi iteration from zero, to convergence. */
  private static float[] jacobiImpute(float[] item, boolean[] removed) {
    float[] out = item.clone();
    for (int c = 0; c < 3; c++) {
      double[] v = new double[H * W];
      for (int p = 0; p < H * W; p++) {
        v[p] = removed[p] ? 0 : item[p * 3 + c];
      }
      for (int iter = 0; iter < 20000; iter++) {
        double[] next = v.clone();
        double change = 0;
        for (int p = 0; p < H * W; p++) {
          if (!removed[p]) {
            continue;
          }
          double sum = 0;
          double weights = 0;
          for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
              int y = p / W + dy;
              int x = p % W + dx;
              if ((dy != 0 || dx != 0) && y >= 0 && y < H && x >= 0 && x < W) {
                double wgt = dy == 0 || dx == 0 ? 1.0 / 6 : 1.0 / 12;
                sum += wgt * v[y * W + x];
                weights += wgt;
              }
            }
          }
          next[p] = sum / weights;
          change = Math.max(change, Math.abs(next[p] - v[p]));
        }
        v = next;
        if (change < 1e-9) {
          break;
        }
      }
      for (int p = 0; p < H * W; p++) {
        out[p * 3 + c] = (float) v[p];
      }
    }
    return out;
  }
}
