package org.explain4j.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.explain4j.Explainer;
import org.explain4j.Targets;
import org.explain4j.input.InputBatch;
import org.explain4j.method.AttributionMethod;
import org.explain4j.method.Methods;
import org.explain4j.model.LayerKind;
import org.explain4j.testkit.TestModels;

/**
 * What each attribution method costs over a plain prediction, and five gradient methods from one
 * pass against Grad-CAM alone, side by side (interleaved pairs, medians with 95% intervals).
 *
 * <p>Usage: {@code MethodCosts [resnet depth, 18] [batch, 8] [pairs, 20] [--score-cam]}; perturbation
 * methods get at most 3 pairs. Not a test.
 */
public final class MethodCosts {
  private MethodCosts() {}

  public static void main(String[] args) throws Exception {
    int depth = args.length > 0 ? Integer.parseInt(args[0]) : 18;
    int batch = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    int pairs = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    Path model = TestModels.resnet(Files.createTempDirectory("explain4j-methods").resolve("resnet"), depth);
    InputBatch input = Measure.randomImages(batch, 5);
    System.out.printf(Locale.ROOT, "ResNet-%d, batch %d, %d interleaved pairs per row; median of per-pair ratios [95%% bootstrap interval]%n",
        depth, batch, pairs);
    // Score-CAM runs the whole model once per channel (512 runs of the batch at ResNet-18's last block):
    // timed separately with --score-cam, not in the default list.
    boolean scoreCam = List.of(args).contains("--score-cam");
    List<AttributionMethod> methods = Methods.all().stream().filter(m -> m.supports(LayerKind.SPATIAL))
        .filter(m -> !m.name().startsWith("test-") && (scoreCam || !m.name().equals("score-cam"))).toList();
    for (AttributionMethod method : methods) {
      String name = method.name();
      // Perturbation methods run the model (or the layers above) once per channel: fewer pairs.
      int n = method.needs().contains(AttributionMethod.Need.FORWARD_RUNS) ? Math.min(pairs, 3) : pairs;
      try (Explainer explainer = Explainer.builder().setModel(model).optMethod(name).build()) {
        explainer.predict(input);
        explainer.explain(input, Targets.predicted());
        Measure.Paired times = Measure.paired(() -> explainer.predict(input), () -> explainer.explain(input, Targets.predicted()), n);
        System.out.printf(Locale.ROOT, "%-22s explain ms %8.1f   explain/predict %s%n", name, Measure.median(times.second()), times.ratio());
      }
    }
    String five = "grad-cam,grad-cam++,xgrad-cam,hires-cam,layer-cam";
    try (Explainer one = Explainer.builder().setModel(model).optMethod("grad-cam").build();
        Explainer several = Explainer.builder().setModel(model).optMethod(five).build()) {
      one.explain(input, Targets.predicted());
      several.explain(input, Targets.predicted());
      Measure.Paired times = Measure.paired(() -> one.explain(input, Targets.predicted()), () -> several.explain(input, Targets.predicted()), pairs);
      System.out.printf(Locale.ROOT, "five gradient methods from one pass (%s) / grad-cam alone: %s%n", five, times.ratio());
    }
  }
}
