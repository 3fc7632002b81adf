package org.explain4j.internal.tf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.explain4j.exceptions.ModelLoadException;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphDef;

/**
 * Frozen GraphDefs (a {@code .pb} of constants, no variables, no signature), as many TF1 image
 * models ship: imported into a graph, with a signature made from the input and output ops, named
 * or found (the one float placeholder, the one float op nothing reads).
 */
final class FrozenGraphs {
  /** Ops whose outputs are never a model's answer. */
  private static final Set<String> NOT_OUTPUTS = Set.of("Const", "NoOp", "Assert", "Placeholder", "Shape", "Size", "Rank");

  private static final System.Logger LOG = System.getLogger("org.explain4j");

  private FrozenGraphs() {}

  /** Whether {@code path} is a file (a frozen graph) rather than a SavedModel directory. */
  static boolean isFrozen(Path path) {
    return Files.isRegularFile(path);
  }

  /**
   * <b>The returned model must be closed.</b> An input placeholder that declares a batch of one
   * (as most exported frozen graphs do) is imported with a free batch dimension where the graph's
   * ops do not depend on it, so that several items run at once; {@link BatchProbe} decides.
   */
  static LoadedModel load(Path file, String inputOp, String outputOp, ConfigProto config) {
    GraphDef def;
    try {
      def = Colocation.clean(GraphDef.parseFrom(Files.readAllBytes(file)));
    } catch (IOException | RuntimeException e) {
      throw new ModelLoadException("Cannot read " + file + " as a frozen GraphDef (a .pb file) or SavedModel: " + e.getMessage(), e);
    }
    String batchOfOne = BatchProbe.inputDeclaringBatchOne(def, inputOp);
    if (batchOfOne != null) {
      LoadedModel freed = importDef(BatchProbe.withFreeBatch(def, batchOfOne), file, inputOp, outputOp, config);
      String dependence = BatchProbe.dependence(freed);
      if (dependence == null) {
        LOG.log(System.Logger.Level.INFO, "The frozen graph's input '" + batchOfOne + "' declares a batch of 1 that no op depends"
            + " on: imported with a free batch dimension, so several items run at once");
        return freed;
      }
      freed.close();
      LOG.log(System.Logger.Level.INFO, "The frozen graph's input '" + batchOfOne + "' declares a batch of 1 and the graph depends"
          + " on it (" + dependence + "): one item per run, so batching does not apply");
    }
    return importDef(def, file, inputOp, outputOp, config);
  }

  private static LoadedModel importDef(GraphDef def, Path file, String inputOp, String outputOp, ConfigProto config) {
    Graph graph = new Graph();
    Session session = null;
    try {
      graph.importGraphDef(def);
      GraphOperation input = inputOp != null ? named(graph, inputOp, "input") : theOnly(placeholders(graph), "float placeholder", "input");
      GraphOperation output = outputOp != null ? named(graph, outputOp, "output") : theOnly(sinks(graph), "float op that nothing reads", "output");
      Signature signature = Signature.builder().key(Signature.DEFAULT_KEY)
          .input(input.name(), input.output(0)).output(output.name(), output.output(0)).build();
      session = config == null ? new Session(graph) : new Session(graph, config);
      Session owned = session;
      return new LoadedModel(graph, session, List.of(signature), java.util.Map.of(), Set.of(), () -> {
        owned.close();
        graph.close();
      });
    } catch (RuntimeException e) {
      if (session != null) {
        session.close();
      }
      graph.close();
      throw e instanceof ModelLoadException ? e : new ModelLoadException("Cannot import the frozen graph " + file + ": " + e.getMessage(), e);
    }
  }

  private static GraphOperation named(Graph graph, String name, String what) {
    GraphOperation op = graph.operation(name);
    if (op == null || op.numOutputs() == 0) {
      List<GraphOperation> candidates = what.equals("input") ? placeholders(graph) : sinks(graph);
      throw new ModelLoadException("No " + what + " op '" + name + "' with an output in the frozen graph; the " + what
          + " candidates are " + names(candidates) + " (opt" + (what.equals("input") ? "Input" : "Output") + "(name), or --"
          + what + "-op in the CLI)");
    }
    return op;
  }

  /** Up to eight op names, "..." after them where there are more. */
  private static String names(List<GraphOperation> ops) {
    List<String> names = ops.stream().map(GraphOperation::name).limit(8).toList();
    return names + (ops.size() > names.size() ? " and " + (ops.size() - names.size()) + " more" : "");
  }

  private static GraphOperation theOnly(List<GraphOperation> found, String kind, String what) {
    if (found.size() != 1) {
      throw new ModelLoadException("The frozen graph has " + found.size() + " " + kind + "s" + (found.isEmpty() ? "" : " " + names(found))
          + ": name the " + what + " op (opt" + (what.equals("input") ? "Input" : "Output") + "(name), or --" + what + "-op in the CLI)");
    }
    return found.get(0);
  }

  private static List<GraphOperation> placeholders(Graph graph) {
    List<GraphOperation> found = new ArrayList<>();
    for (Iterator<GraphOperation> it = graph.operations(); it.hasNext(); ) {
      GraphOperation op = it.next();
      // Scalars are never the input: they are TF1's keep_prob and learning-rate knobs (fed with --feed).
      boolean scalar = op.output(0).shape().numDimensions() == 0;
      if (op.type().equals("Placeholder") && op.output(0).dataType() != DataType.DT_BOOL && !scalar) {
        found.add(op);
      }
    }
    return found;
  }

  private static List<GraphOperation> sinks(Graph graph) {
    List<GraphOperation> found = new ArrayList<>();
    for (Iterator<GraphOperation> it = graph.operations(); it.hasNext(); ) {
      GraphOperation op = it.next();
      if (op.numOutputs() == 0 || NOT_OUTPUTS.contains(op.type()) || !FloatTypes.isFloat(op.output(0).dataType())) {
        continue;
      }
      boolean read = false;
      for (int i = 0; i < op.numOutputs() && !read; i++) {
        read = !op.consumers(i).isEmpty();
      }
      if (!read) {
        found.add(op);
      }
    }
    return found;
  }
}
