package org.explain4j.internal.graph;

import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** The values of small tensors the graph computes without any feed: a reduction's axes, a scaling's constants. */
final class ConstantValues {
  private ConstantValues() {}

  /**
   * The values of a float or int32 tensor, as doubles; null when it has another type, holds more
   * than {@code maxSize} values, or cannot be computed without feeds (a variable not restored, an op
   * that needs the input after all).
   */
  static double[] read(Session session, Output<?> tensor, int maxSize) {
    DataType type = tensor.dataType();
    if (type != DataType.DT_FLOAT && type != DataType.DT_INT32) {
      return null;
    }
    try (Result r = session.runner().fetch(tensor).run()) {
      Tensor t = r.get(0);
      if (t.size() > maxSize) {
        return null;
      }
      double[] out = new double[(int) t.size()];
      if (t instanceof TFloat32 f) {
        float[] v = new float[out.length];
        if (f.rank() == 0) {
          v[0] = f.getFloat();
        } else {
          f.copyTo(DataBuffers.of(v, false, false));
        }
        for (int i = 0; i < v.length; i++) {
          out[i] = v[i];
        }
      } else {
        TInt32 n = (TInt32) t;
        int[] v = new int[out.length];
        if (n.rank() == 0) {
          v[0] = n.getInt();
        } else {
          n.copyTo(DataBuffers.of(v, false, false));
        }
        for (int i = 0; i < v.length; i++) {
          out[i] = v[i];
        }
      }
      return out;
    } catch (RuntimeException e) {
      return null;
    }
  }
}
