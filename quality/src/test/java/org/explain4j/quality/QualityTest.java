package org.explain4j.quality;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo models, trained here from fixed seeds, explained on held-back data: the thresholds
 * that make Grad-CAM worth shipping. Figures: docs/quality.md (same code, QualityReport).
 */
class QualityTest {
  @TempDir static Path tmp;
  static QualityReport.Report report;

  @BeforeAll
  static void measure() throws Exception {
    report = QualityReport.measure(tmp, 300);
    System.out.println(report);
  }

  @Test
  void modelsLearnedTheirTasks() {
    assertTrue(report.shapes().heldOutAccuracy() >= 0.85, "shapes accuracy " + report.shapes().heldOutAccuracy());
    assertTrue(report.text().heldOutAccuracy() >= 0.9, "sentiment accuracy " + report.text().heldOutAccuracy());
  }

  @Test
  void imageMapsPointAtTheObject() {
    // Runs have given 0.92-1.00 (docs/quality.md); an object covers about a tenth of the image, so
    // chance is near 0.1: 0.8 keeps a margin under the lowest run and far above chance.
    assertTrue(report.imagePointing().value() >= 0.8, "pointing game, images: " + report.imagePointing());
    assertTrue(report.imagePointing().trials() >= 250, "enough correctly classified images: " + report.imagePointing());
  }

  @Test
  void everyMethodsImageMapsPointAtTheObject() {
    System.out.println("pointing game per method: " + report.methodPointing());
    assertTrue(report.methodPointing().size() >= 10, "every installed image method is measured: " + report.methodPointing().keySet());
    // Runs: 149-150 of 150 for every method (docs/quality.md); chance is about 0.1. One threshold for
    // all, with the same margin as Grad-CAM's own.
    // random-cam is the baseline (random channel weights): measured and printed, not held to the threshold. On this
    // easy task it points at the object too (docs/quality.md), which is what the game's limits look like.
    assertTrue(report.methodPointing().containsKey("random-cam"), "the random baseline is measured: " + report.methodPointing().keySet());
    report.methodPointing().forEach((method, share) -> {
      if (!method.equals("random-cam")) {
        assertTrue(share.value() >= 0.8 && share.trials() >= 120, method + " pointing game: " + share);
      }
    });
  }

  @Test
  void textMapsPointAtAKeyword() {
    assertTrue(report.textPointing().value() >= 0.9, "pointing game, text: " + report.textPointing());
    assertTrue(report.textPointing().trials() >= 250, "enough correctly classified sentences: " + report.textPointing());
  }

  @Test
  void longCharacterInputsGetCoarseMapsNearTheKeywords() {
    assertTrue(report.chars().heldOutAccuracy() >= 0.85, "character model accuracy " + report.chars().heldOutAccuracy());
    // Chance is about 0.1 (the 41-character windows around 2-4 phrases cover a tenth of the text).
    assertTrue(report.charPointing().value() >= 0.6, "pointing game, characters: " + report.charPointing());
  }

  /**
   * Cascading randomisation (Adebayo et al. 2018) on the shapes and sentiment models: with only
   * the dense head re-initialised, the methods that read nothing above the layer (Eigen-CAM,
   * KPCA-CAM, random weights) keep identical maps and fail; Grad-CAM, whose weights are the head's
   * gradients, passes (XGrad-CAM too on shapes); with every layer re-initialised, no method's maps
   * keep the trained model's ranks. The other verdicts are reported (docs/quality.md), not asserted.
   */
  @Test
  void cascadingRandomisationTellsMethodsThatReadTheModelFromThoseThatDoNot() {
    assertCascade(report.cascade(), List.of("dense", "conv3", "conv2", "conv1"), List.of("grad-cam", "xgrad-cam"));
    assertCascade(report.textCascade(), List.of("dense", "conv", "embedding"), List.of("grad-cam"));
  }

  private static void assertCascade(List<QualityMeasures.CascadeStep> cascade, List<String> layers, List<String> passFirst) {
    assertTrue(cascade.stream().map(c -> c.randomised().get(c.randomised().size() - 1)).toList().equals(layers), cascade.toString());
    Map<String, QualityMeasures.Sanity> top = cascade.get(0).methods();
    for (String blind : List.of("eigen-cam", "kpca-cam", "random-cam")) {
      QualityMeasures.Sanity s = top.get(blind);
      assertTrue(s.compared() >= 20 && Math.abs(s.meanCorrelation() - 1) < 1e-9 && s.fails(), blind + ": " + s);
    }
    for (String reads : passFirst) {
      QualityMeasures.Sanity s = top.get(reads);
      assertTrue(s.compared() >= 20 && !s.fails(), reads + ": " + s);
    }
    cascade.get(cascade.size() - 1).methods().forEach((method, s) ->
        assertTrue(s.compared() >= 15 && !s.fails(), "every layer re-initialised, " + method + ": " + s));
  }

  @Test
  void deletingTheHottestPixelsHurtsMoreThanDeletingRandomOnes() {
    assertTrue(report.deletion().topDrop() > report.deletion().randomDrop(), "deletion: " + report.deletion());
  }

  @Test
  void mapsChangeWhenTheLayersAboveAreReinitialised() {
    // Over images where both maps are non-zero: an all-zero map has no ranks to correlate.
    assertTrue(report.sanity().compared() >= 100, "enough images with both maps non-zero: " + report.sanity());
    assertTrue(report.sanity().meanCorrelation() < 0.5, "rank correlation with the re-initialised model: " + report.sanity());
  }

  @Test
  void counterfactualMapsPointAtTheOppositeKeyword() {
    QualityMeasures.Counterfactual c = report.counterfactual();
    assertTrue(c.differentPeaks().trials() >= 100, "enough sentences with both maps non-zero: " + c);
    // The claim: the counterfactual map shows the evidence against the predicted class, the other
    // sentiment's keyword (runs: 0.98). Where the normal map peaks on such mixed sentences is
    // reported, not asserted: it is about even between the two keywords (docs/quality.md).
    assertTrue(c.counterfactualOnOppositeKeyword().value() >= 0.9, "counterfactual map on the other keyword: " + c);
  }
}
