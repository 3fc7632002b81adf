package org.explain4j.spark;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.Arrays;
import org.explain4j.Explainer;
import org.explain4j.ExplainerConfig;
import org.explain4j.Targets;
import org.explain4j.input.PixelScaling;

/**
 * What a partition needs to explain its rows, shipped to the executors in place of the explainer
 * (a loaded SavedModel cannot be serialised): the model's path and options, the targets, the batch
 * size and what to emit.
 */
record ExplainSettings(String modelPath, String labelsPath, String layer, String method, int topK, int[] targets,
    int batchSize, boolean heatMap, boolean png, PixelScaling pixels) implements Serializable {

  /** The explainer options: equal keys share one explainer in an executor JVM. */
  String explainerKey() {
    return String.join("\u0000", modelPath, String.valueOf(labelsPath), String.valueOf(layer), String.valueOf(method));
  }

  ExplainerConfig config() {
    ExplainerConfig.Builder b = Explainer.builder().setModel(Path.of(modelPath)).optLayerNameOrIndex(layer).optMethod(method);
    if (labelsPath != null) {
      b.optLabels(Path.of(labelsPath));
    }
    return b.config();
  }

  Targets targetsFor() {
    return targets != null && targets.length > 0 ? Targets.of(targets) : Targets.topK(topK);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ExplainSettings s && explainerKey().equals(s.explainerKey()) && topK == s.topK
        && Arrays.equals(targets, s.targets) && batchSize == s.batchSize && heatMap == s.heatMap && png == s.png
        && pixels.equals(s.pixels);
  }

  @Override
  public int hashCode() {
    return explainerKey().hashCode() * 31 + Arrays.hashCode(targets);
  }
}
