package org.explain4j.internal.tf;

import java.util.Set;
import org.tensorflow.GraphOperation;
import org.tensorflow.Output;

/**
 * The one set of ops that pass a tensor's values through unchanged, used by every graph walk: the
 * signature's call detection, layer listing, the score's producer and the output fetch.
 */
public final class PassThrough {
  /** Op types whose output is their input. */
  public static final Set<String> TYPES = Set.of("Identity", "IdentityN", "Snapshot", "EnsureShape", "CheckNumerics");

  private PassThrough() {}

  /** The tensor behind pass-through ops; {@code IdentityN} passes its i-th input to its i-th output. */
  public static Output<?> source(Output<?> tensor) {
    Output<?> t = tensor;
    while (TYPES.contains(t.op().type())) {
      GraphOperation op = (GraphOperation) t.op();
      int index = op.type().equals("IdentityN") ? t.index() : 0;
      t = op.input(index);
    }
    return t;
  }
}
