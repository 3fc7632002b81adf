package org.explain4j.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.explain4j.input.PixelScaling;

/**
 * The {@code explain4j batch} job: every image under a folder (or matching a glob) read with
 * Spark's {@code binaryFile} source, explained by {@link ExplainTransformer}, and written one row
 * per input (its path, then the explanation) as Parquet or JSON lines. Runs on the session it is
 * given: an embedded {@code local[*]} one by default, a cluster's under {@code spark-submit}.
 */
public final class SparkBatch {
  /** What to explain and where to write it; {@code pixels} may be null for the model's defaults. */
  public record Job(String model, String labels, String images, String out, String format, int partitions,
      String method, String layer, int topK, int batchSize, boolean heatMap, boolean png, PixelScaling pixels, int intraOpThreads,
      int interOpThreads) {
    /** A job with TensorFlow's default thread pools. */
    public Job(String model, String labels, String images, String out, String format, int partitions, String method, String layer,
        int topK, int batchSize, boolean heatMap, boolean png, PixelScaling pixels) {
      this(model, labels, images, out, format, partitions, method, layer, topK, batchSize, heatMap, png, pixels, 0, 0);
    }

    public Job {
      pixels = pixels == null ? PixelScaling.DEFAULT : pixels;
      if (!format.equals("parquet") && !format.equals("json")) {
        throw new IllegalArgumentException("The output format is parquet or json, got '" + format + "'");
      }
    }
  }

  /** What a run did. */
  public record Summary(long explained, long failed, double seconds) {
    public double imagesPerSecond() {
      return (explained + failed) / seconds;
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "explained %d, failed %d, in %.1f s (%.1f images/s)", explained, failed, seconds,
          imagesPerSecond());
    }
  }

  private SparkBatch() {}

  /**
   * An embedded session for {@code master} ({@code local[*]} by default), without the web UI.
   * <b>The session must be stopped.</b>
   */
  public static SparkSession localSession(String master) {
    return SparkSession.builder().master(master).appName("explain4j batch").config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4").getOrCreate();
  }

  /** Runs the job on {@code spark}; the output folder must not exist yet. */
  public static Summary run(SparkSession spark, Job job) {
    if (Files.exists(Path.of(job.out())) && !job.out().contains("://")) {
      throw new IllegalArgumentException("The output folder " + job.out() + " exists; give a new one");
    }
    long start = System.nanoTime();
    String images = job.images();
    Dataset<Row> files;
    if (Files.isDirectory(Path.of(images)) || images.contains("://")) {
      files = spark.read().format("binaryFile").option("recursiveFileLookup", "true")
          .option("pathGlobFilter", "*.{png,PNG,jpg,JPG,jpeg,JPEG,bmp,BMP,gif,GIF,tif,TIF,tiff,TIFF}").load(images);
    } else {
      files = spark.read().format("binaryFile").load(images); // a glob
    }
    files = files.select("path", "content");
    if (job.partitions() > 0) {
      files = files.repartition(job.partitions());
    }
    ExplainTransformer explain = new ExplainTransformer().setModelPath(job.model()).setInputCol("content")
        .setTopK(job.topK()).setBatchSize(job.batchSize()).setEmitHeatMap(job.heatMap()).setEmitPng(job.png())
        .setThreads(job.intraOpThreads(), job.interOpThreads());
    if (job.labels() != null) {
      explain.setLabelsPath(job.labels());
    }
    if (job.method() != null) {
      explain.setMethod(job.method());
    }
    if (job.layer() != null) {
      explain.setLayer(job.layer());
    }
    if (job.pixels().scale() != null) {
      explain.setPixelScale(job.pixels().scale());
    }
    if (job.pixels().mean() != null) {
      explain.setPixelMean(doubles(job.pixels().mean()));
    }
    if (job.pixels().std() != null) {
      explain.setPixelStd(doubles(job.pixels().std()));
    }
    Dataset<Row> explained = explain.transform(files).drop("content");
    if (job.format().equals("parquet")) {
      explained.write().parquet(job.out());
    } else {
      explained.write().json(job.out());
    }
    Dataset<Row> written = job.format().equals("parquet") ? spark.read().parquet(job.out()) : spark.read().json(job.out());
    long failed = written.filter(functions.col("explanation.error").isNotNull()).count();
    long all = written.count();
    return new Summary(all - failed, failed, (System.nanoTime() - start) / 1e9);
  }

  private static double[] doubles(float[] values) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }
}
