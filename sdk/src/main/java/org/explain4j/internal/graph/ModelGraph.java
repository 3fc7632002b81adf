package org.explain4j.internal.graph;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Output;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.explain4j.exceptions.ExplainException;
import org.explain4j.exceptions.ModelLoadException;
import org.explain4j.internal.tf.LoadedModel;
import org.explain4j.internal.tf.PassThrough;
import org.explain4j.model.DataFormat;
import org.explain4j.model.Layer;
import org.explain4j.model.ModelDescription;
import org.explain4j.model.TensorSpec;

/**
 * A loaded model seen as explain4j needs it: the signature's chosen input and output, the tensor
 * whose gradient is taken, and the candidate layers between them.
 */
public final class ModelGraph {
  /** Op types never worth listing as layers, besides the pass-through ones. */
  private static final Set<String> NOT_LAYERS = Set.of(
      "Const", "Placeholder", "PlaceholderWithDefault", "NoOp", "ReadVariableOp", "Cast");
  /** Convolution ops: automatic choice prefers the activation that follows the last one. */
  private static final Set<String> CONVOLUTIONS = Set.of(
      "Conv2D", "Conv3D", "DepthwiseConv2dNative", "Conv", "_FusedConv2D", "Conv2DBackpropInput");
  /** Element-wise ops that keep a convolution's shape: bias, normalisation, activation. */
  private static final Set<String> ELEMENTWISE = Set.of(
      "BiasAdd", "Add", "AddV2", "Mul", "Sub", "Relu", "Relu6", "Elu", "Selu", "LeakyRelu", "Sigmoid", "Tanh",
      "Softplus", "FusedBatchNorm", "FusedBatchNormV2", "FusedBatchNormV3", "Identity");

  private final Graph graph;
  private final Signature signature;
  private final TensorSpec input;
  private final TensorSpec output;
  private final Output<?> inputTensor;
  private final Output<?> outputTensor;
  /** The op that produces the output's values behind pass-through ops (Softmax, Sigmoid, MatMul...). */
  private final GraphOperation outputProducer;
  private final List<Layer> layers;
  private final List<ModelDescription.LayerRow> rows;
  private final Set<GraphOperation> pathOps;
  /**
   * Ops after a global pooling (a mean or max over height and width): a 1x1 "convolution" there
   * is a dense layer in disguise (TF-slim's Logits/Conv2d_1c_1x1), whatever shape the graph
   * declares when the input's size is unknown. Automatic choice never picks them.
   */
  private final Set<GraphOperation> afterGlobalPool;
  /** Whether the input is raw text (decided once at load: explanations ask it on every call). */
  private final boolean textInput;
  /** The pixel scaling the graph does right after its input, or null ({@link InGraphScaling}). */
  private final String inGraphScaling;
  /** Keras layers that hold a convolution, although they output its activation. */
  private final Set<String> convolutionLayers;

  public ModelGraph(LoadedModel loaded, String signatureKey, String inputKey, String outputKey, DataFormat declaredFormat) {
    this.graph = loaded.graph();
    this.signature = loaded.signatures().stream().filter(s -> s.key().equals(signatureKey)).findFirst()
        .orElseThrow(() -> new ModelLoadException("No signature '" + signatureKey + "' in the model; it has "
            + loaded.signatures().stream().map(Signature::key).sorted().toList()));
    this.input = pick(signature.getInputs(), inputKey, "input");
    this.output = pick(signature.getOutputs(), outputKey, "output");
    this.inputTensor = graph.outputOrThrow(input.tensorName());
    this.inGraphScaling = input.dataType() == org.tensorflow.proto.DataType.DT_FLOAT ? InGraphScaling.detect(loaded.session(), inputTensor) : null;
    if (inGraphScaling != null) {
      System.getLogger("org.explain4j").log(System.Logger.Level.INFO, "Input '" + input.key() + "' is scaled in the graph ("
          + inGraphScaling + "): images are fed as raw 0..255 pixels unless a scale is given");
    }
    this.outputTensor = graph.outputOrThrow(output.tensorName());
    this.outputProducer = (GraphOperation) PassThrough.source(outputTensor).op();
    Set<GraphOperation> downstream = GraphPaths.descendants((GraphOperation) inputTensor.op());
    Set<GraphOperation> upstream = GraphPaths.ancestors((GraphOperation) outputTensor.op());
    downstream.retainAll(upstream);
    this.pathOps = downstream;
    // The text ops lie on the path: a string input reaches its embedding through them.
    this.textInput = input.dataType() == org.tensorflow.proto.DataType.DT_STRING
        && pathOps.stream().anyMatch(op -> TEXT_OPS.contains(op.type()));
    List<GraphOperation> candidates = new ArrayList<>();
    for (GraphOperation op : GraphPaths.topological(graph, pathOps)) {
      if (op.numOutputs() == 0 || NOT_LAYERS.contains(op.type()) || PassThrough.TYPES.contains(op.type())) {
        continue;
      }
      Output<?> out = op.output(0);
      Shape shape = out.shape();
      if (GraphPaths.isFloat(out.dataType()) && !shape.isUnknown() && shape.numDimensions() >= 2) {
        candidates.add(op);
      }
    }
    KerasLayers keras = new KerasLayers(loaded.kerasLayers(), candidates, outputProducer);
    List<Layer> found = new ArrayList<>();
    for (GraphOperation op : candidates) {
      String name = keras.layerOf(op);
      if (name != null && !keras.isOutput(op)) {
        continue; // a Keras layer is listed once, at the op it outputs
      }
      DataFormat format = declaredFormat != null ? declaredFormat : detectFormat(op);
      found.add(new Layer(found.size(), name != null ? name : op.name(), op.name(), op.type(), op.output(0).shape(), format));
    }
    this.convolutionLayers = keras.layersContaining(CONVOLUTIONS);
    this.afterGlobalPool = afterGlobalPool(loaded.session(), pathOps);
    this.layers = List.copyOf(found);
    List<ModelDescription.LayerRow> scoped = rows(layers);
    this.rows = loaded.flattened() && loaded.kerasLayers().isEmpty() ? keras3Names(scoped) : scoped;
  }

  public Graph graph() {
    return graph;
  }

  public Signature signature() {
    return signature;
  }

  /** The signature input explained. */
  public TensorSpec input() {
    return input;
  }

  /** The signature output explained. */
  public TensorSpec output() {
    return output;
  }

  public Output<?> inputTensor() {
    return inputTensor;
  }

  public Output<?> outputTensor() {
    return outputTensor;
  }

  /** The op that produces the output's values behind pass-through ops (Softmax, Sigmoid, MatMul...). */
  public GraphOperation outputProducer() {
    return outputProducer;
  }

  /** The pixel scaling the graph does right after its input ("Mul by 0.00392157 at '...'"), or null. */
  public String inGraphScaling() {
    return inGraphScaling;
  }

  /** The ops on the differentiable path from the input to the output. */
  Set<GraphOperation> pathOps() {
    return pathOps;
  }

  /** The candidate layers, in topological order. */
  public List<Layer> layers() {
    return layers;
  }

  /**
   * The model as users see it, with the layers as they name them (Keras layers, name scopes, lone
   * ops: see {@link #rows(List)}) and {@code chosen}, the layer explained, or null when none is.
   */
  public ModelDescription describe(Layer chosen) {
    return new ModelDescription(signature().key(), inputs(), outputs(), layers, rows, chosen, inGraphScaling);
  }

  /**
   * One row per layer: a Keras-named layer as it is; op-named layers grouped by name scope, a scope
   * nested in another scope of candidate ops (a convolution's {@code convolution/} or
   * {@code BatchNorm/batchnorm/}) counting as part of it, each scope standing for its output;
   * ops at the top level alone.
   */
  private List<ModelDescription.LayerRow> rows(List<Layer> all) {
    Set<String> scopes = new HashSet<>();
    for (Layer l : all) {
      int slash = l.op().lastIndexOf('/');
      if (l.name().equals(l.op()) && slash > 0) {
        scopes.add(l.op().substring(0, slash));
      }
    }
    List<ModelDescription.LayerRow> out = new ArrayList<>();
    Set<String> listed = new HashSet<>();
    for (Layer l : all) {
      int slash = l.op().lastIndexOf('/');
      if (!l.name().equals(l.op()) || slash < 0) {
        out.add(new ModelDescription.LayerRow(l.name(), l));
        continue;
      }
      String scope = l.op().substring(0, slash);
      // The outermost scope of candidate ops that holds this one.
      for (String s = scope; s.lastIndexOf('/') > 0; ) {
        s = s.substring(0, s.lastIndexOf('/'));
        if (scopes.contains(s)) {
          scope = s;
        }
      }
      if (listed.add(scope)) {
        Layer output = layerInScope(scope);
        out.add(new ModelDescription.LayerRow(scope, output != null ? output : l));
      }
    }
    return out;
  }

  /**
   * Keras 3's {@code model.export()} keeps no layer names, and traces every layer under a scope
   * with a {@code _1} suffix ({@code sequential_1/Conv1_1} for the layer {@code Conv1}). Where every
   * scoped row of a function-based model without Keras metadata ends so, the rows are named as
   * Keras names the layers; the scopes still work as names too.
   */
  private static List<ModelDescription.LayerRow> keras3Names(List<ModelDescription.LayerRow> rows) {
    List<ModelDescription.LayerRow> scoped = rows.stream().filter(r -> r.name().contains("/")).toList();
    if (scoped.size() < 2 || !scoped.stream().allMatch(r -> r.name().matches(".*/[^/]+_1"))) {
      return rows;
    }
    List<ModelDescription.LayerRow> out = new ArrayList<>();
    for (ModelDescription.LayerRow r : rows) {
      String last = r.name().substring(r.name().lastIndexOf('/') + 1);
      out.add(r.name().contains("/") ? new ModelDescription.LayerRow(last.substring(0, last.length() - 2), r.layer()) : r);
    }
    return out;
  }

  /** Every signature input, sorted by key. */
  public List<TensorSpec> inputs() {
    return specs(signature.getInputs());
  }

  /** Every signature output, sorted by key. */
  public List<TensorSpec> outputs() {
    return specs(signature.getOutputs());
  }

  /** The signature tensors of one side, as specs. */
  private List<TensorSpec> specs(Map<String, Signature.TensorDescription> side) {
    return side.entrySet().stream()
        .map(e -> new TensorSpec(e.getKey(), e.getValue().name, e.getValue().dataType, shapeOf(e.getValue())))
        .sorted(Comparator.comparing(TensorSpec::key))
        .toList();
  }

  /**
   * A signature tensor's shape. TensorFlow Java reads a shape of unknown rank (a TF1 placeholder
   * declared with no shape) as a scalar: the graph's own tensor tells the two apart.
   */
  private Shape shapeOf(Signature.TensorDescription d) {
    if (d.shape.numDimensions() == 0) {
      Output<?> tensor = graph.output(d.name);
      if (tensor != null && tensor.shape().isUnknown()) {
        return Shape.unknown();
      }
    }
    return d.shape;
  }

  private TensorSpec pick(Map<String, Signature.TensorDescription> side, String key, String what) {
    List<TensorSpec> specs = specs(side);
    if (key == null) {
      if (specs.size() != 1) {
        throw new ModelLoadException("The signature has " + specs.size() + " " + what + "s " + specs.stream().map(TensorSpec::key).toList()
            + ": choose one with opt" + Character.toUpperCase(what.charAt(0)) + what.substring(1) + "(name)");
      }
      return specs.get(0);
    }
    return specs.stream().filter(s -> s.key().equals(key)).findFirst()
        .orElseThrow(() -> new ModelLoadException("No " + what + " '" + key + "' in the signature; it has "
            + specs.stream().map(TensorSpec::key).toList()));
  }

  /** Channels-first when the op, or the conv-like op it passes through, says NCHW / NCW. */
  private static DataFormat detectFormat(GraphOperation op) {
    GraphOperation current = op;
    for (int step = 0; step < 16; step++) {
      String format = dataFormatAttr(current);
      if (format != null) {
        return format.startsWith("NC") ? DataFormat.CHANNELS_FIRST : DataFormat.CHANNELS_LAST;
      }
      if (!ELEMENTWISE.contains(current.type()) || current.numInputs() == 0) {
        break;
      }
      current = (GraphOperation) current.input(0).op();
    }
    return DataFormat.CHANNELS_LAST;
  }

  private static String dataFormatAttr(GraphOperation op) {
    try {
      return op.attributes().getAttrString("data_format");
    } catch (RuntimeException e) {
      return null; // this op has no data_format attribute
    }
  }

  public GraphOperation op(Layer layer) {
    return graph.operationOrThrow(layer.op());
  }

  public boolean onPath(GraphOperation op) {
    return pathOps.contains(op);
  }

  /** Whether the input is token ids or a sequence, so that temporal layers are explained. */
  public boolean sequenceInput() {
    Shape shape = input.shape();
    // Token ids are int32 or int64; uint8 inputs are pixels.
    boolean ids = input.dataType() == org.tensorflow.proto.DataType.DT_INT32 || input.dataType() == org.tensorflow.proto.DataType.DT_INT64;
    return ids || textInput() || shape.numDimensions() == 3 && layers.stream().noneMatch(Layer::isSpatial);
  }

  /** Ops that read text: a string input that reaches one of them is raw text (anything else is encoded images). */
  private static final Set<String> TEXT_OPS = Set.of("StringSplit", "StringSplitV2", "LookupTableFindV2", "LookupTableFind",
      "StringToHashBucketFast", "StringToHashBucketStrong", "StringToHashBucket", "StringLower", "StaticRegexReplace", "RegexReplace",
      "StringNGrams", "UnicodeDecode", "UnicodeDecodeWithOffsets", "WordpieceTokenizeWithOffsets");

  /** Whether the input is raw text: strings that the graph splits or looks up, rather than decodes as images. */
  public boolean textInput() {
    return textInput;
  }

  /** The layer automatic choice picks, or an exception saying why there is none. */
  public Layer automaticLayer() {
    if (sequenceInput()) {
      return layers.stream().filter(Layer::isTemporal).reduce((a, b) -> b).orElseThrow(() -> new ExplainException(
          "No temporal layer (output [batch, time, channels] with time > 1) and no spatial layer between input '"
              + input.key() + "' " + input.shape() + " and output '" + output.key() + "'; the last layers: " + lastNames()
              + ". Choose a layer by name or index for a raw explanation (all layers: `explain4j layers --model DIR`)."));
    }
    List<Layer> spatial = layers.stream().filter(Layer::isSpatial).filter(l -> !afterGlobalPool.contains(op(l))).toList();
    if (spatial.isEmpty()) {
      throw new ExplainException("No spatial layer (output [batch, height, width, channels] with height and width > 1) between input '"
          + input.key() + "' " + input.shape() + " and output '" + output.key() + "'; the last layers: " + lastNames()
          + ". Choose a layer by name or index for a raw explanation (all layers: `explain4j layers --model DIR`).");
    }
    Layer lastConv = null;
    for (Layer l : spatial) {
      if (CONVOLUTIONS.contains(l.opType()) || convolutionLayers.contains(l.name())) {
        lastConv = l;
      }
    }
    if (lastConv == null) {
      return spatial.get(spatial.size() - 1);
    }
    // Follow the convolution's bias, normalisation and activation while the shape stays the same.
    Layer chosen = lastConv;
    for (Layer l : spatial) {
      if (l.index() > chosen.index() && ELEMENTWISE.contains(l.opType()) && java.util.Arrays.equals(l.shape().asArray(), chosen.shape().asArray())
          && readsFrom(op(l), op(chosen))) {
        chosen = l;
      }
    }
    return chosen;
  }

  /** Reductions that pool over positions when their axes are height and width. */
  private static final Set<String> REDUCTIONS = Set.of("Mean", "Max", "Min", "Sum");

  private static Set<GraphOperation> afterGlobalPool(org.tensorflow.Session session, Set<GraphOperation> pathOps) {
    Set<GraphOperation> after = new HashSet<>();
    for (GraphOperation op : pathOps) {
      if (after.contains(op) || !REDUCTIONS.contains(op.type()) || op.numInputs() != 2 || op.input(0).shape().numDimensions() != 4) {
        continue;
      }
      double[] axes = op.input(1).dataType() == org.tensorflow.proto.DataType.DT_INT32 ? ConstantValues.read(session, op.input(1), 4) : null;
      if (axes == null) {
        continue; // axes that depend on a feed: not a fixed pooling
      }
      Set<Integer> reduced = new HashSet<>();
      for (double axis : axes) {
        int a = (int) axis;
        reduced.add(a < 0 ? a + 4 : a);
      }
      if (reduced.equals(Set.of(1, 2)) || reduced.equals(Set.of(2, 3))) {
        Set<GraphOperation> later = GraphPaths.descendants(op);
        later.remove(op);
        after.addAll(later);
      }
    }
    // TF-slim with an input of unknown size: AvgPool (VALID) -> 1x1 conv -> Squeeze of height and width.
    // The squeeze says the pool left 1x1; what lies between them is after global pooling.
    for (GraphOperation op : pathOps) {
      if (!op.type().equals("Squeeze") || op.input(0).shape().numDimensions() != 4) {
        continue;
      }
      Set<Long> dims = new HashSet<>();
      for (long d : op.attributes().getAttrIntList("squeeze_dims")) {
        dims.add(d < 0 ? d + 4 : d);
      }
      if (!dims.containsAll(Set.of(1L, 2L)) && !dims.containsAll(Set.of(2L, 3L))) {
        continue;
      }
      List<GraphOperation> between = new ArrayList<>();
      GraphOperation at = (GraphOperation) op.input(0).op();
      for (int step = 0; step < 16 && pathOps.contains(at); step++) {
        if (POOLS.contains(at.type())) {
          after.addAll(between);
          break;
        }
        between.add(at);
        at = (GraphOperation) at.input(0).op();
      }
    }
    return after;
  }

  private static final Set<String> POOLS = Set.of("AvgPool", "MaxPool", "Mean", "Max");

  private static boolean readsFrom(GraphOperation consumer, GraphOperation producer) {
    return consumer.inputs().stream().anyMatch(i -> i.op().equals(producer));
  }

  /** The layer with this name, with the closest names in the message when there is none. */
  public Layer layerNamed(String name) {
    for (Layer l : layers) {
      if (l.name().equals(name) || l.op().equals(name)) {
        return l;
      }
    }
    for (ModelDescription.LayerRow r : rows) {
      if (r.name().equals(name)) {
        return r.layer(); // a listed name (a Keras 3 layer, a scope)
      }
    }
    Layer scoped = layerInScope(name);
    if (scoped != null) {
      return scoped;
    }
    GraphOperation op = graph.operation(name);
    if (op != null) {
      throw new ExplainException("Operation '" + name + "' (" + op.type() + ") is not a layer on the path from input '"
          + input.key() + "' to output '" + output.key() + "'"
          + (onPath(op) ? " (its output is not a float tensor of rank 2 or more)" : "")
          + "; layers automatic choice considers: " + candidateNames()
          + " (all layers: `explain4j layers --model DIR`, or describe() on the explainer's builder)");
    }
    List<String> close = ClosestNames.of(name, layerNames(), 5);
    String hint = !close.isEmpty() ? "; closest: " + close
        : "; layers automatic choice considers: " + candidateNames();
    throw new ExplainException("No layer named '" + name + "'" + hint
        + " (all layers: `explain4j layers --model DIR`, or describe() on the explainer's builder)");
  }

  /**
   * The layer a name scope stands for, as Keras (TF1 backend), {@code tf.compat.v1} and TF-slim
   * graphs name them ({@code conv1d_1/Relu}, {@code .../Conv2d_13_pointwise/Relu6}): among the
   * candidate layers under {@code scope/}, the last one read by an op outside the scope (the
   * scope's output), or the last one; null when no candidate lies in such a scope.
   */
  private Layer layerInScope(String scope) {
    Layer found = null;
    Layer readOutside = null;
    for (Layer l : layers) {
      String prefix = scopePrefix(l.op(), scope);
      if (prefix == null) {
        continue;
      }
      found = l;
      GraphOperation op = op(l);
      for (int i = 0; i < op.numOutputs(); i++) {
        for (GraphOperation consumer : op.consumers(i)) {
          if (!consumer.name().startsWith(prefix)) {
            readOutside = l;
          }
        }
      }
    }
    return readOutside != null ? readOutside : found;
  }

  /** The op name's prefix up to and including {@code scope/}, or null when the scope is not in its path. */
  private static String scopePrefix(String opName, String scope) {
    if (opName.startsWith(scope + "/")) {
      return scope + "/";
    }
    int at = opName.indexOf("/" + scope + "/");
    return at < 0 ? null : opName.substring(0, at + scope.length() + 2);
  }

  public Layer layerAt(int index) {
    if (index < 0 || index >= layers.size()) {
      throw new ExplainException("Layer index " + index + " is out of range: the model has " + layers.size()
          + " candidate layers (0.." + (layers.size() - 1) + ")");
    }
    return layers.get(index);
  }

  /** The layer that outputs {@code op}, or whose name scope holds it. */
  public java.util.Optional<Layer> layerContaining(GraphOperation op) {
    List<String> segments = List.of(op.name().split("/"));
    return layers.stream()
        .filter(l -> l.op().equals(op.name()) || (!l.name().equals(l.op()) && segments.contains(l.name())))
        .findFirst();
  }

  /** At most the last eight layer names, with how many more there are: messages stay one readable line. */
  private String lastNames() {
    List<String> names = layerNames();
    List<String> last = names.subList(Math.max(0, names.size() - 8), names.size());
    return (names.size() > last.size() ? "(" + (names.size() - last.size()) + " more before) " : "") + last;
  }

  /** The last few layers of the kind automatic choice picks from (spatial, or temporal for sequences). */
  private List<String> candidateNames() {
    List<String> kind = layers.stream().filter(sequenceInput() ? Layer::isTemporal : Layer::isSpatial).map(Layer::name).toList();
    List<String> names = kind.isEmpty() ? layerNames() : kind;
    return names.subList(Math.max(0, names.size() - 5), names.size());
  }

  public List<String> layerNames() {
    return layers.stream().map(Layer::name).toList();
  }
}
