package org.explain4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.explain4j.BatchOptions;
import org.explain4j.Explainer;
import org.explain4j.ItemExplanation;
import org.explain4j.TargetExplanation;
import org.explain4j.Targets;
import org.explain4j.input.ImagePreprocessor;
import org.explain4j.input.Images;
import org.explain4j.input.InputBatch;
import org.explain4j.testkit.TestModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transformer and the batch job on a local[2] session: one row per input, the same maps as
 * {@code explainAll} in one JVM, error rows for corrupt and unreadable files, one model load per
 * JVM, and Parquet that Spark reads back.
 */
class ExplainTransformerTest {
  static final int IMAGES = 9;

  @TempDir
  static Path dir;
  static Path model;
  static Path images;
  static SparkSession spark;

  @BeforeAll
  static void setUp() throws Exception {
    model = TestModels.cnn(dir.resolve("cnn"), true);
    images = Files.createDirectories(dir.resolve("images"));
    Random rng = new Random(5);
    for (int i = 0; i < IMAGES; i++) {
      BufferedImage image = TestModels.noise(rng, TestModels.W, TestModels.H);
      Images.writePng(image, images.resolve("img-" + i + ".png"));
    }
    byte[] garbage = new byte[300];
    rng.nextBytes(garbage);
    Files.write(images.resolve("corrupt.png"), garbage);
    Files.write(images.resolve("truncated.png"), java.util.Arrays.copyOf(Files.readAllBytes(images.resolve("img-0.png")), 40));
    spark = SparkBatch.localSession("local[2]");
  }

  @AfterAll
  static void tearDown() {
    if (spark != null) {
      spark.stop();
    }
    Explainers.closeAll();
  }

  /** In one JVM, without Spark: each image file's first target, by file name. */
  static Map<String, TargetExplanation> expected(Targets targets) {
    return expected(targets, 1 / 255f, 0f);
  }

  /** The same with pixels scaled by {@code scale}, less {@code mean}. */
  static Map<String, TargetExplanation> expected(Targets targets, float scale, float mean) {
    Map<String, TargetExplanation> out = new HashMap<>();
    try (Explainer explainer = Explainer.builder().setModel(model).build()) {
      ImagePreprocessor pre = ImagePreprocessor.forModel(explainer.model()).optScale(scale).optMean(mean).build();
      List<String> names = new ArrayList<>();
      List<InputBatch> batches = new ArrayList<>();
      for (int i = 0; i < IMAGES; i++) {
        names.add("img-" + i + ".png");
        batches.add(pre.toBatch(List.of(Images.read(images.resolve("img-" + i + ".png")))));
      }
      List<ItemExplanation> all = explainer.explainAll(batches, BatchOptions.builder().optBatchSize(4).optTargets(targets).build())
          .toList();
      for (int i = 0; i < IMAGES; i++) {
        out.put(names.get(i), all.get(i).explanation().orElseThrow().first(0));
      }
    }
    return out;
  }

  static String name(Row row) {
    boolean image = java.util.Arrays.asList(row.schema().fieldNames()).contains("image");
    String path = image ? row.getStruct(row.fieldIndex("image")).getAs("origin") : row.getAs("path");
    return path.substring(path.lastIndexOf('/') + 1);
  }

  static void assertSame(TargetExplanation expected, Row target) {
    assertEquals(expected.target(), (int) target.getAs("target"));
    assertEquals(expected.probability().getAsDouble(), (double) target.getAs("probability"), 1e-6);
    Row map = target.getStruct(target.fieldIndex("layerMap"));
    assertEquals(List.of(expected.layerMap().height(), expected.layerMap().width()), map.getList(0));
    List<Float> values = map.getList(1);
    float[] want = expected.layerMap().values();
    for (int i = 0; i < want.length; i++) {
      assertEquals(want[i], values.get(i), 1e-5 * Math.max(1, Math.abs(want[i])), "value " + i);
    }
  }

  @Test
  void binaryFilesGiveOneRowEachWithExplainAllsMapsAndErrorRowsForBadFiles() {
    int before = Explainers.loads();
    Dataset<Row> files = spark.read().format("binaryFile").load(images.toString()).repartition(3);
    List<Row> rows = new ExplainTransformer().setModelPath(model.toString()).setInputCol("content").setBatchSize(2)
        .transform(files).collectAsList();
    assertEquals(IMAGES + 2, rows.size());
    Map<String, TargetExplanation> expected = expected(Targets.predicted());
    for (Row row : rows) {
      Row explanation = row.getStruct(row.fieldIndex("explanation"));
      String error = explanation.getAs("error");
      if (name(row).startsWith("img-")) {
        assertNull(error, name(row));
        List<Row> targets = explanation.getList(0);
        assertEquals(1, targets.size());
        assertSame(expected.get(name(row)), targets.get(0));
      } else {
        assertNotNull(error, name(row) + " must be an error row");
        assertTrue(error.contains("decode") || error.contains("format"), error);
        assertEquals(0, explanation.getList(0).size());
      }
    }
    // Later jobs with the same model reuse it, whatever their options: one load in this JVM in all.
    new ExplainTransformer().setModelPath(model.toString()).setInputCol("content").setTopK(2).transform(files).count();
    List<Row> other = new ExplainTransformer().setModelPath(model.toString()).setInputCol("content").setMethod("hires-cam,layer-cam")
        .setLayer("conv1/Relu").transform(files).collectAsList();
    assertEquals(1, Explainers.loads() - before);
    for (Row row : other) {
      if (name(row).startsWith("img-")) {
        List<Row> targets = row.getStruct(row.fieldIndex("explanation")).getList(0);
        assertEquals(2, targets.size(), "one entry per method: " + targets);
        Row layerMap = targets.get(0).getAs("layerMap");
        assertEquals(List.of(16, 16), layerMap.getList(0), "conv1's maps (conv2's are 8x8)");
      }
    }
  }

  @Test
  void sparksImageSourceAndTensorColumnsGiveTheSameMaps() {
    Map<String, TargetExplanation> expected = expected(Targets.topK(2));
    Dataset<Row> decoded = spark.read().format("image").option("dropInvalid", "false").load(images.toString());
    List<Row> rows = new ExplainTransformer().setModelPath(model.toString()).setTopK(2).setEmitHeatMap(true).setEmitPng(true)
        .transform(decoded).collectAsList();
    assertEquals(IMAGES + 2, rows.size());
    long errors = 0;
    for (Row row : rows) {
      Row explanation = row.getStruct(row.fieldIndex("explanation"));
      if (explanation.getAs("error") != null) {
        errors++;
        continue;
      }
      List<Row> targets = explanation.getList(0);
      assertEquals(2, targets.size());
      assertSame(expected.get(name(row)), targets.get(0));
      Row heat = targets.get(0).getStruct(targets.get(0).fieldIndex("heatMap"));
      assertEquals(List.of(TestModels.H, TestModels.W), heat.getList(0));
      byte[] png = targets.get(0).getAs("png");
      assertTrue(Images.decode(png, "overlay").getWidth() >= TestModels.W);
    }
    assertEquals(2, errors, "the corrupt and truncated files");

    // The same pixels as tensors: array<float> rows with a shape.
    List<Row> tensors = new ArrayList<>();
    try (Explainer explainer = Explainer.builder().setModel(model).build()) {
      ImagePreprocessor pre = ImagePreprocessor.forModel(explainer.model()).build();
      for (int i = 0; i < IMAGES; i++) {
        float[] values = pre.toBatch(List.of(Images.read(images.resolve("img-" + i + ".png")))).toFloats();
        tensors.add(RowFactory.create("img-" + i + ".png", values));
      }
    }
    StructType schema = new StructType().add("path", DataTypes.StringType)
        .add("pixels", DataTypes.createArrayType(DataTypes.FloatType));
    List<Row> fromTensors = new ExplainTransformer().setModelPath(model.toString()).setInputCol("pixels").setTopK(2)
        .setShape(TestModels.H, TestModels.W, 3).transform(spark.createDataFrame(tensors, schema)).collectAsList();
    for (Row row : fromTensors) {
      assertSame(expected.get(name(row)), row.getStruct(row.fieldIndex("explanation")).<Row>getList(0).get(0));
    }
  }

  /** Pixels scaled to [-1, 1] (as MobileNet wants them) in the transformer and the batch job: the SDK's maps on such pixels. */
  @Test
  void pixelSettingsReachThePreprocessing() {
    Map<String, TargetExplanation> scaled = expected(Targets.predicted(), 2 / 255f, 1f);
    Map<String, TargetExplanation> plain = expected(Targets.predicted());
    Dataset<Row> files = spark.read().format("binaryFile").load(images.toString());
    List<Row> rows = new ExplainTransformer().setModelPath(model.toString()).setInputCol("content").setPixelScale(2 / 255f)
        .setPixelMean(1).transform(files).filter("explanation.error is null").collectAsList();
    assertEquals(IMAGES, rows.size());
    int differ = 0;
    for (Row row : rows) {
      Row target = row.getStruct(row.fieldIndex("explanation")).<Row>getList(0).get(0);
      assertSame(scaled.get(name(row)), target);
      differ += Math.abs(plain.get(name(row)).probability().getAsDouble() - (double) target.getAs("probability")) > 1e-3 ? 1 : 0;
    }
    assertTrue(differ > 0, "the settings change the inputs");
    Path out = dir.resolve("out-scaled");
    SparkBatch.run(spark, new SparkBatch.Job(model.toString(), null, images.toString(), out.toString(), "parquet", 0, null, null, 1, 4,
        false, false, new org.explain4j.input.PixelScaling(2 / 255f, new float[] {1f}, null)));
    for (Row row : spark.read().parquet(out.toString()).filter("explanation.error is null").collectAsList()) {
      assertSame(scaled.get(name(row)), row.getStruct(row.fieldIndex("explanation")).<Row>getList(0).get(0));
    }
  }

  @Test
  void theBatchJobWritesParquetThatReadsBackAndCountsFailures() {
    Path out = dir.resolve("out-parquet");
    SparkBatch.Summary summary = SparkBatch.run(spark, new SparkBatch.Job(model.toString(), null, images.toString(), out.toString(),
        "parquet", 2, null, null, 1, 4, false, false, null));
    assertEquals(IMAGES, summary.explained());
    assertEquals(2, summary.failed());
    Dataset<Row> back = spark.read().parquet(out.toString());
    assertEquals(IMAGES + 2, back.count());
    Map<String, TargetExplanation> expected = expected(Targets.predicted());
    for (Row row : back.filter("explanation.error is null").collectAsList()) {
      assertSame(expected.get(name(row)), row.getStruct(row.fieldIndex("explanation")).<Row>getList(0).get(0));
    }
    Path json = dir.resolve("out-json");
    SparkBatch.run(spark, new SparkBatch.Job(model.toString(), null, images.toString(), json.toString(), "json", 0, null, null, 1, 4,
        false, false, null));
    try (Stream<Path> files = Files.list(json)) {
      List<Path> parts = files.filter(p -> p.getFileName().toString().startsWith("part-")).collect(Collectors.toList());
      long lines = parts.stream().mapToLong(p -> {
        try {
          return Files.readAllLines(p).size();
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).sum();
      assertEquals(IMAGES + 2, lines);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void everyListedFileGetsExactlyOneRowEmptyAndTruncatedOnesAsErrors() throws Exception {
    // Spark's file scan drops files of zero bytes, and a truncated JPEG decodes partly: neither may vanish or pass.
    Path folder = Files.createDirectories(dir.resolve("one-row-each"));
    try (Stream<Path> good = Files.list(images)) {
      for (Path p : good.filter(p -> p.getFileName().toString().startsWith("img-")).limit(3).toList()) {
        Files.copy(p, folder.resolve(p.getFileName()));
      }
    }
    Files.write(folder.resolve("empty.png"), new byte[0]);
    byte[] photo = Files.readAllBytes(org.explain4j.testkit.TestData.image("grace_hopper.jpg"));
    Files.write(folder.resolve("truncated.jpg"), java.util.Arrays.copyOf(photo, photo.length / 3));
    Path out = dir.resolve("out-one-row-each");
    // A model of its own (the same weights at another path): other tests count this JVM's loads of the shared one.
    Path ownModel = TestModels.cnn(dir.resolve("cnn-one-row-each"), true);
    SparkBatch.Summary summary = SparkBatch.run(spark, new SparkBatch.Job(ownModel.toString(), null, folder.toString(), out.toString(),
        "parquet", 0, null, null, 1, 4, false, false, null));
    assertEquals(5, summary.listed());
    assertEquals(3, summary.explained());
    assertEquals(2, summary.failed());
    assertEquals(Map.of("empty file", 1L, "not a decodable image", 1L), summary.failures());
    Map<String, String> errors = new java.util.HashMap<>();
    List<Row> rows = spark.read().parquet(out.toString()).collectAsList();
    assertEquals(5, rows.size(), "one row per file");
    for (Row row : rows) {
      String path = row.getAs("path");
      Row explanation = row.getStruct(row.fieldIndex("explanation"));
      errors.put(path.substring(path.lastIndexOf('/') + 1), explanation.getAs("error"));
    }
    assertEquals(5, errors.size(), "no file twice");
    assertTrue(errors.get("empty.png").contains("empty (0 bytes)"), errors.toString());
    assertTrue(errors.get("truncated.jpg").contains("truncated JPEG"), errors.toString());
  }

  @Test
  void aWrongLayerOrAMissingModelFailsOnTheDriverBeforeAnyFileIsReadAndLeavesNoFolder() {
    Path out = dir.resolve("out-never");
    org.explain4j.exceptions.ExplainException layer = org.junit.jupiter.api.Assertions.assertThrows(
        org.explain4j.exceptions.ExplainException.class, () -> SparkBatch.run(spark, new SparkBatch.Job(model.toString(), null,
            images.toString(), out.toString(), "parquet", 0, null, "conv9/Relu", 1, 4, false, false, null)));
    assertTrue(layer.getMessage().contains("No layer named 'conv9/Relu'"), layer.getMessage());
    org.explain4j.exceptions.ExplainException missing = org.junit.jupiter.api.Assertions.assertThrows(
        org.explain4j.exceptions.ExplainException.class, () -> SparkBatch.run(spark, new SparkBatch.Job(dir.resolve("no-model").toString(),
            null, images.toString(), out.toString(), "parquet", 0, null, null, 1, 4, false, false, null)));
    assertTrue(missing.getMessage().contains("no-model"), missing.getMessage());
    assertTrue(!Files.exists(out), "no output folder is left behind");
  }

  @Test
  void aMissingColumnOrModelPathIsAClearError() {
    Dataset<Row> files = spark.read().format("binaryFile").load(images.toString());
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> new ExplainTransformer().setModelPath(model.toString()).setInputCol("pixels").transform(files));
    assertTrue(e.getMessage().contains("content"), e.getMessage());
    e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> new ExplainTransformer().setInputCol("content").transform(files));
    assertTrue(e.getMessage().contains("modelPath"), e.getMessage());
  }
}
