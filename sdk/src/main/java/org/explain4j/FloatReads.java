package org.explain4j;

import org.tensorflow.ndarray.buffer.FloatDataBuffer;
import org.tensorflow.types.TFloat32;

/** Reads float tensors without going element by element through the NdArray API. */
final class FloatReads {
  private FloatReads() {}

  /** A view of the tensor's memory, valid while the tensor is open. */
  static FloatDataBuffer view(TFloat32 tensor) {
    return tensor.asRawTensor().data().asFloats();
  }

  /** A copy of the tensor's values. */
  static float[] copy(TFloat32 tensor) {
    FloatDataBuffer view = view(tensor);
    float[] values = new float[(int) view.size()];
    view.read(values);
    return values;
  }
}
