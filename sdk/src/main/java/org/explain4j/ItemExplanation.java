package org.explain4j;

import java.util.List;
import java.util.Optional;

/**
 * The explanations of one input item in a run of {@link Explainer#explainAll}: its position in
 * the whole input, and either its target explanations or why it failed. In the targets,
 * {@code item()} is the item's position within the batch it ran in.
 */
public record ItemExplanation(long index, List<TargetExplanation> targets, Optional<String> failure) {
  public ItemExplanation {
    targets = List.copyOf(targets);
  }

  /** Whether the item was explained. */
  public boolean succeeded() {
    return failure.isEmpty();
  }
}
