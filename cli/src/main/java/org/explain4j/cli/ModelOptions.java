package org.explain4j.cli;

import java.nio.file.Path;
import org.explain4j.Explainer;
import org.explain4j.ExplainerConfig;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options that say which model, signature, input and output a command works on: one set for every command. */
final class ModelOptions {
  @Option(names = "--model", required = true, description = "SavedModel directory, or a frozen GraphDef file (.pb).")
  Path model;

  @Option(names = "--input-op", description = "The input to explain: a signature input key, or a frozen graph's input op (default: the only one).")
  String inputOp;

  @Option(names = "--output-op", description = "The output to explain: a signature output key, or a frozen graph's output op (default: the only one).")
  String outputOp;

  @Option(names = "--signature", description = "Signature key (default: serving_default, or the only one).")
  String signature;

  @Option(names = "--tags", split = ",", defaultValue = "serve", description = "Meta graph tags, comma-separated (default: ${DEFAULT-VALUE}).")
  String[] tags;

  @Option(names = "--feed", paramLabel = "NAME=VALUE",
      description = "A value for a placeholder besides the input that every run needs (TF1's keep_prob=1.0, is_training=false);"
          + " repeatable.")
  java.util.Map<String, String> feeds = new java.util.LinkedHashMap<>();

  @Mixin
  ThreadOptions threads = new ThreadOptions();

  /** A configuration builder with these options set. */
  ExplainerConfig.Builder builder() {
    ExplainerConfig.Builder b = threads.applyTo(Explainer.builder().setModel(model).optTags(tags).optSignature(signature).optInput(inputOp)
        .optOutput(outputOp));
    feeds.forEach(b::optFeed);
    return b;
  }
}
