package org.explain4j.quality;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.explain4j.ExplainModel;
import org.explain4j.ExplainOptions;
import org.explain4j.Explainer;
import org.explain4j.TargetExplanation;
import org.explain4j.demo.DemoModels;

/**
 * Trains the demo models (or reuses them from a directory) and prints every quality measure:
 * the table of {@code docs/quality.md}. Usage: {@code QualityReport [dir] [n]}.
 */
public final class QualityReport {
  private QualityReport() {}

  /** The measures, as the tests and the published table use them. */
  public record Report(DemoModels.Trained shapes, DemoModels.Trained text, DemoModels.Trained chars,
      QualityMeasures.Share imagePointing, QualityMeasures.Share textPointing, QualityMeasures.Share charPointing,
      QualityMeasures.Deletion deletion, QualityMeasures.Sanity sanity, QualityMeasures.Counterfactual counterfactual, int n,
      java.util.Map<String, QualityMeasures.Share> methodPointing, List<QualityMeasures.CascadeStep> cascade,
      List<QualityMeasures.CascadeStep> textCascade) {}

  /**
   * The shapes model's layers from the top down, each with the standard deviation it is
   * re-initialised from (He's for the convolutions, 1/sqrt(fan-in) for the dense head).
   */
  private static final List<QualityMeasures.CascadeLayer> SHAPES_CASCADE = List.of(
      QualityMeasures.CascadeLayer.kernelAndBias("dense", Math.sqrt(1.0 / 32)),
      QualityMeasures.CascadeLayer.kernelAndBias("conv3", Math.sqrt(2.0 / (9 * 32))),
      QualityMeasures.CascadeLayer.kernelAndBias("conv2", Math.sqrt(2.0 / (9 * 16))),
      QualityMeasures.CascadeLayer.kernelAndBias("conv1", Math.sqrt(2.0 / (9 * 3))));

  /** The sentiment model's: the dense head, the width-3 convolution (the explained layer's weights), the embedding. */
  private static final List<QualityMeasures.CascadeLayer> SENTIMENT_CASCADE = List.of(
      QualityMeasures.CascadeLayer.kernelAndBias("dense", Math.sqrt(1.0 / 32)),
      QualityMeasures.CascadeLayer.kernelAndBias("conv", Math.sqrt(2.0 / (16 * 3))),
      new QualityMeasures.CascadeLayer("embedding", List.of("embedding"), 0.5));

  public static Report measure(Path dir, int n) throws Exception {
    long seed = DemoModels.SEED;
    DemoModels.Trained shapes = DemoModels.trainShapes(dir.resolve("shapes"), seed);
    DemoModels.Trained text = DemoModels.trainSentiment(dir.resolve("sentiment"), seed);
    DemoModels.Trained chars = DemoModels.trainComplaints(dir.resolve("complaints"), seed);
    Path random = QualityMeasures.reinitialise(shapes.dir(), dir.resolve("shapes-randomised"),
        List.of("dense/kernel", "dense/bias"), Math.sqrt(1.0 / 32), seed + 1);
    try (Explainer image = Explainer.builder().setModel(shapes.dir()).build();
        Explainer randomised = Explainer.builder().setModel(random).optLayer(image.layer().name()).build();
        Explainer sentiment = Explainer.builder().setModel(text.dir()).build();
        Explainer counter = Explainer.builder().setModel(text.dir()).optCounterfactual(true).build();
        Explainer complaints = Explainer.builder().setModel(chars.dir()).build()) {
      return new Report(shapes, text, chars, QualityMeasures.pointingGameImages(image, n, seed),
          QualityMeasures.pointingGameText(sentiment, n, seed), QualityMeasures.pointingGameChars(complaints, n / 4, seed),
          QualityMeasures.deletion(image, n, seed),
          QualityMeasures.sanity(image, randomised, n / 2, seed), QualityMeasures.counterfactual(sentiment, counter, n, seed), n,
          methodPointing(shapes.dir(), image.layer().name(), n / 2, seed),
          cascade(shapes.dir(), dir.resolve("cascade"), image.layer().name(), SHAPES_CASCADE,
              QualityMeasures.heldBackImages(n / 8, seed), org.explain4j.model.LayerKind.SPATIAL, seed),
          cascade(text.dir(), dir.resolve("cascade-text"), sentiment.layer().name(), SENTIMENT_CASCADE,
              QualityMeasures.heldBackSentences(n / 8, seed), org.explain4j.model.LayerKind.TEMPORAL, seed));
    }
  }

  /**
   * Cascading randomisation for every installed method that explains a spatial layer: the layers
   * re-initialised one more at a time from the top, each step a copy of the previous one (never the
   * trained files), and at each step every method's rank correlation with its maps on the trained
   * model, over {@code n} held-back images.
   */
  static List<QualityMeasures.CascadeStep> cascade(Path trained, Path dir, String layer, List<QualityMeasures.CascadeLayer> layers,
      List<org.explain4j.input.InputBatch> inputs, org.explain4j.model.LayerKind kind, long seed) throws IOException {
    List<QualityMeasures.CascadeStep> steps = new java.util.ArrayList<>();
    List<String> randomised = new java.util.ArrayList<>();
    java.util.Map<String, ExplainOptions> methods = new java.util.LinkedHashMap<>();
    for (org.explain4j.method.AttributionMethod m : org.explain4j.method.Methods.all()) {
      if (m.supports(kind) && !m.name().startsWith("test-")) {
        methods.put(m.name(), ExplainOptions.builder().optLayer(layer).optMethod(m.name()).build());
      }
    }
    // The trained model's maps, made once: every step compares its copy against them.
    java.util.Map<String, List<TargetExplanation>> trainedMaps = new java.util.HashMap<>();
    try (ExplainModel original = ExplainModel.load(Explainer.builder().setModel(trained).config())) {
      methods.forEach((name, options) -> {
        try (Explainer a = Explainer.over(original, options)) {
          trainedMaps.put(name, QualityMeasures.predicted(a, inputs));
        }
      });
    }
    Path previous = trained;
    for (QualityMeasures.CascadeLayer step : layers) {
      randomised.add(step.name());
      Path copy = QualityMeasures.reinitialise(previous, dir.resolve(String.join("+", randomised)), step.variables(), step.stddev(),
          seed + 10 + randomised.size());
      java.util.Map<String, QualityMeasures.Sanity> verdicts = new java.util.LinkedHashMap<>();
      try (ExplainModel changed = ExplainModel.load(Explainer.builder().setModel(copy).config())) {
        methods.forEach((name, options) -> {
          try (Explainer b = Explainer.over(changed, options)) {
            verdicts.put(name, QualityMeasures.sanity(trainedMaps.get(name), b, inputs));
          }
        });
      }
      steps.add(new QualityMeasures.CascadeStep(List.copyOf(randomised), verdicts));
      previous = copy;
    }
    return steps;
  }

  /** The image pointing game for every installed method that explains a spatial layer. */
  static java.util.Map<String, QualityMeasures.Share> methodPointing(Path model, String layer, int n, long seed) {
    java.util.Map<String, QualityMeasures.Share> shares = new java.util.LinkedHashMap<>();
    for (org.explain4j.method.AttributionMethod m : org.explain4j.method.Methods.all()) {
      if (m.supports(org.explain4j.model.LayerKind.SPATIAL) && !m.name().startsWith("test-")) {
        try (Explainer explainer = Explainer.builder().setModel(model).optLayer(layer).optMethod(m.name()).build()) {
          shares.put(m.name(), QualityMeasures.pointingGameImages(explainer, n, seed));
        }
      }
    }
    return shares;
  }

  private static void printCascade(String model, String items, List<QualityMeasures.CascadeStep> cascade) {
    for (QualityMeasures.CascadeStep step : cascade) {
      step.methods().forEach((method, sanity) -> System.out.printf(Locale.ROOT,
          "sanity, cascading randomisation, %s model, %s re-initialised, %s: mean Spearman %.3f over %d %s (%s)%n", model,
          String.join("+", step.randomised()), method, sanity.meanCorrelation(), sanity.compared(), items,
          sanity.fails() ? "FAILS" : "passes"));
    }
  }

  public static void main(String[] args) throws Exception {
    Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("explain4j-quality");
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 400;
    Report r = measure(dir, n);
    System.out.printf(Locale.ROOT, "shapes CNN: %d steps x %d images, held-back accuracy %.3f (%d images), trained in %.1f s%n",
        r.shapes().steps(), r.shapes().batchSize(), r.shapes().heldOutAccuracy(), r.shapes().heldOut(), r.shapes().millis() / 1000.0);
    System.out.printf(Locale.ROOT, "sentiment CNN: %d steps x %d sentences, held-back accuracy %.3f (%d sentences), trained in %.1f s%n",
        r.text().steps(), r.text().batchSize(), r.text().heldOutAccuracy(), r.text().heldOut(), r.text().millis() / 1000.0);
    System.out.printf(Locale.ROOT, "character CNN (3,000 characters): %d steps x %d texts, held-back accuracy %.3f (%d texts), trained in %.1f s%n",
        r.chars().steps(), r.chars().batchSize(), r.chars().heldOutAccuracy(), r.chars().heldOut(), r.chars().millis() / 1000.0);
    System.out.printf(Locale.ROOT, "pointing game, images: %d / %d = %.3f%n", r.imagePointing().hits(), r.imagePointing().trials(), r.imagePointing().value());
    System.out.printf(Locale.ROOT, "pointing game, text: %d / %d = %.3f%n", r.textPointing().hits(), r.textPointing().trials(), r.textPointing().value());
    System.out.printf(Locale.ROOT, "pointing game, characters (peak within 20 characters of a keyword phrase): %d / %d = %.3f%n",
        r.charPointing().hits(), r.charPointing().trials(), r.charPointing().value());
    System.out.printf(Locale.ROOT, "deletion: top 10%% by heat lowers the target probability by %.3f, a random 10%% by %.3f (%d images)%n",
        r.deletion().topDrop(), r.deletion().randomDrop(), r.deletion().images());
    System.out.printf(Locale.ROOT, "sanity: mean Spearman correlation, trained vs re-initialised dense layer: %.3f (%d images with both maps"
        + " non-zero, %d with a zero map)%n", r.sanity().meanCorrelation(), r.sanity().compared(), r.sanity().allZero());
    printCascade("shapes", "images", r.cascade());
    printCascade("sentiment", "sentences", r.textCascade());
    r.methodPointing().forEach((method, share) -> System.out.printf(Locale.ROOT, "pointing game, images, %s: %d / %d = %.3f%n",
        method, share.hits(), share.trials(), share.value()));
    QualityMeasures.Counterfactual c = r.counterfactual();
    System.out.printf(Locale.ROOT, "counterfactual, two-keyword sentences: normal map on the predicted sentiment's keyword %d / %d = %.3f;"
        + " counterfactual map on the other keyword %d / %d = %.3f; peaks differ %d / %d = %.3f (%d zero counterfactual maps)%n",
        c.normalOnSameKeyword().hits(), c.normalOnSameKeyword().trials(), c.normalOnSameKeyword().value(),
        c.counterfactualOnOppositeKeyword().hits(), c.counterfactualOnOppositeKeyword().trials(), c.counterfactualOnOppositeKeyword().value(),
        c.differentPeaks().hits(), c.differentPeaks().trials(), c.differentPeaks().value(), c.zeroCounterfactual());
  }
}
