package org.explain4j.model;

import java.util.List;

/**
 * What an explainer sees of its model: the signature used, its inputs and outputs, and the
 * candidate layers in graph order, the one chosen for explanations included ({@code chosenLayer}
 * is null only in a configuration's {@code describe()}, when no layer fits).
 */
public record ModelDescription(
    String signature, List<TensorSpec> inputs, List<TensorSpec> outputs, List<Layer> layers, Layer chosenLayer) {

  public ModelDescription {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    layers = List.copyOf(layers);
  }

  /** The layer with this name, or null. */
  public Layer layer(String name) {
    return layers.stream().filter(l -> l.name().equals(name)).findFirst().orElse(null);
  }

  /** A text summary: the signature, then one line per layer, the chosen one marked with {@code *}. */
  public String summary() {
    StringBuilder sb = new StringBuilder("signature ").append(signature).append('\n');
    inputs.forEach(i -> sb.append("  input  ").append(i).append('\n'));
    outputs.forEach(o -> sb.append("  output ").append(o).append('\n'));
    for (Layer l : layers) {
      sb.append(l.equals(chosenLayer) ? "* " : "  ").append(l).append('\n');
    }
    if (chosenLayer == null) {
      sb.append("(no layer is chosen automatically: no spatial or temporal layer; name one to explain)\n");
    }
    return sb.toString();
  }
}
