package org.explain4j.service;

import java.util.Arrays;
import org.explain4j.Explanation;

/** A run's result: the model's outputs per item and, unless it only predicted, the explanation. */
record Outcome(float[][] outputs, Explanation explanation) {
  /** Items {@code from} to {@code to} (exclusive), numbered from 0. */
  Outcome items(int from, int to) {
    return new Outcome(Arrays.copyOfRange(outputs, from, to), explanation == null ? null : explanation.items(from, to));
  }
}
