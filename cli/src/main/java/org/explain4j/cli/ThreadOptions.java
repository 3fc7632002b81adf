package org.explain4j.cli;

import org.explain4j.ExplainerConfig;
import picocli.CommandLine.Option;

/** TensorFlow's session thread pools, for every command that loads a model. */
final class ThreadOptions {
  @Option(names = "--intra-op-threads", defaultValue = "0",
      description = "Threads one TensorFlow op may use (default: ${DEFAULT-VALUE}, TensorFlow's choice: one per core).")
  int intraOp;

  @Option(names = "--inter-op-threads", defaultValue = "0",
      description = "TensorFlow ops run at once (default: ${DEFAULT-VALUE}, TensorFlow's choice: one per core).")
  int interOp;

  /** Sets the session's thread pools (0 for both leaves TensorFlow's defaults). */
  ExplainerConfig.Builder applyTo(ExplainerConfig.Builder b) {
    return b.optThreads(intraOp, interOp);
  }
}
