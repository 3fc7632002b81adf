package org.explain4j.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code explain4j layers}: a model's signature and candidate layers. */
@Command(name = "layers", mixinStandardHelpOptions = true,
    description = "List a SavedModel's signature and the layers that can be explained; '*' marks the automatic choice.")
final class LayersCommand implements Callable<Integer> {
  @Mixin
  ModelOptions models;

  @Option(names = "--all-ops", description = "One line per candidate op instead of per layer (name scope).")
  boolean allOps;

  @Override
  public Integer call() {
    System.out.print(models.builder().describe().summary(allOps));
    return 0;
  }
}
