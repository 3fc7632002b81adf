package org.explain4j;

import java.util.List;

/**
 * The explanations of one batch: one {@link TargetExplanation} per item and target, ordered by
 * item and then by target rank, with how they were made. Immutable.
 */
public record Explanation(
    String signature, String layer, String method, String engine, int batchSize, List<TargetExplanation> targets,
    Provenance provenance) {

  public Explanation {
    targets = List.copyOf(targets);
  }

  /** The explanations of item {@code item}, in target order. */
  public List<TargetExplanation> forItem(int item) {
    if (item < 0 || item >= batchSize) {
      throw new IndexOutOfBoundsException("Item " + item + " is outside a batch of " + batchSize);
    }
    return targets.stream().filter(t -> t.item() == item).toList();
  }

  /** Item {@code item} alone, as the explanation of a batch of one (its targets have item 0). */
  public Explanation single(int item) {
    List<TargetExplanation> alone = forItem(item).stream().map(t -> t.withItem(0)).toList();
    return new Explanation(signature, layer, method, engine, 1, alone, provenance);
  }

  /** The first target's explanation of item {@code item}. */
  public TargetExplanation first(int item) {
    return forItem(item).get(0);
  }
}
