package org.explain4j.spark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.explain4j.exceptions.ExplainException;
import org.explain4j.input.PixelScaling;

/**
 * The {@code explain4j batch} job: every image under a folder (or matching a glob) listed on the
 * driver, the list (never the bytes) spread over the tasks, each file read and explained by
 * {@link ExplainTransformer} where its task runs, and one row per file (its path, then the
 * explanation) written as Parquet or JSON lines. Runs on the session it is given: an embedded
 * {@code local[*]} one by default, a cluster's under {@code spark-submit}.
 */
public final class SparkBatch {
  /** What to do when the output folder exists already. */
  public enum Mode {
    /** Refuse to start (the default). */
    ERROR,
    /** Replace it. */
    OVERWRITE,
    /** Add the new rows to it. */
    APPEND
  }

  /**
   * What to explain and where to write it; {@code pixels} may be null for the model's defaults;
   * {@code resume} explains only the files whose paths are not in the output yet, and appends.
   */
  public record Job(String model, String labels, String images, String out, String format, int partitions,
      String method, String layer, int topK, int batchSize, boolean heatMap, boolean png, PixelScaling pixels, int intraOpThreads,
      int interOpThreads, Mode mode, boolean resume) {
    /** A job with TensorFlow's default thread pools, into a new output folder. */
    public Job(String model, String labels, String images, String out, String format, int partitions, String method, String layer,
        int topK, int batchSize, boolean heatMap, boolean png, PixelScaling pixels) {
      this(model, labels, images, out, format, partitions, method, layer, topK, batchSize, heatMap, png, pixels, 0, 0, Mode.ERROR, false);
    }

    public Job {
      pixels = pixels == null ? PixelScaling.DEFAULT : pixels;
      mode = mode == null ? Mode.ERROR : mode;
      if (!format.equals("parquet") && !format.equals("json")) {
        throw new ExplainException("The output format is parquet or json, got '" + format + "'");
      }
    }

    /** The same job, resuming (or not) into its output. */
    public Job withResume(boolean value) {
      return new Job(model, labels, images, out, format, partitions, method, layer, topK, batchSize, heatMap, png, pixels, intraOpThreads,
          interOpThreads, mode, value);
    }

    /** The same job with another output mode. */
    public Job withMode(Mode value) {
      return new Job(model, labels, images, out, format, partitions, method, layer, topK, batchSize, heatMap, png, pixels, intraOpThreads,
          interOpThreads, value, resume);
    }
  }

  /**
   * What a run did: files listed, and of them skipped (already in the output, when resuming),
   * explained and failed, which add up; the failures by their {@code errorKind}.
   */
  public record Summary(long listed, long skipped, long explained, long failed, Map<String, Long> failures, double seconds) {
    public Summary {
      failures = Map.copyOf(failures);
    }

    public double imagesPerSecond() {
      return (explained + failed) / seconds;
    }

    @Override
    public String toString() {
      StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "listed %d files: explained %d, failed %d", listed, explained, failed));
      if (!failures.isEmpty()) {
        s.append(new java.util.TreeMap<>(failures).entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
            .collect(java.util.stream.Collectors.joining(", ", " (", ")")));
      }
      if (skipped > 0) {
        s.append(", skipped ").append(skipped).append(" already in the output");
      }
      return s.append(String.format(Locale.ROOT, ", in %.1f s (%.1f images/s)", seconds, imagesPerSecond())).toString();
    }
  }

  /** The extensions read from a folder (a glob reads what it names). */
  private static final String EXTENSIONS = "*.{png,PNG,jpg,JPG,jpeg,JPEG,bmp,BMP,gif,GIF,tif,TIF,tiff,TIFF}";

  /** Files per partition when the job does not say: small enough to spread, large enough that a task outweighs its start. */
  private static final int FILES_PER_PARTITION = 500;

  private SparkBatch() {}

  /**
   * An embedded session for {@code master} ({@code local[*]} by default), without the web UI.
   * <b>The session must be stopped.</b>
   */
  public static SparkSession localSession(String master) {
    return localSession(master, Map.of());
  }

  /** The same with Spark settings ({@code --conf key=value}). <b>The session must be stopped.</b> */
  public static SparkSession localSession(String master, Map<String, String> conf) {
    SparkSession.Builder b = SparkSession.builder().master(master).appName("explain4j batch").config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4");
    conf.forEach(b::config);
    return b.getOrCreate();
  }

  /** The transformer a job explains with, reading each row's file from its {@code path} column. */
  static ExplainTransformer transformer(Job job) {
    ExplainTransformer explain = new ExplainTransformer().setModelPath(job.model()).setInputCol("path")
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
    return explain;
  }

  /** Runs the job on {@code spark}. */
  public static Summary run(SparkSession spark, Job job) {
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    org.apache.hadoop.fs.Path out = new org.apache.hadoop.fs.Path(job.out());
    boolean existed = exists(out, hadoop);
    if (existed && job.mode() == Mode.ERROR && !job.resume()) {
      throw new ExplainException("The output folder " + job.out() + " exists; give a new one, or --mode overwrite, --mode append"
          + " or --resume");
    }
    ExplainTransformer explain = transformer(job);
    // The model and its layer are checked here, on the driver, before anything is listed or read. In local mode the
    // driver's JVM runs the tasks too: the model it loads stays for them instead of being loaded twice.
    explain.checkModel(spark.sparkContext().isLocal());
    long start = System.nanoTime();
    boolean folder = isFolder(job.images(), hadoop);
    List<String> listed = Listing.of(hadoop, job.images(), folder);
    Set<String> done = job.resume() && existed ? written(spark, job) : Set.of();
    List<String> todo = done.isEmpty() ? listed : listed.stream().filter(p -> !done.contains(p)).toList();
    int slices = job.partitions() > 0 ? job.partitions()
        : Math.max(1, Math.min(todo.size(), Math.max(spark.sparkContext().defaultParallelism(), (todo.size() + FILES_PER_PARTITION - 1)
            / FILES_PER_PARTITION)));
    // Only the paths are spread over the tasks (no shuffle): each task reads its own files.
    JavaRDD<String> paths = JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(todo, slices);
    Dataset<Row> rows = spark.createDataset(paths.rdd(), Encoders.STRING()).toDF("path");
    JobCounts counts = JobCounts.register(spark.sparkContext());
    Dataset<Row> explained = explain.transformCounting(rows, counts);
    SaveMode save = job.resume() || job.mode() == Mode.APPEND ? SaveMode.Append
        : job.mode() == Mode.OVERWRITE ? SaveMode.Overwrite : SaveMode.ErrorIfExists;
    try {
      explained.write().mode(save).format(job.format()).save(job.out());
    } catch (RuntimeException e) {
      if (!existed) {
        delete(out, hadoop); // a failed job leaves no folder behind, so that the same command can run again
      }
      throw e;
    }
    Map<String, Long> failures = counts.failures();
    long failed = failures.values().stream().mapToLong(Long::longValue).sum();
    return new Summary(listed.size(), listed.size() - todo.size(), counts.explainedCount(), failed, failures,
        (System.nanoTime() - start) / 1e9);
  }

  /** The paths already in a job's output. */
  private static Set<String> written(SparkSession spark, Job job) {
    Dataset<Row> old = spark.read().format(job.format()).load(job.out());
    if (!java.util.Arrays.asList(old.columns()).contains("path")) {
      throw new ExplainException("Cannot resume into " + job.out() + ": its rows have no path column (columns: "
          + String.join(", ", old.columns()) + ")");
    }
    return new HashSet<>(old.select("path").as(Encoders.STRING()).collectAsList());
  }

  private static boolean exists(org.apache.hadoop.fs.Path path, Configuration hadoop) {
    try {
      return path.getFileSystem(hadoop).exists(path);
    } catch (IOException e) {
      throw new ExplainException("Cannot look up " + path + ": " + e, e);
    }
  }

  private static boolean isFolder(String images, Configuration hadoop) {
    try {
      org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(images);
      return path.getFileSystem(hadoop).getFileStatus(path).isDirectory();
    } catch (java.io.FileNotFoundException e) {
      return false; // a glob, or nothing there: the listing says which
    } catch (IOException e) {
      throw new ExplainException("Cannot look up " + images + ": " + e, e);
    }
  }

  private static void delete(org.apache.hadoop.fs.Path path, Configuration hadoop) {
    try {
      path.getFileSystem(hadoop).delete(path, true);
    } catch (IOException e) {
      // nothing was written, or it is gone already
    }
  }

  /** The files a job reads, listed on the driver with Hadoop's FileSystem as Spark lists them, in path order. */
  static final class Listing {
    private Listing() {}

    static List<String> of(Configuration hadoop, String images, boolean folder) {
      try {
        org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(images);
        FileSystem fs = root.getFileSystem(hadoop);
        List<String> paths = new ArrayList<>();
        if (folder) {
          java.nio.file.PathMatcher matcher = java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + EXTENSIONS);
          org.apache.hadoop.fs.RemoteIterator<org.apache.hadoop.fs.LocatedFileStatus> it = fs.listFiles(root, true);
          while (it.hasNext()) {
            org.apache.hadoop.fs.LocatedFileStatus status = it.next();
            if (!hidden(status.getPath(), root) && matcher.matches(Path.of(status.getPath().getName()))) {
              paths.add(status.getPath().toString());
            }
          }
        } else {
          org.apache.hadoop.fs.FileStatus[] matched = fs.globStatus(root);
          for (org.apache.hadoop.fs.FileStatus status : matched == null ? new org.apache.hadoop.fs.FileStatus[0] : matched) {
            if (status.isFile()) {
              paths.add(status.getPath().toString());
            }
          }
        }
        if (paths.isEmpty()) {
          throw new ExplainException("No image files at " + images + (folder ? " (searched for " + EXTENSIONS + ")" : ""));
        }
        java.util.Collections.sort(paths);
        return paths;
      } catch (IOException e) {
        throw new ExplainException("Cannot list " + images + ": " + e.getMessage(), e);
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

  private static double[] doubles(float[] values) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }
}
