package org.explain4j.spark;

import java.util.Arrays;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleArrayParam;
import org.apache.spark.ml.param.FloatParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.explain4j.input.PixelScaling;

/**
 * A Spark ML {@code Transformer} that appends an explanation column to a DataFrame. The input
 * column may hold Spark's {@code image} struct, encoded image bytes ({@code binaryFile}'s
 * {@code content}), a tensor ({@code array<float>} with {@link #shape()}) or token ids
 * ({@code array<int>}). The output column is described in {@code docs/batch.md}: the explained
 * targets (class, label, score, probability, layer map, optional heat map and overlay PNG), or an
 * error for a row that could not be explained: one bad row never fails the job.
 *
 * <pre>{@code
 * Dataset<Row> images = spark.read().format("binaryFile").load("photos/*.jpg");
 * Dataset<Row> explained = new ExplainTransformer()
 *     .setModelPath("/models/resnet50").setInputCol("content").setTopK(2).transform(images);
 * }</pre>
 *
 * Only the model's location travels to the executors (a path, a {@code file:}, {@code hdfs:} or
 * {@code s3a:} URI, or a file shipped with {@code --files}); each executor JVM loads the model once
 * and keeps it until it exits. A string input column holds image paths or URIs, read on the
 * executors. The transformer is {@code MLWritable} and {@code MLReadable}: a Pipeline holding it
 * saves and loads as any other.
 */
public final class ExplainTransformer extends Transformer implements DefaultParamsWritable {
  private final String uid;
  private final Param<String> modelPath;
  private final Param<String> labelsPath;
  private final Param<String> inputCol;
  private final Param<String> outputCol;
  private final Param<String> method;
  private final Param<String> layer;
  private final IntParam topK;
  private final IntArrayParam targets;
  private final IntParam batchSize;
  private final IntParam intraOpThreads;
  private final IntParam interOpThreads;
  private final IntArrayParam shape;
  private final BooleanParam emitHeatMap;
  private final BooleanParam emitPng;
  private final FloatParam pixelScale;
  private final DoubleArrayParam pixelMean;
  private final DoubleArrayParam pixelStd;

  public ExplainTransformer() {
    this(Identifiable.randomUID("explain4j"));
  }

  public ExplainTransformer(String uid) {
    // The uid first: a Param records its parent's uid when it is made.
    this.uid = uid;
    this.modelPath = new Param<>(this, "modelPath", "SavedModel directory or frozen graph .pb, readable on every executor");
    this.labelsPath = new Param<>(this, "labelsPath", "class labels, one per line (optional)");
    this.inputCol = new Param<>(this, "inputCol", "the input column");
    this.outputCol = new Param<>(this, "outputCol", "the explanation column to add");
    this.method = new Param<>(this, "method", "attribution method(s), comma-separated (default: the layer's)");
    this.layer = new Param<>(this, "layer", "layer name or index (default: automatic)");
    this.topK = new IntParam(this, "topK", "explain the K most probable classes");
    this.targets = new IntArrayParam(this, "targets", "explain these classes for every row (overrides topK)");
    this.batchSize = new IntParam(this, "batchSize", "rows per session run within a partition");
    this.intraOpThreads = new IntParam(this, "intraOpThreads", "threads one TensorFlow op may use per executor (0: TensorFlow's choice)");
    this.interOpThreads = new IntParam(this, "interOpThreads", "TensorFlow ops run at once per executor (0: TensorFlow's choice)");
    this.shape = new IntArrayParam(this, "shape", "one item's shape, for array<float> columns");
    this.emitHeatMap = new BooleanParam(this, "emitHeatMap", "add the heat map at the input's size");
    this.emitPng = new BooleanParam(this, "emitPng", "add the overlay PNG of each target");
    this.pixelScale = new FloatParam(this, "pixelScale", "images: multiplies 0..255 pixel values (default: 1/255, or 1 for uint8 inputs)");
    this.pixelMean = new DoubleArrayParam(this, "pixelMean", "images: per-channel mean subtracted after scaling (optional)");
    this.pixelStd = new DoubleArrayParam(this, "pixelStd", "images: per-channel standard deviation divided by after the mean (optional)");
    setDefault(inputCol, "image");
    setDefault(outputCol, "explanation");
    setDefault(topK, 1);
    setDefault(targets, new int[0]);
    setDefault(batchSize, 32);
    setDefault(intraOpThreads, 0);
    setDefault(interOpThreads, 0);
    setDefault(shape, new int[0]);
    setDefault(emitHeatMap, false);
    setDefault(emitPng, false);
  }

  @Override
  public String uid() {
    return uid;
  }

  public Param<String> modelPath() {
    return modelPath;
  }

  public Param<String> labelsPath() {
    return labelsPath;
  }

  public Param<String> inputCol() {
    return inputCol;
  }

  public Param<String> outputCol() {
    return outputCol;
  }

  public Param<String> method() {
    return method;
  }

  public Param<String> layer() {
    return layer;
  }

  public IntParam topK() {
    return topK;
  }

  public IntArrayParam targets() {
    return targets;
  }

  public IntParam batchSize() {
    return batchSize;
  }

  public IntParam intraOpThreads() {
    return intraOpThreads;
  }

  public IntParam interOpThreads() {
    return interOpThreads;
  }

  public IntArrayParam shape() {
    return shape;
  }

  public BooleanParam emitHeatMap() {
    return emitHeatMap;
  }

  public BooleanParam emitPng() {
    return emitPng;
  }

  public FloatParam pixelScale() {
    return pixelScale;
  }

  public DoubleArrayParam pixelMean() {
    return pixelMean;
  }

  public DoubleArrayParam pixelStd() {
    return pixelStd;
  }

  public ExplainTransformer setPixelScale(float value) {
    set(pixelScale, value);
    return this;
  }

  public ExplainTransformer setPixelMean(double... value) {
    set(pixelMean, value);
    return this;
  }

  public ExplainTransformer setPixelStd(double... value) {
    set(pixelStd, value);
    return this;
  }

  public ExplainTransformer setModelPath(String value) {
    set(modelPath, value);
    return this;
  }

  public ExplainTransformer setLabelsPath(String value) {
    set(labelsPath, value);
    return this;
  }

  public ExplainTransformer setInputCol(String value) {
    set(inputCol, value);
    return this;
  }

  public ExplainTransformer setOutputCol(String value) {
    set(outputCol, value);
    return this;
  }

  public ExplainTransformer setMethod(String value) {
    set(method, value);
    return this;
  }

  public ExplainTransformer setLayer(String value) {
    set(layer, value);
    return this;
  }

  public ExplainTransformer setTopK(int value) {
    set(topK, value);
    return this;
  }

  public ExplainTransformer setTargets(int... value) {
    set(targets, value);
    return this;
  }

  public ExplainTransformer setBatchSize(int value) {
    set(batchSize, value);
    return this;
  }

  /** TensorFlow's session thread pools on each executor: threads per op and ops at once (0: TensorFlow's choice). */
  public ExplainTransformer setThreads(int intraOp, int interOp) {
    set(intraOpThreads, intraOp);
    set(interOpThreads, interOp);
    return this;
  }

  public ExplainTransformer setShape(int... value) {
    set(shape, value);
    return this;
  }

  public ExplainTransformer setEmitHeatMap(boolean value) {
    set(emitHeatMap, value);
    return this;
  }

  public ExplainTransformer setEmitPng(boolean value) {
    set(emitPng, value);
    return this;
  }

  @Override
  public StructType transformSchema(StructType schema) {
    if (!isDefined(modelPath)) {
      throw new IllegalArgumentException("ExplainTransformer needs modelPath (setModelPath)");
    }
    String in = getOrDefault(inputCol);
    if (!Arrays.asList(schema.fieldNames()).contains(in)) {
      throw new IllegalArgumentException("No input column '" + in + "'; the columns are " + Arrays.toString(schema.fieldNames()));
    }
    InputKind.of(in, schema.apply(in).dataType());
    if (intOf(topK) < 1 || intOf(batchSize) < 1) {
      throw new IllegalArgumentException("topK and batchSize must be at least 1");
    }
    if (intOf(intraOpThreads) < 0 || intOf(interOpThreads) < 0) {
      throw new IllegalArgumentException("intraOpThreads and interOpThreads must be 0 (TensorFlow's choice) or more");
    }
    return OutputSchema.withOutput(schema, getOrDefault(outputCol));
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    return transformCounting(dataset, null);
  }

  /** The same, counting explained and failed rows into {@code counts} (the batch job's summary). */
  Dataset<Row> transformCounting(Dataset<?> dataset, JobCounts counts) {
    StructType out = transformSchema(dataset.schema());
    String in = getOrDefault(inputCol);
    InputKind kind = InputKind.of(in, dataset.schema().apply(in).dataType());
    long[] itemShape = Arrays.stream(getOrDefault(shape)).asLongStream().toArray();
    ExplainSettings settings = settings();
    int column = dataset.schema().fieldIndex(in);
    return dataset.toDF().mapPartitions(new PartitionExplainer(settings, column, kind, itemShape, counts), Encoders.row(out));
  }

  private ExplainSettings settings() {
    return new ExplainSettings(getOrDefault(modelPath), isDefined(labelsPath) ? getOrDefault(labelsPath) : null,
        isDefined(layer) ? getOrDefault(layer) : null, isDefined(method) ? getOrDefault(method) : null, intOf(topK),
        getOrDefault(targets), intOf(batchSize), (Boolean) getOrDefault(emitHeatMap), (Boolean) getOrDefault(emitPng), pixels(),
        intOf(intraOpThreads), intOf(interOpThreads));
  }

  /**
   * Loads the model here, on the driver, checks the layer and methods against it, and frees it:
   * a missing model or a wrong layer is the same {@link org.explain4j.exceptions.ExplainException}
   * as on the executors, in seconds, before any file is listed or read.
   */
  public void checkModel() {
    checkModel(false);
  }

  /**
   * The same; with {@code keepLoaded} the model stays loaded in this JVM for the tasks that run in
   * it (local mode), as they would load it themselves.
   */
  void checkModel(boolean keepLoaded) {
    if (!isDefined(modelPath)) {
      throw new IllegalArgumentException("ExplainTransformer needs modelPath (setModelPath)");
    }
    ExplainSettings settings = settings();
    if (keepLoaded) {
      // Building the explainer checks the layer and methods; closing it leaves the model loaded.
      Explainers.get(settings, null).close();
      return;
    }
    try (org.explain4j.ExplainModel model = org.explain4j.ExplainModel.load(settings.config(null))) {
      model.prepare(settings.options());
    }
  }

  /** The pixel settings given, unset ones left to the model's defaults. */
  private PixelScaling pixels() {
    return new PixelScaling(isDefined(pixelScale) ? (Float) getOrDefault(pixelScale) : null,
        isDefined(pixelMean) ? floats(getOrDefault(pixelMean)) : null, isDefined(pixelStd) ? floats(getOrDefault(pixelStd)) : null);
  }

  private static float[] floats(double[] values) {
    float[] out = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (float) values[i];
    }
    return out;
  }

  private int intOf(IntParam p) {
    return (Integer) getOrDefault(p);
  }

  @Override
  public ExplainTransformer copy(ParamMap extra) {
    return (ExplainTransformer) defaultCopy(extra);
  }

  /**
   * Reads a transformer saved with {@code write().save(path)} (or within a saved Pipeline): Spark
   * ML's persistence, its Params as JSON metadata.
   */
  public static MLReader<ExplainTransformer> read() {
    return new DefaultParamsReader<>();
  }

  /** {@code read().load(path)}. */
  public static ExplainTransformer load(String path) {
    return read().load(path);
  }
}
