package org.explain4j.cli;

import org.explain4j.ExplainerConfig;
import picocli.CommandLine.Option;

/** How Score-CAM and Ablation-CAM spend their forward runs: one set for explain and evaluate. */
final class PerturbationOptions {
  @Option(names = "--channels", defaultValue = "0",
      description = "Score-CAM and Ablation-CAM: only each item's K most activated channels (Faster-ScoreCAM's top-k; default: all).")
  int channels;

  @Option(names = "--perturbation-batch", defaultValue = "0",
      description = "Score-CAM: masked inputs per forward run (default: one channel per run, over the batch).")
  int inputsPerRun;

  ExplainerConfig.Builder apply(ExplainerConfig.Builder b) {
    return b.optPerturbation(channels, inputsPerRun);
  }
}
