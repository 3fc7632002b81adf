package org.explain4j.internal.tf;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.TensorFlow;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;
import org.tensorflow.proto.SaverDef;
import org.tensorflow.proto.SavedObjectGraphOuterClass.SavedObject;
import org.tensorflow.types.TString;
import org.explain4j.exceptions.ExplainException;
import org.explain4j.exceptions.ModelLoadException;

/**
 * A SavedModel ready to explain: a graph whose layers are addressable, the session that runs it,
 * and the signatures. Flat (TF1) graphs are used as loaded; function-based (TF2 / Keras) graphs
 * are flattened by {@link GraphFlattener} into a new graph whose variables are restored from the
 * model's checkpoint.
 *
 * <p><b>Owns native memory: close it.</b>
 */
public final class LoadedModel implements AutoCloseable {
  private static final Pattern NAME = Pattern.compile("\"name\"\\s*:\\s*\"([^\"]+)\"");
  private static volatile Map<String, OpDef> registeredOps;

  private final Graph graph;
  private final Session session;
  private final List<Signature> signatures;
  /** For flattened graphs, flat node name -> its name inside the function it came from; else empty. */
  private final Map<String, String> provenance;
  /** Names of the Keras layers in the SavedModel's object graph (empty for other models). */
  private final Set<String> kerasLayers;
  private final AutoCloseable owner;

  LoadedModel(Graph graph, Session session, List<Signature> signatures, Map<String, String> provenance,
      Set<String> kerasLayers, AutoCloseable owner) {
    this.graph = graph;
    this.session = session;
    this.signatures = signatures;
    this.provenance = provenance;
    this.kerasLayers = kerasLayers;
    this.owner = owner;
  }

  /** The graph to explain (flattened for function-based models). */
  public Graph graph() {
    return graph;
  }

  /** The session that runs {@link #graph()}. */
  public Session session() {
    return session;
  }

  /** The SavedModel's signatures. */
  public List<Signature> signatures() {
    return signatures;
  }

  /** For flattened graphs, flat node name -> its name inside the function it came from; else empty. */
  public Map<String, String> provenance() {
    return provenance;
  }

  /** Names of the Keras layers in the SavedModel's object graph (empty for other models). */
  public Set<String> kerasLayers() {
    return kerasLayers;
  }

  /** {@code serving_default} when the model has it (or several signatures), else its only signature. */
  public String defaultSignature() {
    if (signatures.stream().anyMatch(s -> s.key().equals(Signature.DEFAULT_KEY)) || signatures.size() != 1) {
      return Signature.DEFAULT_KEY;
    }
    return signatures.get(0).key();
  }

  /** Whether the graph was rebuilt by inlining function calls. */
  public boolean flattened() {
    return !provenance.isEmpty();
  }

  /**
   * A SavedModel directory, or a frozen GraphDef file whose input and output ops are named (null:
   * found, when there is only one). <b>The returned model must be closed.</b>
   */
  public static LoadedModel load(Path path, String[] tags, String inputOp, String outputOp) {
    return load(path, tags, inputOp, outputOp, null);
  }

  /**
   * {@link #load(Path, String[], String, String)} with the session's settings (thread pools, GPU
   * memory, placement); null for TensorFlow's defaults. <b>The returned model must be closed.</b>
   */
  public static LoadedModel load(Path path, String[] tags, String inputOp, String outputOp, ConfigProto config) {
    NativeTensorFlow.require();
    if (FrozenGraphs.isFrozen(path)) {
      CustomGradients.register();
      return FrozenGraphs.load(path, inputOp, outputOp, config);
    }
    return load(path, tags, config);
  }

  /** <b>The returned model must be closed.</b> */
  public static LoadedModel load(Path dir, String[] tags) {
    return load(dir, tags, (ConfigProto) null);
  }

  /** <b>The returned model must be closed.</b> */
  public static LoadedModel load(Path dir, String[] tags, ConfigProto config) {
    NativeTensorFlow.require();
    CustomGradients.register();
    SavedModelBundle bundle = SavedModelLoader.load(dir, tags, config);
    try {
      MetaGraphDef meta = bundle.metaGraphDef();
      Set<String> callTargets = signatureCallNodes(meta);
      if (callTargets.isEmpty()) {
        return new LoadedModel(bundle.graph(), bundle.session(), bundle.signatures(), Map.of(), Set.of(), bundle);
      }
      List<Signature> signatures = bundle.signatures();
      LoadedModel flat = flatten(dir, meta, signatures, config);
      bundle.close();
      return flat;
    } catch (RuntimeException e) {
      bundle.close();
      throw e;
    }
  }

  /**
   * Runs the SavedModel's init op (TF2 names it by the signature {@code __saved_model_init_op}),
   * which fills lookup tables (Keras' StringLookup, TextVectorization) after the variables are
   * restored: TensorFlow's own loader does so, and the flattened graph is loaded without it.
   */
  private static void runInitOp(Path dir, MetaGraphDef meta, Graph graph, Session session) {
    var init = meta.getSignatureDefMap().get("__saved_model_init_op");
    if (init == null || init.getOutputsCount() == 0) {
      return;
    }
    String op = init.getOutputsMap().values().iterator().next().getName().split(":")[0];
    if (graph.operation(op) == null) {
      throw new ModelLoadException("The SavedModel's init op '" + op + "' is missing from its flattened graph");
    }
    // Asset files (a vocabulary file, say) are fed by path, as TensorFlow's loader feeds them.
    List<org.tensorflow.types.TString> assets = new java.util.ArrayList<>();
    try {
      Session.Runner runner = session.runner().addTarget(op);
      for (var asset : meta.getAssetFileDefList()) {
        org.tensorflow.types.TString path = org.tensorflow.types.TString.scalarOf(
            dir.resolve("assets").resolve(asset.getFilename()).toString());
        assets.add(path);
        runner.feed(asset.getTensorInfo().getName(), path);
      }
      runner.run().close();
    } catch (RuntimeException e) {
      throw new ModelLoadException("The SavedModel's init op '" + op + "' (which fills its lookup tables) failed: " + e.getMessage(), e);
    } finally {
      assets.forEach(org.tensorflow.types.TString::close);
    }
  }

  /** The nodes behind the signatures' outputs that are function calls; empty for flat graphs. */
  private static Set<String> signatureCallNodes(MetaGraphDef meta) {
    GraphDef graph = meta.getGraphDef();
    Map<String, NodeDef> nodes = new HashMap<>();
    graph.getNodeList().forEach(n -> nodes.put(n.getName(), n));
    Set<String> calls = new HashSet<>();
    meta.getSignatureDefMap().values().forEach(sig -> sig.getOutputsMap().values().forEach(info -> {
      String ref = info.getName();
      NodeDef node = nodes.get(nodeName(ref));
      while (node != null && PassThrough.TYPES.contains(node.getOp()) && node.getInputCount() > 0) {
        int index = node.getOp().equals("IdentityN") ? outputIndex(ref) : 0;
        ref = node.getInput(Math.min(index, node.getInputCount() - 1));
        node = nodes.get(nodeName(ref));
      }
      if (node != null && GraphFlattener.isCall(node, graph)) {
        calls.add(info.getName().split(":")[0]);
      }
    }));
    return calls;
  }

  private static String nodeName(String tensorRef) {
    return tensorRef.split(":")[0];
  }

  private static int outputIndex(String tensorRef) {
    int colon = tensorRef.lastIndexOf(':');
    return colon < 0 ? 0 : Integer.parseInt(tensorRef.substring(colon + 1));
  }

  private static LoadedModel flatten(Path dir, MetaGraphDef meta, List<Signature> signatures, ConfigProto config) {
    Set<String> targets = new HashSet<>();
    meta.getSignatureDefMap().values().forEach(sig -> sig.getOutputsMap().values()
        .forEach(info -> targets.add(info.getName().split(":")[0])));
    GraphFlattener.Flat flat = GraphFlattener.flatten(meta.getGraphDef(), targets, registeredOps());
    Graph graph = new Graph();
    Session session = null;
    try {
      graph.importGraphDef(flat.graph());
      session = config == null ? new Session(graph) : new Session(graph, config);
      restore(dir, meta.getSaverDef(), graph, session);
      runInitOp(dir, meta, graph, session);
      Session owned = session;
      AutoCloseable owner = () -> {
        owned.close();
        graph.close();
      };
      Set<String> keras = kerasLayers(meta);
      keras.addAll(kerasMetadataFile(dir));
      return new LoadedModel(graph, session, signatures, flat.provenance(), keras, owner);
    } catch (RuntimeException e) {
      if (session != null) {
        session.close();
      }
      graph.close();
      throw e instanceof ExplainException ? e : new ModelLoadException("Cannot rebuild the flattened graph of " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Runs the model's own restore op on the flat graph: the variables get the checkpoint's values. */
  private static void restore(Path dir, SaverDef saver, Graph graph, Session session) {
    if (saver.getRestoreOpName().isEmpty()) {
      return; // no variables
    }
    String prefix = dir.resolve("variables").resolve("variables").toString();
    try (TString file = TString.scalarOf(prefix)) {
      Session.Runner runner = session.runner().feed(saver.getFilenameTensorName(), file).addTarget(saver.getRestoreOpName().split(":")[0]);
      try (Result ignored = runner.run()) {
        // Running the target is the point; it fetches nothing.
      }
    } catch (RuntimeException e) {
      throw new ModelLoadException("Cannot restore the variables of " + dir + " from " + prefix + ": " + e.getMessage(), e);
    }
  }

  /** Keras layer names from the object graph's user objects (their metadata JSON). */
  private static Set<String> kerasLayers(MetaGraphDef meta) {
    Set<String> names = new HashSet<>();
    for (var node : meta.getObjectGraphDef().getNodesList()) {
      if (node.getKindCase() == SavedObject.KindCase.USER_OBJECT
          && node.getUserObject().getIdentifier().startsWith("_tf_keras")) {
        Matcher m = NAME.matcher(node.getUserObject().getMetadata());
        if (m.find()) {
          names.add(m.group(1));
        }
      }
    }
    return names;
  }

  /**
   * Keras layer names from {@code keras_metadata.pb}, where Keras 2.5 to 2.15 keep them (the object
   * graph's metadata is empty there). The file is Keras' {@code SavedMetadata}: repeated nodes
   * (field 1), each with an identifier (field 4, {@code _tf_keras_layer}...) and a metadata JSON
   * (field 5). It is read as plain protobuf fields: TensorFlow Java has no class for it.
   */
  static Set<String> kerasMetadataFile(Path dir) {
    Set<String> names = new HashSet<>();
    Path file = dir.resolve("keras_metadata.pb");
    if (!java.nio.file.Files.isRegularFile(file)) {
      return names;
    }
    try {
      com.google.protobuf.UnknownFieldSet metadata = com.google.protobuf.UnknownFieldSet.parseFrom(java.nio.file.Files.readAllBytes(file));
      com.google.protobuf.UnknownFieldSet.Field nodes = metadata.getField(1);
      for (com.google.protobuf.ByteString bytes : nodes.getLengthDelimitedList()) {
        com.google.protobuf.UnknownFieldSet node = com.google.protobuf.UnknownFieldSet.parseFrom(bytes);
        String identifier = node.getField(4).getLengthDelimitedList().stream().findFirst().map(b -> b.toStringUtf8()).orElse("");
        String json = node.getField(5).getLengthDelimitedList().stream().findFirst().map(b -> b.toStringUtf8()).orElse("");
        Matcher m = NAME.matcher(json);
        if (identifier.startsWith("_tf_keras_layer") && m.find()) {
          names.add(m.group(1));
        }
      }
    } catch (java.io.IOException e) {
      // An unreadable metadata file costs only the Keras names: layers are then named by their ops.
      System.getLogger("org.explain4j").log(System.Logger.Level.INFO, "Cannot read " + file + " (" + e.getMessage()
          + "): layers are named by their ops");
    }
    return names;
  }

  /** TensorFlow's op definitions, read once: the flattener sizes op outputs with them. */
  public static Map<String, OpDef> registeredOps() {
    Map<String, OpDef> ops = registeredOps;
    if (ops == null) {
      synchronized (LoadedModel.class) {
        ops = registeredOps;
        if (ops == null) {
          Map<String, OpDef> byName = new HashMap<>();
          TensorFlow.registeredOpList().getOpList().forEach(op -> byName.put(op.getName(), op));
          registeredOps = ops = Map.copyOf(byName);
        }
      }
    }
    return ops;
  }

  @Override
  public void close() {
    try {
      owner.close();
    } catch (Exception e) {
      throw new IllegalStateException("Cannot close the model: " + e.getMessage(), e);
    }
  }
}
