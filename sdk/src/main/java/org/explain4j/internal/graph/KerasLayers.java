package org.explain4j.internal.graph;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.GraphOperation;

/**
 * Groups the ops of a flattened Keras graph by the Keras layer whose name scope holds them
 * ({@code .../sequential/conv2d_4/BiasAdd} belongs to {@code conv2d_4}), and picks the op each
 * layer outputs: the last of its ops that an op outside the layer reads.
 */
final class KerasLayers {
  private final Map<GraphOperation, String> layerOf = new HashMap<>();
  private final Map<String, GraphOperation> output = new HashMap<>();

  /** {@code candidates} in topological order; {@code outputProducer} counts as read from outside. */
  KerasLayers(Set<String> names, List<GraphOperation> candidates, GraphOperation outputProducer) {
    if (names.isEmpty()) {
      return;
    }
    for (GraphOperation op : candidates) {
      String[] segments = op.name().split("/");
      for (int i = segments.length - 2; i >= 0; i--) {
        if (names.contains(segments[i])) {
          layerOf.put(op, segments[i]);
          break;
        }
      }
    }
    for (GraphOperation op : candidates) {
      String layer = layerOf.get(op);
      if (layer != null && (op.equals(outputProducer) || readOutside(op, layer) || !output.containsKey(layer))) {
        output.put(layer, op);
      }
    }
  }

  private boolean readOutside(GraphOperation op, String layer) {
    for (int i = 0; i < op.numOutputs(); i++) {
      for (GraphOperation consumer : op.consumers(i)) {
        if (!layer.equals(scopeOf(consumer))) {
          return true;
        }
      }
    }
    return false;
  }

  /** The Keras layer of any op, candidate or not, by the same name rule. */
  private String scopeOf(GraphOperation op) {
    String known = layerOf.get(op);
    if (known != null) {
      return known;
    }
    String[] segments = op.name().split("/");
    for (int i = segments.length - 2; i >= 0; i--) {
      if (layerOf.containsValue(segments[i])) {
        return segments[i];
      }
    }
    return null;
  }

  /** The Keras layer holding {@code op}, or null. */
  String layerOf(GraphOperation op) {
    return layerOf.get(op);
  }

  /** Whether {@code op} is what its Keras layer outputs. */
  boolean isOutput(GraphOperation op) {
    String layer = layerOf.get(op);
    return layer != null && op.equals(output.get(layer));
  }

  /** Layers holding an op of one of these types. */
  Set<String> layersContaining(Set<String> opTypes) {
    Set<String> found = new HashSet<>();
    layerOf.forEach((op, layer) -> {
      if (opTypes.contains(op.type())) {
        found.add(layer);
      }
    });
    return found;
  }
}
