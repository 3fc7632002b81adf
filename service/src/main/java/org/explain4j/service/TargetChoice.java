package org.explain4j.service;

import java.util.ArrayList;
import java.util.List;
import org.explain4j.Targets;

/**
 * Which classes a request explains: the top {@code k} predicted ones, or explicit classes per
 * instance. Requests with equal {@link #key()} can share a run: top-k ones directly, explicit ones
 * as per-item targets of the merged batch.
 */
record TargetChoice(int topK, List<int[]> perInstance) {
  static final TargetChoice PREDICTED = new TargetChoice(1, null);

  static TargetChoice top(int k) {
    if (k < 1) {
      throw HttpProblem.badRequest("parameters.top_k must be at least 1, got " + k);
    }
    return new TargetChoice(k, null);
  }

  /** The same classes for each of {@code instances}. */
  static TargetChoice same(int[] classes, int instances) {
    List<int[]> rows = new ArrayList<>();
    for (int i = 0; i < instances; i++) {
      rows.add(classes);
    }
    return new TargetChoice(0, rows);
  }

  static TargetChoice perInstance(List<int[]> classes) {
    return new TargetChoice(0, List.copyOf(classes));
  }

  /** How many classes each instance is explained for. */
  int perItem() {
    return explicit() ? perInstance.stream().mapToInt(r -> r.length).max().orElse(0) : topK;
  }

  boolean explicit() {
    return perInstance != null;
  }

  /** Requests with the same key can be merged: explicit ones when they explain as many classes each. */
  String key() {
    return explicit() ? "classes:" + perInstance.get(0).length : "top:" + topK;
  }

  /** The targets of a merged batch of these choices, in order. */
  static Targets merged(List<TargetChoice> choices) {
    TargetChoice first = choices.get(0);
    if (!first.explicit()) {
      return Targets.topK(first.topK);
    }
    List<int[]> all = new ArrayList<>();
    choices.forEach(c -> all.addAll(c.perInstance));
    return Targets.perItem(all);
  }
}
