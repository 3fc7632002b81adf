package org.explain4j.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.RowFactory;
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
  /** What a run did: files listed, and of them explained and failed (they add up: one row per file). */
  public record Summary(long listed, long explained, long failed, double seconds) {
    public double imagesPerSecond() {
      return (explained + failed) / seconds;
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "listed %d files: explained %d, failed %d, in %.1f s (%.1f images/s)", listed, explained,
          failed, seconds, imagesPerSecond());
    }
  }

  /** The extensions read from a folder (a glob reads what it names). */
  private static final String EXTENSIONS = "*.{png,PNG,jpg,JPG,jpeg,JPEG,bmp,BMP,gif,GIF,tif,TIF,tiff,TIFF}";

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
    // The model and its layer are checked here, on the driver, before anything is listed or read.
    explain.checkModel();
    long start = System.nanoTime();
    String images = job.images();
    Dataset<Row> files;
    boolean folder = Files.isDirectory(Path.of(images)) || images.contains("://");
    if (folder) {
      files = spark.read().format("binaryFile").option("recursiveFileLookup", "true").option("pathGlobFilter", EXTENSIONS).load(images);
    } else {
      files = spark.read().format("binaryFile").load(images); // a glob
    }
    files = files.select("path", "content");
    // Spark's file scan skips files of zero bytes: they come back as empty contents, so that each gets its error row.
    Listing listing = Listing.of(spark, images, folder);
    if (!listing.empty().isEmpty()) {
      List<Row> blanks = listing.empty().stream().map(path -> RowFactory.create(path, new byte[0])).toList();
      files = files.union(spark.createDataFrame(blanks, files.schema()));
    }
    if (job.partitions() > 0) {
      files = files.repartition(job.partitions());
    }
    Dataset<Row> explained = explain.transform(files).drop("content");
    try {
      if (job.format().equals("parquet")) {
        explained.write().parquet(job.out());
      } else {
        explained.write().json(job.out());
      }
    } catch (RuntimeException e) {
      deleteLocal(job.out()); // a failed job leaves no folder behind, so that the same command can run again
      throw e;
    }
    Dataset<Row> written = job.format().equals("parquet") ? spark.read().parquet(job.out()) : spark.read().json(job.out());
    long failed = written.filter(functions.col("explanation.error").isNotNull()).count();
    long all = written.count();
    return new Summary(listing.count(), all - failed, failed, (System.nanoTime() - start) / 1e9);
  }

  /** The files a job reads, listed on the driver with Hadoop's FileSystem as Spark lists them, and those of zero bytes. */
  record Listing(long count, List<String> empty) {
    static Listing of(SparkSession spark, String images, boolean folder) {
      try {
        org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(images);
        org.apache.hadoop.fs.FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
        List<String> empty = new ArrayList<>();
        long count = 0;
        if (folder) {
          java.nio.file.PathMatcher matcher = java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + EXTENSIONS);
          org.apache.hadoop.fs.RemoteIterator<org.apache.hadoop.fs.LocatedFileStatus> it = fs.listFiles(root, true);
          while (it.hasNext()) {
            org.apache.hadoop.fs.LocatedFileStatus status = it.next();
            String name = status.getPath().getName();
            if (hidden(status.getPath(), root) || !matcher.matches(Path.of(name))) {
              continue;
            }
            count++;
            if (status.getLen() == 0) {
              empty.add(status.getPath().toString());
            }
          }
        } else {
          org.apache.hadoop.fs.FileStatus[] matched = fs.globStatus(root);
          for (org.apache.hadoop.fs.FileStatus status : matched == null ? new org.apache.hadoop.fs.FileStatus[0] : matched) {
            if (status.isFile()) {
              count++;
              if (status.getLen() == 0) {
                empty.add(status.getPath().toString());
              }
            }
          }
        }
        return new Listing(count, List.copyOf(empty));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException("Cannot list " + images + ": " + e.getMessage(), e);
      }
    }

    /** Spark skips files and folders whose names start with "_" or "." below the root. */
    private static boolean hidden(org.apache.hadoop.fs.Path path, org.apache.hadoop.fs.Path root) {
      String rootText = root.toUri().getPath();
      for (org.apache.hadoop.fs.Path p = path; p != null && !p.toUri().getPath().equals(rootText); p = p.getParent()) {
        if (p.getName().startsWith("_") || p.getName().startsWith(".")) {
          return true;
        }
      }
      return false;
    }
  }

  /** Removes a local output folder the job created (remote ones are left to their file system's tools). */
  private static void deleteLocal(String out) {
    if (out.contains("://")) {
      return;
    }
    try (java.util.stream.Stream<Path> walk = Files.walk(Path.of(out))) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      // nothing was written, or it is gone already
    }
  }

  private static double[] doubles(float[] values) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }
}
