package org.explain4j.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import org.explain4j.Explainer;
import org.explain4j.ExplainerConfig;
import org.explain4j.input.InputBatch;
import org.explain4j.Targets;
import org.explain4j.testkit.TestModels;
import org.tensorflow.SavedModelBundle;

/**
 * Load costs and the explain/predict ratio for function-based (TF2 / Keras) SavedModels, which
 * explain4j flattens at load, beside a flat TF1 model.
 *
 * <p>Usage: {@code FlattenedModels [shared models dir]} (default {@code ../shared/models}).
 * Prints, per model: TensorFlow's own SavedModel load, the explainer's build (load, flattening,
 * variable restore, gradient subgraph), the first explanation, and the steady explain/predict
 * ratio at batch 32. Not a test.
 */
public final class FlattenedModels {
  private FlattenedModels() {}

  public static void main(String[] args) throws Exception {
    Path shared = Path.of(args.length > 0 ? args[0] : "../shared/models");
    Path tmp = Files.createTempDirectory("explain4j-bench");
    // Unpack and initialise TensorFlow once, so that no row pays for it.
    try (SavedModelBundle warm = SavedModelBundle.load(TestModels.cnn(tmp.resolve("warm"), true).toString(), "serve")) {
      warm.session();
    }
    System.out.printf(Locale.ROOT, "%-34s %10s %12s %13s %8s%n", "model (layer)", "TF load ms", "build ms", "1st explain", "ratio@32");
    row("keras-like fixture TF2 (auto)", TestModels.kerasLike(tmp.resolve("keras")), null, new long[] {8, 8, 1});
    row("functions fixture TF2 (auto)", TestModels.functions(tmp.resolve("functions")), null, new long[] {8, 8, 1}, "logits");
    if (Files.isDirectory(shared.resolve("kotlindl-mnist-mlp-tf2"))) {
      row("kotlindl-mnist-mlp-tf2 (dense_4)", shared.resolve("kotlindl-mnist-mlp-tf2"), "dense_4", new long[] {28, 28});
    }
    if (Files.isDirectory(shared.resolve("mlnet-mnist-conv-tf1"))) {
      row("mlnet-mnist-conv-tf1 (auto, flat)", shared.resolve("mlnet-mnist-conv-tf1"), null, new long[] {28, 28, 1});
    }
  }

  private static void row(String name, Path model, String layer, long[] itemShape, String... output) {
    long t0 = System.nanoTime();
    try (SavedModelBundle bundle = SavedModelBundle.load(model.toString(), "serve")) {
      bundle.session();
    }
    long t1 = System.nanoTime();
    ExplainerConfig.Builder builder = Explainer.builder().setModel(model);
    if (layer != null) {
      builder.optLayer(layer);
    }
    if (output.length > 0) {
      builder.optOutput(output[0]);
    }
    long t2 = System.nanoTime();
    try (Explainer explainer = builder.build()) {
      long t3 = System.nanoTime();
      explainer.explain(batch(1, itemShape), Targets.predicted());
      long t4 = System.nanoTime();
      InputBatch input = batch(32, itemShape);
      long warmUntil = System.nanoTime() + 2_000_000_000L;
      while (System.nanoTime() < warmUntil) {
        explainer.predict(input);
        explainer.explain(input, Targets.predicted());
      }
      Measure.Paired times = Measure.paired(() -> explainer.predict(input), () -> explainer.explain(input, Targets.predicted()), 200);
      System.out.printf(Locale.ROOT, "%-34s %10.0f %12.0f %13.1f   %s%n", name, (t1 - t0) / 1e6, (t3 - t2) / 1e6,
          (t4 - t3) / 1e6, times.ratio());
    }
  }

  private static InputBatch batch(int n, long[] itemShape) {
    long[] shape = new long[itemShape.length + 1];
    shape[0] = n;
    System.arraycopy(itemShape, 0, shape, 1, itemShape.length);
    int size = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    float[] values = new float[size];
    Random rng = new Random(n);
    for (int i = 0; i < size; i++) {
      values[i] = rng.nextFloat();
    }
    return InputBatch.ofFloats(values, shape);
  }
}
