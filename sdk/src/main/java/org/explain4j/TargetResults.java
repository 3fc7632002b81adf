package org.explain4j;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.explain4j.exceptions.InvalidInputException;
import org.explain4j.method.MethodMaps;

/** Turns a method's maps and a run's scores into {@link TargetExplanation}s: labels, scores, probabilities. */
final class TargetResults {
  private final List<String> labels;
  private final int classes;
  private final boolean distribution;
  private final String layer;

  TargetResults(List<String> labels, int classes, boolean distribution, String layer) {
    if (labels != null && labels.size() != classes) {
      throw new InvalidInputException("Expected " + classes + " labels (one per output class), got " + labels.size());
    }
    this.labels = labels;
    this.classes = classes;
    this.distribution = distribution;
    this.layer = layer;
  }

  int classes() {
    return classes;
  }

  TargetExplanation of(int item, int target, float[] outputs, float[] scores, MethodMaps maps, String method) {
    int at = item * classes + target;
    return new TargetExplanation(item, target,
        labels == null ? Optional.empty() : Optional.of(labels.get(target)),
        scores[at],
        distribution ? OptionalDouble.of(outputs[at]) : OptionalDouble.empty(),
        new HeatMap(maps.mapHeight(), maps.mapWidth(), maps.layerMap(item)),
        new HeatMap(maps.outHeight(), maps.outWidth(), maps.heatMap(item)),
        layer, method, maps.engine(), maps.allZero()[item]);
  }
}
