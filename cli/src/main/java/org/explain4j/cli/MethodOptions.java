package org.explain4j.cli;

import org.explain4j.ExplainerConfig;
import picocli.CommandLine.Option;

/** How the methods smooth their maps and spend their runs: one set for explain and evaluate. */
final class MethodOptions {
  @Option(names = "--channels", defaultValue = "0",
      description = "Score-CAM and Ablation-CAM: only each item's K most activated channels (Faster-ScoreCAM's top-k; default: all).")
  int channels;

  @Option(names = "--perturbation-batch", defaultValue = "0",
      description = "Score-CAM and Ablation-CAM: inputs per forward run (default: one channel per run, over the batch).")
  int inputsPerRun;

  @Option(names = "--eigen-smooth", description = "Project each map's per-channel contributions on their first principal component.")
  boolean eigenSmooth;

  @Option(names = "--aug-smooth", description = "Average the maps of the image, its mirror and both at 0.9x and 1.1x intensity (6x the cost).")
  boolean augmentSmooth;

  ExplainerConfig.Builder apply(ExplainerConfig.Builder b) {
    return b.optPerturbation(channels, inputsPerRun).optEigenSmooth(eigenSmooth).optAugmentSmooth(augmentSmooth);
  }
}
