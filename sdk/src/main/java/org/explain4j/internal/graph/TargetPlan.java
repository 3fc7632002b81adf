package org.explain4j.internal.graph;

/** Which classes each session run of a batch explains: fixed per rank, or ranked from the scores. */
public interface TargetPlan {
  /** How many runs (target ranks) the batch needs. */
  int ranks();

  /** Whether the targets are the best-scoring classes, known only after the first run. */
  boolean fromPredictions();

  /** For explicit targets, the class of each item at {@code rank}, or -1 where an item has fewer. */
  int[] explicitAt(int rank);
}
