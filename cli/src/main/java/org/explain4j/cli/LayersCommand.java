package org.explain4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.explain4j.Explainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code explain4j layers}: a model's signature and candidate layers. */
@Command(name = "layers", mixinStandardHelpOptions = true,
    description = "List a SavedModel's signature and the layers that can be explained; '*' marks the automatic choice.")
final class LayersCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, description = "SavedModel directory, or a frozen GraphDef file (.pb).")
  Path model;

  @Option(names = "--input-op", description = "The input to explain: a signature input key, or a frozen graph's input op (default: the only one).")
  String inputOp;

  @Option(names = "--output-op", description = "The output to explain: a signature output key, or a frozen graph's output op (default: the only one).")
  String outputOp;

  @Option(names = "--signature", description = "Signature key (default: serving_default, or the only one).")
  String signature;

  @Option(names = "--tags", split = ",", description = "Meta graph tags, comma-separated (default: ${DEFAULT-VALUE}).", defaultValue = "serve")
  String[] tags;

  @Option(names = "--all-ops", description = "One line per candidate op instead of per layer (name scope).")
  boolean allOps;

  @Override
  public Integer call() {
    System.out.print(Explainer.builder().setModel(model).optTags(tags).optSignature(signature).optInput(inputOp).optOutput(outputOp).describe().summary(allOps));
    return 0;
  }
}
