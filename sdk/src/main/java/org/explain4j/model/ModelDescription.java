package org.explain4j.model;

import java.util.List;

/**
 * What an explainer sees of its model: the signature used, its inputs and outputs, and the
 * candidate layers in graph order, the one chosen for explanations included ({@code chosenLayer}
 * is null only in a configuration's {@code describe()}, when no layer fits). {@code inGraphScaling}
 * describes the pixel scaling the model does itself right after its input (a Keras
 * {@code Rescaling(1/255)}, say), or is null: such a model takes raw 0..255 pixels.
 */
public record ModelDescription(
    String signature, List<TensorSpec> inputs, List<TensorSpec> outputs, List<Layer> layers, List<LayerRow> rows,
    Layer chosenLayer, String inGraphScaling) {

  /**
   * One row of the layer listing: a layer as users name it (a Keras layer, a name scope such as
   * {@code conv1d_1} or {@code .../Conv2d_13_pointwise}, or a lone op) and the candidate layer it
   * stands for (the scope's output). Any row's name works as a layer name.
   */
  public record LayerRow(String name, Layer layer) {}

  /** A description of a model that does no pixel scaling of its own. */
  public ModelDescription(String signature, List<TensorSpec> inputs, List<TensorSpec> outputs, List<Layer> layers,
      List<LayerRow> rows, Layer chosenLayer) {
    this(signature, inputs, outputs, layers, rows, chosenLayer, null);
  }

  public ModelDescription {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    layers = List.copyOf(layers);
    rows = List.copyOf(rows);
  }

  /** The layer with this name, or null. */
  public Layer layer(String name) {
    return layers.stream().filter(l -> l.name().equals(name)).findFirst().orElse(null);
  }

  /** {@link #summary(boolean)} with one line per layer (row), not per op. */
  public String summary() {
    return summary(false);
  }

  /**
   * A text summary: the signature, then one line per layer (per candidate op with {@code allOps}),
   * the chosen one marked with {@code *}.
   */
  public String summary(boolean allOps) {
    StringBuilder sb = new StringBuilder("signature ").append(signature).append('\n');
    inputs.forEach(i -> sb.append("  input  ").append(i).append('\n'));
    outputs.forEach(o -> sb.append("  output ").append(o).append('\n'));
    if (allOps) {
      for (Layer l : layers) {
        sb.append(l.equals(chosenLayer) ? "* " : "  ").append(l).append('\n');
      }
    } else {
      for (LayerRow row : rows) {
        Layer l = row.layer();
        sb.append(l.equals(chosenLayer) ? "* " : "  ").append(row.name())
            .append(row.name().equals(l.op()) ? "" : " -> " + l.op()).append(" (").append(l.opType()).append(") ")
            .append(l.shape()).append('\n');
      }
      if (rows.size() < layers.size()) {
        sb.append("(").append(layers.size()).append(" candidate ops in ").append(rows.size()).append(" layers; --all-ops lists every op)\n");
      }
    }
    if (chosenLayer == null) {
      sb.append("(no layer is chosen automatically: no spatial or temporal layer; name one to explain)\n");
    }
    return sb.toString();
  }
}
