package org.explain4j.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.explain4j.testkit.StandaloneCluster;
import org.explain4j.testkit.TestModels;

/**
 * The batch job on a standalone cluster of two one-core workers (each its own JVM on 127.0.0.1)
 * against {@code local[2]}, both submitted with {@code SparkSubmit} and the shaded job jar, on the
 * same files, alternating: wall time from submission to exit, so each side pays its JVMs' start,
 * TensorFlow's load and the model's load, as a real job does. The model is the ResNet-18 fixture.
 *
 * <p>Usage: {@code SparkClusterThroughput [images, 128] [rounds, 5]}, from the repository root after
 * {@code mvn -pl spark-job -am package} (scripts/bench.sh does it). Not a test.
 */
public final class SparkClusterThroughput {
  private SparkClusterThroughput() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 128;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    Path jobJar = jobJar(Path.of("spark-job", "target"));
    Path opens = Path.of("spark", "java17-opens.args");
    Path tmp = Files.createTempDirectory("explain4j-cluster-bench");
    Path model = TestModels.resnet(tmp.resolve("resnet18"), 18);
    Path images = SparkThroughput.noisePngs(tmp.resolve("images"), n);
    List<Path> sparkJars = StandaloneCluster.sparkJars(System.getProperty("java.class.path"));
    System.out.printf(Locale.ROOT, "%d PNG files 224x224, ResNet-18 fixture, %s; %d Spark jars%n", n, jobJar.getFileName(), sparkJars.size());
    try (StandaloneCluster cluster = StandaloneCluster.start(Files.createDirectories(tmp.resolve("cluster")), sparkJars, opens, 2, 1, "3g",
        Map.of())) {
      int[] run = {0};
      Runnable local = () -> submit(cluster, tmp, "local[2]", jobJar, model, images, run[0]++);
      Runnable standalone = () -> submit(cluster, tmp, cluster.master(), jobJar, model, images, run[0]++);
      local.run(); // warm the page cache and the file system
      Measure.Paired times = Measure.paired(local, standalone, rounds);
      System.out.printf(Locale.ROOT, "%d paired rounds (alternating), wall time from submission to exit: local[2] %.1f s,"
          + " standalone cluster (2 workers x 1 core) %.1f s (medians); cluster / local %s%n", rounds,
          Measure.median(times.first()) / 1000, Measure.median(times.second()) / 1000, times.ratio());
    }
  }

  private static void submit(StandaloneCluster cluster, Path tmp, String master, Path jobJar, Path model, Path images, int run) {
    Path log = tmp.resolve("submit-" + run + ".log");
    try {
      Process p = cluster.submit(log, List.of("--master", master, "--class", "org.explain4j.spark.BatchCommand",
          "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.ui.enabled=false", "--conf", "spark.executor.cores=1",
          "--conf", "spark.cores.max=2", "--conf", "spark.executor.memory=1g", jobJar.toString(),
          "--model", model.toString(), "--images", images.toString(), "--out", tmp.resolve("out-" + run).toString(),
          "--batch-size", "16", "--partitions", "8"));
      if (StandaloneCluster.finish(p, log, 600) != 0) {
        throw new IllegalStateException(master + " failed:\n" + StandaloneCluster.tail(log));
      }
      String summary = Files.readAllLines(log).stream().filter(l -> l.startsWith("explain4j: listed")).findFirst().orElse("(no summary)");
      System.out.println("  " + master + ": " + summary);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Path jobJar(Path target) throws IOException {
    try (Stream<Path> files = Files.list(target)) {
      return files.filter(p -> p.getFileName().toString().matches("explain4j-spark-job-.*\\.jar")).findFirst()
          .orElseThrow(() -> new IllegalStateException("No job jar in " + target + ": run mvn -pl spark-job -am package"));
    }
  }
}
