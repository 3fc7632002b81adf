package org.explain4j.spark;

import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code explain4j batch}: explains every image under a folder on Spark and writes one row per
 * image. The same command is the main class of the shaded jar for {@code spark-submit}, where the
 * cluster's session is used instead of an embedded local one.
 */
@Command(name = "batch", mixinStandardHelpOptions = true,
    description = "Explain a folder of images on Apache Spark (embedded local[*] by default) and write one row per image.")
public final class BatchCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, description = "SavedModel directory or frozen graph .pb: a path every executor reads, a file:, hdfs: or s3a: URI"
      + " (copied to each executor), or the name of a file shipped with --files.")
  String model;

  @Option(names = "--images", required = true, description = "A folder of images (searched recursively) or a glob such as 'photos/*.jpg', on any file system Hadoop knows.")
  String images;

  @Option(names = "--out", required = true, description = "Output folder; when it exists, --mode or --resume says what to do.")
  String out;

  @Option(names = "--output-format", defaultValue = "parquet", description = "parquet or json (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(names = "--master", description = "Spark master (default: local[*], or spark-submit's). A cluster's (spark://, yarn,"
      + " k8s://) needs the job jar (--job-jar).")
  String master;

  @Option(names = "--job-jar", description = "The shaded job jar that executors of a cluster --master fetch (default: the one this"
      + " checkout built, spark-job/target/explain4j-spark-job-*.jar).")
  java.nio.file.Path jobJar;

  @Option(names = "--conf", description = "A Spark setting key=value (repeatable), as spark-submit's --conf.")
  java.util.Map<String, String> conf = new java.util.LinkedHashMap<>();

  @Option(names = "--mode", defaultValue = "error", description = "When --out exists: error, overwrite or append (default: ${DEFAULT-VALUE}).")
  String mode;

  @Option(names = "--resume", description = "Explain only the files whose paths are not in --out yet, and append their rows.")
  boolean resume;

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--partitions", defaultValue = "0", description = "Spread the file list over N tasks (default: Spark's default parallelism, or one task per 500 files if more).")
  int partitions;

  @Option(names = "--batch-size", defaultValue = "32", description = "Images per session run within a partition (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--intra-op-threads", defaultValue = "0",
      description = "Threads one TensorFlow op may use on each executor (default: ${DEFAULT-VALUE}, TensorFlow's choice).")
  int intraOpThreads;

  @Option(names = "--inter-op-threads", defaultValue = "0",
      description = "TensorFlow ops run at once on each executor (default: ${DEFAULT-VALUE}, TensorFlow's choice).")
  int interOpThreads;

  @Option(names = "--top-k", defaultValue = "1", description = "Explain the K most probable classes (default: ${DEFAULT-VALUE}).")
  int topK;

  @Option(names = "--labels", description = "Class labels, one per line.")
  String labels;

  @Option(names = "--method", description = "Attribution method(s), comma-separated.")
  String method;

  @Option(names = "--layer", description = "Layer name or index (default: automatic).")
  String layer;

  @Option(names = "--scale", description = "Multiplies 0..255 pixel values (default: 1/255, or 1 for a uint8 input).")
  Float scale;

  @Option(names = "--mean", split = ",", description = "Per-channel mean subtracted after scaling.")
  float[] mean;

  @Option(names = "--std", split = ",", description = "Per-channel standard deviation divided by after the mean.")
  float[] std;

  @Option(names = "--heat-map", description = "Also write each heat map at the image's size.")
  boolean heatMap;

  @Option(names = "--png", description = "Also write each overlay PNG.")
  boolean png;

  /** Held so that the level set on it stays: java.util.logging keeps loggers weakly. */
  private static final java.util.logging.Logger SPARK_LOGS = java.util.logging.Logger.getLogger("org.apache");
  private static final java.util.logging.Logger SPARK_JETTY_LOGS = java.util.logging.Logger.getLogger("org.sparkproject");

  @Override
  public Integer call() {
    // Spark logs every stage at INFO; a command-line user wants the summary and any warnings.
    SPARK_LOGS.setLevel(java.util.logging.Level.WARNING);
    SPARK_JETTY_LOGS.setLevel(java.util.logging.Level.WARNING);
    SparkBatch.Mode outputMode = switch (mode.toLowerCase(java.util.Locale.ROOT)) {
      case "error" -> SparkBatch.Mode.ERROR;
      case "overwrite" -> SparkBatch.Mode.OVERWRITE;
      case "append" -> SparkBatch.Mode.APPEND;
      default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--mode is error, overwrite or append, got '" + mode + "'");
    };
    boolean submitted = master == null && System.getProperty("spark.master") != null;
    SparkSession spark;
    if (submitted) {
      SparkSession.Builder b = SparkSession.builder().appName("explain4j batch");
      conf.forEach(b::config);
      spark = b.getOrCreate();
    } else if (master == null || master.startsWith("local")) {
      spark = SparkBatch.localSession(master == null ? "local[*]" : master, conf);
    } else {
      spark = clusterSession();
    }
    try {
      SparkBatch.Summary summary = SparkBatch.run(spark, new SparkBatch.Job(model, labels, images, out, format, partitions, method,
          layer, topK, batchSize, heatMap, png, new org.explain4j.input.PixelScaling(scale, mean, std), intraOpThreads, interOpThreads,
          outputMode, resume));
      System.out.println("explain4j: " + summary + "; wrote " + out);
      return 0;
    } catch (RuntimeException e) {
      if (spark.sparkContext().isStopped()) {
        // Spark stops the application itself when it gives up on a master; its own message then names a stopped context.
        throw new org.explain4j.exceptions.ExplainException("The Spark application stopped before the job finished"
            + (master != null && !master.startsWith("local") ? ": Spark gave up on the master " + master
                + " (is it running, and reachable from this machine? Spark's log above says what it tried)" : "")
            + "; " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""), e);
      }
      throw e;
    } finally {
      if (!submitted) {
        spark.stop();
      }
    }
  }

  /**
   * A session on a cluster's master, this JVM its driver, shipping the job jar to the executors
   * (they have Spark and nothing of explain4j); without the jar, refuses with the commands to use.
   */
  private SparkSession clusterSession() {
    java.nio.file.Path jar = jobJar != null ? jobJar : JobJar.built();
    if (jar == null || !java.nio.file.Files.isRegularFile(jar)) {
      throw new org.explain4j.exceptions.ExplainException("--master " + master + " runs executors that have Spark but not explain4j:"
          + " they need the job jar" + (jar == null ? ", and this checkout has not built it" : ", and " + jar + " does not exist")
          + ". Build it and submit it:\n  " + JobJar.BUILD + "\n  " + JobJar.submitLine(master, jar, withoutLocalOptions()));
    }
    SparkSession.Builder b = SparkSession.builder().master(master).appName("explain4j batch").config("spark.ui.enabled", "false")
        .config("spark.jars", jar.toAbsolutePath().toString());
    conf.forEach(b::config);
    return b.getOrCreate();
  }

  /** The command's arguments less those that only this launcher reads (--master, --job-jar). */
  private java.util.List<String> withoutLocalOptions() {
    java.util.List<String> args = spec.commandLine().getParseResult().originalArgs();
    java.util.List<String> out = new java.util.ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("--master") || a.equals("--job-jar")) {
        i++;
      } else if (!a.startsWith("--master=") && !a.startsWith("--job-jar=")) {
        out.add(a);
      }
    }
    return out;
  }

  /** The shaded jar's entry point for {@code spark-submit}. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new BatchCommand()).execute(args));
  }
}
