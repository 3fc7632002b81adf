package org.explain4j.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.explain4j.ExplainModel;
import org.explain4j.ExplainOptions;
import org.explain4j.Explainer;
import org.explain4j.Targets;
import org.explain4j.input.ImagePreprocessor;
import org.explain4j.input.Images;
import org.explain4j.input.InputBatch;
import org.explain4j.testkit.TestData;

/**
 * What explaining the top k classes costs against explaining the predicted class, on the frozen
 * ImageNet MobileNet the repository carries (a real photo and its variations). Target ranks after
 * the first feed the first run's layer values and run only the graph above the layer; the same
 * model with every rank running the whole model (the earlier behaviour) is timed in the same run.
 *
 * <p>Usage: {@code TopKCost [k, 5] [batch, 8] [pairs, 10] [layer]}; interleaved pairs, medians of
 * per-pair ratios with 95% bootstrap intervals. Not a test.
 */
public final class TopKCost {
  private TopKCost() {}

  public static void main(String[] args) throws Exception {
    int k = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int batch = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    int pairs = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    String layer = args.length > 3 ? args[3] : null;
    Path dir = TestData.model("mobilenet-v1-025-128-frozen");
    var config = Explainer.builder().setModel(dir.resolve("frozen_graph.pb")).config();
    try (ExplainModel shared = ExplainModel.load(config); ExplainModel perRank = ExplainModel.load(config)) {
      var rerun = ExplainModel.class.getDeclaredMethod("rerunWholeModelPerRank");
      rerun.setAccessible(true);
      rerun.invoke(perRank);
      InputBatch input = photos(shared, batch);
      ExplainOptions one = ExplainOptions.builder().optLayerNameOrIndex(layer).build();
      ExplainOptions topK = one.withTargets(Targets.topK(k));
      for (ExplainModel m : List.of(shared, perRank)) {
        m.explain(input, one);
        m.explain(input, topK);
      }
      System.out.printf(Locale.ROOT, "MobileNet v1 0.25/128 (frozen), layer %s, batch %d, top %d, %d interleaved pairs;"
          + " median of per-pair ratios [95%% bootstrap interval]%n", shared.layer(one).name(), batch, k, pairs);
      Measure.Paired sharedTimes = Measure.paired(() -> shared.explain(input, one), () -> shared.explain(input, topK), pairs);
      Measure.Paired perRankTimes = Measure.paired(() -> perRank.explain(input, one), () -> perRank.explain(input, topK), pairs);
      System.out.printf(Locale.ROOT, "predicted class: median %.1f ms%n", Measure.median(sharedTimes.first()));
      System.out.printf(Locale.ROOT, "top %d, ranks share the first run: median %.1f ms, top-%d/predicted %s%n", k,
          Measure.median(sharedTimes.second()), k, sharedTimes.ratio());
      System.out.printf(Locale.ROOT, "top %d, every rank runs the whole model: median %.1f ms, top-%d/predicted %s%n", k,
          Measure.median(perRankTimes.second()), k, perRankTimes.ratio());
    }
  }

  /** The photo, mirrored and at other brightness, repeated to {@code batch} items in MobileNet's [-1, 1]. */
  private static InputBatch photos(ExplainModel model, int batch) {
    var photo = Images.read(TestData.image("grace_hopper.jpg"));
    List<java.awt.image.BufferedImage> images = new ArrayList<>();
    for (int i = 0; i < batch; i++) {
      images.add(photo);
    }
    InputBatch base = ImagePreprocessor.forModel(model.describe()).optScale(1 / 127.5f).optMean(1f).build().toBatch(images);
    float[] values = base.toFloats();
    int item = values.length / batch;
    for (int i = 0; i < batch; i++) {
      float gain = 0.8f + 0.05f * i;
      for (int j = i * item; j < (i + 1) * item; j++) {
        values[j] = Math.max(-1f, Math.min(1f, values[j] * gain));
      }
    }
    return InputBatch.ofFloats(values, base.shape().asArray());
  }
}
