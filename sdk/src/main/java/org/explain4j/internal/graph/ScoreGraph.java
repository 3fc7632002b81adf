package org.explain4j.internal.graph;

import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.explain4j.model.Layer;
import org.explain4j.model.ScoreKind;
import org.explain4j.exceptions.ExplainException;
import org.explain4j.internal.tf.FloatTypes;
import org.explain4j.internal.tf.PassThrough;

/**
 * The nodes explain4j adds to a model's graph, once per (layer, score) pair: a target-class input that
 * defaults to the arg-max of the scores, a one-hot seed for the target's score, and the gradient
 * of that score with respect to the chosen layer only. The gradient subgraph stops at the layer,
 * so an explanation costs little more than a prediction.
 */
public final class ScoreGraph {
  private static final System.Logger LOG = System.getLogger("org.explain4j");
  private static final Pattern MISSING_GRADIENT = Pattern.compile("(?i)no gradient defined for op:? ?'?([A-Za-z0-9_]+)");

  private final Output<?> score;
  private final boolean distribution;
  private final ScoreKind kindUsed;
  /** One sigmoid unit explained as two classes: scores {@code [-z, z]}, the output one probability per item. */
  private final boolean binary;
  /** The output's producer when the output is a Softmax or Sigmoid of the score, else null. */
  private final String activationOfScore;
  private final int classes;
  private final Output<TInt32> targets;
  private final Output<?> layerOutput;
  private final Output<?> gradients;
  /** Whether the graph above the layer took a batch of several ranks' values (until a run says otherwise). */
  private volatile boolean tilesRanks = true;

  /**
   * {@code kind} null asks for the default: the logit where there is a Softmax or Sigmoid behind
   * the output, else the output (said once in the log). An explicit {@link ScoreKind#LOGIT} with
   * no activation to look behind is an error that names what produces the output.
   */
  public ScoreGraph(ModelGraph model, Layer layer, ScoreKind kind) {
    this(model, layer, kind, 0);
  }

  /**
   * {@code serial} tells this pair's nodes from other pairs' in the same graph (0 for the first).
   * Graph walks and additions hold the graph's monitor: TensorFlow's graph is not safe to walk
   * while another thread adds consumers to its nodes. Session runs never take it.
   */
  public ScoreGraph(ModelGraph model, Layer layer, ScoreKind kind, int serial) {
    synchronized (model.graph()) {
      Built b = build(model, layer, kind, serial);
      this.score = b.score;
      this.distribution = b.distribution;
      this.activationOfScore = b.activationOfScore;
      this.classes = b.classes;
      this.targets = b.targets;
      this.layerOutput = b.layerOutput;
      this.gradients = b.gradients;
      this.binary = b.binary;
      this.kindUsed = b.kindUsed;
    }
  }

  private record Built(Output<?> score, boolean distribution, String activationOfScore, int classes, Output<TInt32> targets,
      Output<?> layerOutput, Output<?> gradients, boolean binary, ScoreKind kindUsed) {}

  private static Built build(ModelGraph model, Layer layer, ScoreKind kind, int serial) {
    // TF-slim ends in Reshape(Softmax(Reshape(logits))): the activation is the producer behind the shape ops.
    GraphOperation producer = producer(model.outputTensor());
    GraphOperation activation = producer.type().equals("Softmax") || producer.type().equals("Sigmoid") ? producer : null;
    boolean distribution = activation != null;
    boolean logit = kind != ScoreKind.OUTPUT && activation != null;
    // A Dense (or convolution) with no activation already outputs logits: asking for the logit is asking for the output.
    boolean outputIsLogit = activation == null && LINEAR.contains(producer.type());
    if (activation == null && kind == ScoreKind.LOGIT && !outputIsLogit) {
      throw new ExplainException("The logit was asked for, but output '" + model.output().key() + "' has no Softmax or Sigmoid"
          + " behind it and is not a logit itself: it comes from " + producer.type() + " '" + producer.name() + "'. Differentiate"
          + " the output itself (ScoreKind.OUTPUT, --score output), or leave the score to its default");
    }
    if (activation == null && kind == null) {
      LOG.log(System.Logger.Level.INFO, "Output '" + model.output().key() + "' has no Softmax or Sigmoid behind it (it comes from "
          + producer.type() + " '" + producer.name() + "'): the output itself is the score");
    }
    // Behind pass-through and shape-only ops (Identity, IdentityN, Reshape, Squeeze...) lies the real output.
    Output<?> score = logit ? activation.input(0) : PassThrough.source(model.outputTensor());
    String activationOfScore = logit ? activation.type() : null;
    if (score.dataType() != DataType.DT_FLOAT) {
      throw new ExplainException("The score tensor " + score.op().name() + " is " + score.dataType() + "; expected DT_FLOAT");
    }
    Shape shape = score.shape();
    boolean matrix = shape.numDimensions() == 2;
    int classes;
    if (shape.numDimensions() == 1) {
      classes = 1;
    } else if (matrix && shape.get(1) > 0) {
      classes = (int) shape.get(1);
    } else {
      throw new ExplainException("The score tensor " + score.op().name() + " has shape " + shape
          + "; expected [batch, classes] with a known number of classes, or [batch]");
    }
    GraphOperation layerOp = model.op(layer);
    if (!GraphPaths.ancestors((GraphOperation) score.op()).contains(layerOp)) {
      throw new ExplainException("The score " + score.op().name() + " is not reachable from layer '" + layer.name()
          + "': no gradient flows between them. Choose a layer on the path to the output: " + model.layerNames());
    }
    Output<?> layerOutput = layerOp.output(0);
    String suffix = serial == 0 ? "" : "_" + serial;
    Ops tf = Ops.create(model.graph()).withSubScope("explain4j" + suffix);
    Operand<TFloat32> s = score.expect(TFloat32.class);
    // One sigmoid unit is a two-class model: class 1 is scored by its logit z, class 0 by -z, and the
    // predicted class is 1 where p >= 0.5 (z >= 0), as Keras' binary accuracy counts it.
    boolean binary = logit && activation.type().equals("Sigmoid") && matrix && classes == 1;
    Operand<TInt32> defaults;
    if (binary) {
      defaults = tf.reshape(tf.dtypes.cast(tf.math.greaterEqual(s, tf.constant(0f)), TInt32.class), tf.constant(new int[] {-1}));
      s = tf.withName("binary_scores").concat(List.of(tf.math.neg(s), s), tf.constant(1));
      classes = 2;
    } else {
      defaults = matrix
          ? tf.math.argMax(s, tf.constant(1), TInt32.class)
          : tf.zerosLike(tf.dtypes.cast(s, TInt32.class));
    }
    Output<TInt32> targets = tf.placeholderWithDefault(defaults, Shape.of(-1)).output();
    Operand<TFloat32> seed = matrix
        ? tf.oneHot(targets, tf.constant(classes), tf.constant(1f), tf.constant(0f))
        : tf.onesLike(s);
    Output<?> gradients;
    try {
      gradients = model.graph().addGradients("explain4j_gradients" + suffix,
          new Output<?>[] {s.asOutput()}, new Output<?>[] {layerOutput}, new Output<?>[] {seed.asOutput()})[0];
    } catch (RuntimeException e) {
      throw missingGradient(model, layer, layerOp, score, e);
    }
    ScoreKind used = logit || kind == ScoreKind.LOGIT && outputIsLogit ? ScoreKind.LOGIT : ScoreKind.OUTPUT;
    return new Built(s.asOutput(), distribution, activationOfScore, classes, targets, layerOutput, gradients, binary, used);
  }

  /** Whether later target ranks may share one run, their layer values tiled along the batch. */
  public boolean tilesRanks() {
    return tilesRanks;
  }

  /**
   * Records that the graph above the layer refused a batch of several ranks' values (a shape
   * fixed there): from now on each rank gets its own run, with the same results. Said once.
   */
  public void ranksNeedTheirOwnRuns(RuntimeException why) {
    if (tilesRanks) {
      tilesRanks = false;
      LOG.log(System.Logger.Level.INFO, "The graph above layer " + layerOutput.op().name() + " fixes its batch ("
          + String.valueOf(why.getMessage()).lines().findFirst().orElse("")
          + "): target ranks after the first run one at a time");
    }
  }

  /** The differentiated score tensor, {@code [batch, classes]} or {@code [batch]}. */
  public Output<?> score() {
    return score;
  }

  /** The score actually differentiated: the logit under a Softmax or Sigmoid, else the output itself. */
  public ScoreKind kindUsed() {
    return kindUsed;
  }

  /** Whether the output is a distribution (Softmax) or probabilities (Sigmoid). */
  public boolean distribution() {
    return distribution;
  }

  /** The number of classes the score has (1 for a {@code [batch]} score). */
  public int classes() {
    return classes;
  }

  /** The target-class input; defaults to the arg-max of the scores. */
  public Output<TInt32> targets() {
    return targets;
  }

  /** The layer's output tensor. */
  public Output<?> layerOutput() {
    return layerOutput;
  }

  /** The gradient of the target's score with respect to the layer's output. */
  public Output<?> gradients() {
    return gradients;
  }

  /** Ops whose output is a linear function of their inputs: a model output from one of them is a logit. */
  private static final Set<String> LINEAR = Set.of("MatMul", "BatchMatMul", "BatchMatMulV2", "BatchMatMulV3", "BiasAdd", "Add",
      "AddV2", "Sub", "Conv2D", "Conv3D", "DepthwiseConv2dNative", "Einsum");

  /** The op that computes {@code output}'s values, behind pass-through ops, shape-only ops and float casts. */
  private static GraphOperation producer(Output<?> output) {
    Output<?> t = PassThrough.source(output);
    for (int step = 0; step < 32; step++) {
      GraphOperation op = (GraphOperation) t.op();
      String type = op.type();
      boolean castToFloat = type.equals("Cast") && FloatTypes.isFloat(op.output(0).dataType()) && FloatTypes.isFloat(op.input(0).dataType());
      if (!SHAPE_ONLY.contains(type) && !castToFloat && !PassThrough.TYPES.contains(type) || op.numInputs() == 0) {
        return op;
      }
      t = PassThrough.source(op.input(0));
    }
    return (GraphOperation) t.op();
  }

  /** Ops that change a tensor's shape or type, never its values' order within a row. */
  private static final Set<String> SHAPE_ONLY = Set.of("Reshape", "Squeeze", "ExpandDims", "StopGradient");

  /** Whether the output can be computed from the scores in Java instead of being fetched. */
  public boolean outputDerivable() {
    return activationOfScore != null && !binary;
  }

  /**
   * Whether the output is one sigmoid unit explained as two classes: the scores are {@code [-z, z]}
   * (class 0, class 1) while the output holds one probability {@code p} per item, that of class 1.
   */
  public boolean binary() {
    return binary;
  }

  /** The Softmax (over each row of {@code classes}) or Sigmoid of the scores. */
  public float[] outputFromScores(float[] logits) {
    float[] out = new float[logits.length];
    if (activationOfScore.equals("Sigmoid")) {
      for (int i = 0; i < logits.length; i++) {
        out[i] = (float) (1 / (1 + Math.exp(-logits[i])));
      }
      return out;
    }
    for (int row = 0; row < logits.length; row += classes) {
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < classes; c++) {
        max = Math.max(max, logits[row + c]);
      }
      double sum = 0;
      for (int c = 0; c < classes; c++) {
        sum += Math.exp(logits[row + c] - max);
      }
      for (int c = 0; c < classes; c++) {
        out[row + c] = (float) (Math.exp(logits[row + c] - max) / sum);
      }
    }
    return out;
  }

  /** Names the op without a gradient and a later layer to try. */
  private static ExplainException missingGradient(ModelGraph model, Layer layer, GraphOperation layerOp, Output<?> score,
      RuntimeException e) {
    Matcher m = MISSING_GRADIENT.matcher(String.valueOf(e.getMessage()));
    if (!m.find()) {
      return new ExplainException("TensorFlow could not build the gradient of the score with respect to layer '"
          + layer.name() + "': " + e.getMessage(), e);
    }
    String type = m.group(1);
    Set<GraphOperation> between = GraphPaths.descendants(layerOp);
    between.retainAll(GraphPaths.ancestors((GraphOperation) score.op()));
    List<GraphOperation> culprits = between.stream().filter(op -> op.type().equals(type)).toList();
    String where = culprits.isEmpty() ? "" : " (" + culprits.stream()
        .map(op -> op.name() + model.layerContaining(op).map(l -> " in layer '" + l.name() + "'").orElse(""))
        .toList() + ")";
    // Only layers of the same kind (a spatial layer for a spatial one): a MatMul is no use to Grad-CAM.
    List<String> later = model.layers().stream()
        .filter(l -> l.index() > layer.index())
        .filter(l -> l.shape().numDimensions() == layer.shape().numDimensions())
        .filter(l -> culprits.stream().noneMatch(GraphPaths.descendants(model.op(l))::contains))
        .map(Layer::name)
        .toList();
    return new ExplainException("No gradient is registered for op type '" + type + "'" + where
        + " on the path from layer '" + layer.name() + "' to the score"
        + (later.isEmpty() ? "." : "; choose a later layer, such as '" + later.get(0) + "'"), e);
  }
}
