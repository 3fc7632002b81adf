package org.explain4j.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.explain4j.BatchOptions;
import org.explain4j.Explainer;
import org.explain4j.ItemExplanation;
import org.explain4j.input.ImagePreprocessor;
import org.explain4j.input.Images;
import org.explain4j.input.InputBatch;
import org.explain4j.input.InputSource;
import org.explain4j.spark.SparkBatch;
import org.explain4j.testkit.TestModels;

/**
 * Spark's overhead: images/s of the batch job on {@code local[2]} against {@code explainAll} in
 * one JVM on the same image files (each side reads and decodes every file), then how the job's
 * throughput changes with partitions and batch size. Both sides run in this JVM, one after the
 * other, each after a warm-up run. The model is the ResNet-18 fixture (224x224x3).
 *
 * <p>Usage: {@code SparkThroughput [images, 256]}. Not a test.
 */
public final class SparkThroughput {
  private SparkThroughput() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 256;
    Path tmp = Files.createTempDirectory("explain4j-spark-bench");
    Path model = TestModels.resnet(tmp.resolve("resnet18"), 18);
    Path images = noisePngs(tmp.resolve("images"), n);
    System.out.printf(Locale.ROOT, "%d PNG files 224x224, ResNet-18 fixture, native engine%n", n);
    SparkSession spark = SparkBatch.localSession("local[2]");
    try {
      int[] run = {0};
      explainAll(model, images, 32);
      job(spark, model, images, tmp.resolve("warm-" + run[0]++), 2, 32); // loads the model once in this JVM
      // Paired rounds, alternating: explainAll in one JVM, then the Spark job on the same files.
      int rounds = 5;
      Measure.Paired times = Measure.paired(() -> explainAll(model, images, 32),
          () -> job(spark, model, images, tmp.resolve("paired-" + run[0]++), 2, 32), rounds);
      System.out.printf(Locale.ROOT, "%d paired rounds: explainAll (one JVM, batch 32) %.1f images/s, Spark local[2]"
          + " (2 partitions, batch 32) %.1f images/s (medians); Spark time / explainAll time %s%n", rounds,
          n * 1000 / Measure.median(times.first()), n * 1000 / Measure.median(times.second()), times.ratio());
      int[][] settings = {{2, 8}, {2, 64}, {4, 32}, {8, 32}};
      for (int[] s : settings) {
        SparkBatch.Summary summary = job(spark, model, images, tmp.resolve("out-" + run[0]++), s[0], s[1]);
        System.out.printf(Locale.ROOT, "%-34s %8.1f images/s%n", "Spark local[2], " + s[0] + " partitions, batch " + s[1],
            summary.imagesPerSecond());
      }
    } finally {
      spark.stop();
    }
  }

  /** {@code n} PNG files of 224x224 random pixels (seeded) in a new folder {@code dir}: the Spark benchmarks' input. */
  static Path noisePngs(Path dir, int n) throws java.io.IOException {
    Files.createDirectories(dir);
    Random rng = new Random(3);
    for (int i = 0; i < n; i++) {
      Images.writePng(TestModels.noise(rng, 224, 224), dir.resolve(String.format(Locale.ROOT, "img-%04d.png", i)));
    }
    return dir;
  }

  private static SparkBatch.Summary job(SparkSession spark, Path model, Path images, Path out, int partitions, int batch) {
    return SparkBatch.run(spark, new SparkBatch.Job(model.toString(), null, images.toString(), out.toString(), "parquet",
        partitions, null, null, 1, batch, false, false, null));
  }

  /** Images/s of explainAll over the files, reading and decoding each, as the Spark job does. */
  private static double explainAll(Path model, Path images, int batch) {
    try (Explainer explainer = Explainer.builder().setModel(model).build()) {
      ImagePreprocessor pre = ImagePreprocessor.forModel(explainer.model()).build();
      long start = System.nanoTime();
      InputSource source = InputSource.images(List.of(images), pre);
      Iterable<InputBatch> batches = () -> java.util.stream.StreamSupport.stream(source.spliterator(), false)
          .map(InputSource.Item::batch).iterator();
      long count;
      try (Stream<ItemExplanation> results = explainer.explainAll(batches, BatchOptions.builder().optBatchSize(batch).build())) {
        count = results.count();
      }
      return count / ((System.nanoTime() - start) / 1e9);
    }
  }
}
