package org.explain4j.cli;

import org.explain4j.Targets;
import picocli.CommandLine.Option;

/** Which classes to explain: one set of options for explain and evaluate. */
final class TargetOptions {
  @Option(names = "--target", arity = "1..*", description = "Class indices to explain (default: the predicted class).")
  int[] target;

  @Option(names = "--top-k", description = "Explain the K most probable classes.")
  Integer topK;

  /** The targets, or an IllegalArgumentException when both options were given. */
  Targets targets() {
    if (target != null && topK != null) {
      throw new IllegalArgumentException("--target and --top-k exclude each other: give one");
    }
    return target != null ? Targets.of(target) : topK != null ? Targets.topK(topK) : Targets.predicted();
  }
}
