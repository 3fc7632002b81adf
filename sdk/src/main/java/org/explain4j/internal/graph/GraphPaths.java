package org.explain4j.internal.graph;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.explain4j.internal.tf.FloatTypes;
import org.tensorflow.proto.DataType;

/**
 * The operations through which a value flows from an input to an output, in topological order.
 *
 * <p>Only differentiable data edges count: the walk from the input stops at ops that read a
 * tensor's shape rather than its values and at non-float tensors (but for the bytes, uint8 pixels
 * and TensorLists of images decoded in the graph), so dropout's random masks or a label placeholder's branch
 * never look like layers.
 */
final class GraphPaths {
  /** Ops whose outputs do not depend on their inputs' values. */
  private static final Set<String> SHAPE_ONLY = Set.of(
      "Shape", "ShapeN", "Size", "Rank", "ZerosLike", "OnesLike", "StopGradient", "PreventGradient");

  private GraphPaths() {}

  /**
   * Ops that depend, through float data edges, on {@code from}'s op (itself excluded). The edges out
   * of {@code from} itself count whatever their type, so that token ids reach their embedding.
   */
  static Set<GraphOperation> descendants(GraphOperation from) {
    Set<GraphOperation> seen = new LinkedHashSet<>();
    Deque<GraphOperation> todo = new ArrayDeque<>(List.of(from));
    // Raw text reaches its embedding as integers: split positions, looked-up ids, padded ids.
    boolean text = from.numOutputs() > 0 && from.output(0).dataType() == DataType.DT_STRING;
    while (!todo.isEmpty()) {
      GraphOperation op = todo.pop();
      for (int i = 0; i < op.numOutputs(); i++) {
        DataType type = op.output(i).dataType();
        boolean ids = text && (type == DataType.DT_INT32 || type == DataType.DT_INT64);
        if (op != from && !carriesInput(type) && !ids) {
          continue;
        }
        for (GraphOperation consumer : op.consumers(i)) {
          if (!SHAPE_ONLY.contains(consumer.type()) && seen.add(consumer)) {
            todo.push(consumer);
          }
        }
      }
    }
    seen.remove(from);
    return seen;
  }

  /** Ops whose data outputs {@code to}'s op reads, transitively (itself included). */
  static Set<GraphOperation> ancestors(GraphOperation to) {
    Set<GraphOperation> seen = new LinkedHashSet<>(List.of(to));
    Deque<GraphOperation> todo = new ArrayDeque<>(List.of(to));
    while (!todo.isEmpty()) {
      GraphOperation op = todo.pop();
      for (Operand<?> input : op.inputs()) {
        GraphOperation producer = (GraphOperation) input.op();
        if (seen.add(producer)) {
          todo.push(producer);
        }
      }
    }
    return seen;
  }

  /** The ops of {@code subset} in topological order, ties broken by the graph's own order. */
  static List<GraphOperation> topological(Graph graph, Set<GraphOperation> subset) {
    Map<GraphOperation, Integer> pending = new HashMap<>();
    List<GraphOperation> ordered = new ArrayList<>();
    for (Iterator<GraphOperation> it = graph.operations(); it.hasNext(); ) {
      GraphOperation op = it.next();
      if (subset.contains(op)) {
        int n = 0;
        for (Operand<?> input : op.inputs()) {
          if (subset.contains((GraphOperation) input.op())) {
            n++;
          }
        }
        pending.put(op, n);
        ordered.add(op);
      }
    }
    List<GraphOperation> result = new ArrayList<>();
    Deque<GraphOperation> ready = new ArrayDeque<>();
    ordered.stream().filter(op -> pending.get(op) == 0).forEach(ready::add);
    while (!ready.isEmpty()) {
      GraphOperation op = ready.poll();
      result.add(op);
      for (int i = 0; i < op.numOutputs(); i++) {
        for (GraphOperation consumer : op.consumers(i)) {
          Integer left = pending.get(consumer);
          if (left != null) {
            // A consumer reading this op twice (x * x) counts each edge once.
            int edges = countEdges(consumer, op.output(i));
            pending.put(consumer, left - edges);
            if (left - edges == 0) {
              ready.add(consumer);
            }
          }
        }
      }
    }
    return result;
  }

  private static int countEdges(GraphOperation consumer, Output<?> output) {
    int n = 0;
    for (Operand<?> input : consumer.inputs()) {
      if (input.asOutput().equals(output)) {
        n++;
      }
    }
    return n;
  }

  /**
   * Types an input's values flow through on their way to a layer: floats, the encoded bytes and
   * uint8 pixels of models that decode images in the graph (string -> DecodePng -> Cast -> ...), and
   * the TensorLists (variants) through which {@code tf.map_fn} decodes a batch in a While loop.
   */
  private static boolean carriesInput(DataType type) {
    return isFloat(type) || type == DataType.DT_STRING || type == DataType.DT_UINT8 || type == DataType.DT_VARIANT;
  }

  static boolean isFloat(DataType type) {
    return FloatTypes.isFloat(type);
  }
}
