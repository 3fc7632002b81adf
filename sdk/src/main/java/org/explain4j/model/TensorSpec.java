package org.explain4j.model;

import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.DataType;

/**
 * One input or output of a signature: its key in the signature, the graph tensor behind it, its
 * element type and its static shape ({@code -1} for unknown dimensions).
 */
public record TensorSpec(String key, String tensorName, DataType dataType, Shape shape) {
  @Override
  public String toString() {
    return key + " (" + tensorName + "): " + dataType + " " + shape;
  }
}
