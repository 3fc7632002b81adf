package org.explain4j.internal.tf;

import org.tensorflow.proto.DataType;

/** Which tensor types carry values a gradient can flow through. */
public final class FloatTypes {
  private FloatTypes() {}

  public static boolean isFloat(DataType type) {
    return type == DataType.DT_FLOAT || type == DataType.DT_DOUBLE || type == DataType.DT_HALF || type == DataType.DT_BFLOAT16;
  }
}
