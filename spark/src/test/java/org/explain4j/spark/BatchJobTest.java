package org.explain4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.explain4j.Explainer;
import org.explain4j.Explanation;
import org.explain4j.Provenance;
import org.explain4j.exceptions.ExplainException;
import org.explain4j.input.ImagePreprocessor;
import org.explain4j.input.Images;
import org.explain4j.testkit.TestModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The batch job as a long-running cluster job needs it: only paths move between tasks, error rows
 * counted by kind, provenance on every row, output modes and resuming, model locations as URIs and
 * shipped files, Spark ML persistence, and a cluster master refused with the command to use.
 */
class BatchJobTest {
  static final int GOOD = 6;

  @TempDir
  static Path dir;
  static Path model;
  static Path images;
  static SparkSession spark;

  @BeforeAll
  static void setUp() throws Exception {
    model = TestModels.cnn(dir.resolve("cnn"), true);
    images = Files.createDirectories(dir.resolve("images"));
    Random rng = new Random(11);
    for (int i = 0; i < GOOD; i++) {
      Images.writePng(TestModels.noise(rng, TestModels.W, TestModels.H), images.resolve("img-" + i + ".png"));
    }
    byte[] garbage = new byte[200];
    rng.nextBytes(garbage);
    Files.write(images.resolve("broken.png"), garbage);
    spark = SparkBatch.localSession("local[2]", Map.of("spark.hadoop.fs.foreign.impl", ForeignFileSystem.class.getName()));
  }

  @AfterAll
  static void tearDown() {
    if (spark != null) {
      spark.stop();
    }
    Explainers.closeAll();
  }

  static SparkBatch.Job job(String modelLocation, Path from, Path out, int partitions) {
    return new SparkBatch.Job(modelLocation, null, from.toString(), out.toString(), "parquet", partitions, null, null, 1, 2, false, false,
        null);
  }

  static String file(Row row) {
    String path = row.getAs("path");
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** Each task's shuffle bytes written, summed. */
  static final class ShuffleBytes extends SparkListener {
    final AtomicLong written = new AtomicLong();
    final AtomicLong tasks = new AtomicLong();

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
      tasks.incrementAndGet();
      if (end.taskMetrics() != null) {
        written.addAndGet(end.taskMetrics().shuffleWriteMetrics().bytesWritten());
      }
    }
  }

  @Test
  void onlyThePathListIsSpreadOverTheTasksNeverTheImageBytes() {
    ShuffleBytes shuffle = new ShuffleBytes();
    spark.sparkContext().addSparkListener(shuffle);
    Path out = dir.resolve("out-no-shuffle");
    try {
      SparkBatch.run(spark, job(model.toString(), images, out, 3));
    } finally {
      spark.sparkContext().removeSparkListener(shuffle);
    }
    List<Row> rows = spark.read().parquet(out.toString()).collectAsList();
    assertEquals(GOOD + 1, rows.size());
    long pathBytes = rows.stream().mapToLong(r -> r.<String>getAs("path").getBytes(StandardCharsets.UTF_8).length).sum();
    long imageBytes = 0;
    for (Row r : rows) {
      imageBytes += images.resolve(file(r)).toFile().length();
    }
    assertTrue(shuffle.tasks.get() >= 3, "the write ran as " + shuffle.tasks.get() + " tasks");
    assertTrue(shuffle.written.get() <= pathBytes, "shuffled " + shuffle.written.get() + " bytes; the paths are " + pathBytes
        + " bytes, the images " + imageBytes);
  }

  @Test
  void theSummaryCountsFailuresByKindAndEveryRowSaysHowItWasMade() {
    Path out = dir.resolve("out-provenance");
    SparkBatch.Summary summary = SparkBatch.run(spark, job(model.toString(), images, out, 0));
    assertEquals(GOOD + 1, summary.listed());
    assertEquals(GOOD, summary.explained());
    assertEquals(1, summary.failed());
    assertEquals(Map.of("not a decodable image", 1L), summary.failures());
    assertTrue(summary.toString().startsWith("listed 7 files: explained 6, failed 1 (not a decodable image 1)"), summary.toString());

    // The SDK's own provenance for the same model and image, made without Spark.
    Provenance expected;
    try (Explainer explainer = Explainer.builder().setModel(model).build()) {
      ImagePreprocessor pre = ImagePreprocessor.forModel(explainer.model()).build();
      Explanation e = explainer.explain(pre.toBatch(List.of(Images.read(images.resolve("img-0.png")))));
      expected = e.provenance();
    }
    for (Row row : spark.read().parquet(out.toString()).collectAsList()) {
      Row explanation = row.getAs("explanation");
      Row p = explanation.getAs("provenance");
      assertEquals(model.toString(), p.getAs("model"), "the model as the job named it");
      assertEquals(expected.layer(), p.getAs("layer"));
      assertEquals(expected.method(), p.getAs("method"));
      assertEquals(expected.signature(), p.getAs("signature"));
      assertEquals(expected.score().name(), p.getAs("score"));
      assertEquals(expected.engine(), p.getAs("engine"));
      assertEquals(expected.libraryVersion(), p.getAs("explain4jVersion"));
      assertEquals(expected.tensorFlowVersion(), p.getAs("tensorFlowVersion"));
      assertNotNull(p.getAs("tensorFlowVersion"));
      assertNull(p.getAs("devices"), "no GPU was given to the task");
      if (file(row).equals("broken.png")) {
        assertEquals("not a decodable image", explanation.getAs("errorKind"));
      } else {
        assertNull(explanation.getAs("errorKind"));
        assertNull(explanation.getAs("error"));
      }
    }
  }

  @Test
  void anExistingOutputIsRefusedReplacedAppendedToOrResumed() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("growing"));
    for (int i = 0; i < 3; i++) {
      Files.copy(images.resolve("img-" + i + ".png"), folder.resolve("img-" + i + ".png"));
    }
    Path out = dir.resolve("out-modes");
    SparkBatch.Job job = job(model.toString(), folder, out, 0);
    assertEquals(3, SparkBatch.run(spark, job).explained());
    ExplainException exists = assertThrows(ExplainException.class, () -> SparkBatch.run(spark, job));
    assertTrue(exists.getMessage().contains("exists") && exists.getMessage().contains("--resume"), exists.getMessage());

    for (int i = 3; i < 5; i++) {
      Files.copy(images.resolve("img-" + i + ".png"), folder.resolve("img-" + i + ".png"));
    }
    SparkBatch.Summary resumed = SparkBatch.run(spark, job.withResume(true));
    assertEquals(5, resumed.listed());
    assertEquals(3, resumed.skipped());
    assertEquals(2, resumed.explained());
    List<String> paths = spark.read().parquet(out.toString()).select("path").as(Encoders.STRING()).collectAsList();
    assertEquals(5, paths.size());
    assertEquals(5, new java.util.HashSet<>(paths).size(), "each file once: " + paths);
    assertEquals(0, SparkBatch.run(spark, job.withResume(true)).explained(), "nothing left to do");

    SparkBatch.run(spark, job.withMode(SparkBatch.Mode.APPEND));
    assertEquals(10, spark.read().parquet(out.toString()).count());
    SparkBatch.run(spark, job.withMode(SparkBatch.Mode.OVERWRITE));
    assertEquals(5, spark.read().parquet(out.toString()).count());
  }

  /** The maps of each image explained with the model at {@code location}, by file name. */
  static Map<String, List<Float>> maps(String location) {
    Dataset<Row> paths = spark.createDataset(List.of(images.resolve("img-0.png").toString(), images.resolve("img-1.png").toString()),
        Encoders.STRING()).toDF("path");
    Map<String, List<Float>> out = new HashMap<>();
    for (Row row : new ExplainTransformer().setModelPath(location).setInputCol("path").transform(paths).collectAsList()) {
      Row explanation = row.getAs("explanation");
      assertNull(explanation.getAs("error"), location + ": " + explanation.getAs("error"));
      Row target = explanation.<Row>getList(0).get(0);
      out.put(file(row), target.<Row>getAs("layerMap").getList(1));
    }
    return out;
  }

  @Test
  void modelsAreReadFromFileUrisOtherFileSystemsAndShippedFiles() {
    Map<String, List<Float>> plain = maps(model.toString());
    assertEquals(2, plain.size());
    assertEquals(plain, maps(model.toUri().toString()), "file: URI");
    String foreign = "foreign://" + model.toAbsolutePath();
    assertEquals(plain, maps(foreign), "another file system's URI");
    Path copy = ModelFiles.local(foreign);
    assertNotEquals(model.toAbsolutePath(), copy.toAbsolutePath(), "copied to local disk");
    assertTrue(Files.isRegularFile(copy.resolve("saved_model.pb")), copy.toString());

    spark.sparkContext().addFile(model.toString(), true);
    String shipped = model.getFileName().toString();
    assertTrue(!Files.exists(Path.of(shipped)), "the name alone is no path here");
    assertEquals(plain, maps(shipped), "a folder shipped with --files");

    ExplainException missing = assertThrows(ExplainException.class,
        () -> new ExplainTransformer().setModelPath("foreign://" + dir.resolve("nothing-here")).setInputCol("path").checkModel());
    assertTrue(missing.getMessage().contains("No model at foreign://"), missing.getMessage());
  }

  @Test
  void aPipelineHoldingTheTransformerSavesAndLoadsWithItsParams() throws Exception {
    ExplainTransformer explain = new ExplainTransformer().setModelPath(model.toString()).setInputCol("path").setTopK(2)
        .setMethod("grad-cam,layer-cam").setPixelScale(2 / 255f).setPixelMean(1, 1, 1).setBatchSize(3);
    Dataset<Row> paths = spark.createDataset(List.of(images.resolve("img-0.png").toString(), images.resolve("broken.png").toString()),
        Encoders.STRING()).toDF("path");
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {explain});
    PipelineModel fitted = pipeline.fit(paths);
    Path saved = dir.resolve("pipeline-model");
    fitted.write().save(saved.toString());
    PipelineModel loaded = PipelineModel.load(saved.toString());
    assertEquals(fitted.transform(paths).collectAsList(), loaded.transform(paths).collectAsList());

    Path unfitted = dir.resolve("pipeline");
    pipeline.write().save(unfitted.toString());
    ExplainTransformer back = (ExplainTransformer) Pipeline.load(unfitted.toString()).getStages()[0];
    assertEquals(explain.uid(), back.uid());
    for (org.apache.spark.ml.param.Param<?> param : explain.params()) {
      Object want = explain.isDefined(param) ? explain.getOrDefault(param) : null;
      Object got = back.isDefined(back.getParam(param.name())) ? back.getOrDefault(back.getParam(param.name())) : null;
      assertTrue(java.util.Objects.deepEquals(want, got), param.name() + ": " + want + " came back as " + got);
    }
    assertEquals(2, (int) back.getOrDefault(back.topK()));

    Path alone = dir.resolve("transformer");
    explain.write().save(alone.toString());
    assertEquals(explain.transform(paths).collectAsList(), ExplainTransformer.load(alone.toString()).transform(paths).collectAsList());
  }

  /** A task's GPU addresses become TensorFlow's visible devices (keeping the thread settings) and the CUDA engine's device. */
  @Test
  void aTasksGpusReachTheSessionSettingsAndTheCudaEngine() {
    ExplainSettings settings = new ExplainSettings(model.toString(), null, null, null, 1, new int[0], 4, false, false,
        org.explain4j.input.PixelScaling.DEFAULT, 2, 1);
    org.tensorflow.proto.ConfigProto session = settings.config("3,5").sessionConfig();
    assertEquals("3,5", session.getGpuOptions().getVisibleDeviceList());
    assertEquals(2, session.getIntraOpParallelismThreads());
    assertEquals(1, session.getInterOpParallelismThreads());
    assertEquals("", settings.config(null).sessionConfig().getGpuOptions().getVisibleDeviceList(), "no GPUs, no device list");
    String before = System.getProperty("explain4j.cuda.device");
    try {
      TaskDevices.pointCudaEngineAt("3,5");
      assertEquals("3", System.getProperty("explain4j.cuda.device"));
    } finally {
      if (before == null) {
        System.clearProperty("explain4j.cuda.device");
      } else {
        System.setProperty("explain4j.cuda.device", before);
      }
    }
  }

  @Test
  void aClusterMasterWithoutTheJobJarIsRefusedWithTheSubmitLine() {
    StringWriter err = new StringWriter();
    Path out = dir.resolve("out-never");
    int status = new CommandLine(new BatchCommand()).setErr(new PrintWriter(err)).execute("--master", "spark://127.0.0.1:1",
        "--job-jar", dir.resolve("no.jar").toString(), "--model", model.toString(), "--images", images.toString(), "--out",
        out.toString(), "--top-k", "2");
    assertNotEquals(0, status);
    String text = err.toString();
    assertTrue(text.contains("spark-submit --master spark://127.0.0.1:1 --class org.explain4j.spark.BatchCommand"), text);
    assertTrue(text.contains("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"), "the driver's opens, for cluster deploy mode: " + text);
    assertTrue(text.contains("--top-k 2") && !text.contains("--job-jar"), text);
    assertTrue(!Files.exists(out));
  }
}
