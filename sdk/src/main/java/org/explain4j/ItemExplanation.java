package org.explain4j;

import java.util.List;
import java.util.Optional;

/**
 * The explanation of one input item in a run of {@link Explainer#explainAll}: its position in the
 * whole input, and either its explanation (a batch of one: its targets have item 0) or why it failed.
 */
public record ItemExplanation(long index, Optional<Explanation> explanation, Optional<String> failure) {

  /** Whether the item was explained. */
  public boolean succeeded() {
    return explanation.isPresent();
  }

  /** The item's target explanations, in target order; empty when it failed. */
  public List<TargetExplanation> targets() {
    return explanation.map(Explanation::targets).orElse(List.of());
  }
}
