package org.explain4j.internal.tf;

import org.tensorflow.ndarray.buffer.FloatDataBuffer;
import org.tensorflow.types.TFloat32;

/** Reads float tensors without going element by element through the NdArray API. */
public final class FloatReads {
  private static final java.lang.reflect.Method NATIVE_HANDLE = nativeHandleMethod();

  private FloatReads() {}

  /**
   * The address of the tensor's data in native memory, valid while the tensor is open, or 0 when
   * TensorFlow Java does not let us see it (the handle accessor is package-private: read by
   * reflection, and engines fall back to {@link #view} when it is 0).
   */
  public static long address(TFloat32 tensor) {
    if (NATIVE_HANDLE == null) {
      return 0;
    }
    try {
      Object handle = NATIVE_HANDLE.invoke(tensor.asRawTensor());
      return org.tensorflow.internal.c_api.global.tensorflow.TF_TensorData((org.tensorflow.internal.c_api.TF_Tensor) handle).address();
    } catch (ReflectiveOperationException | RuntimeException e) {
      return 0;
    }
  }

  private static java.lang.reflect.Method nativeHandleMethod() {
    try {
      java.lang.reflect.Method m = org.tensorflow.RawTensor.class.getDeclaredMethod("nativeHandle");
      m.setAccessible(true);
      return m;
    } catch (ReflectiveOperationException | RuntimeException e) {
      // Said once: the engines then copy tensors instead of reading them in place.
      System.getLogger("org.explain4j.engine").log(System.Logger.Level.INFO, "Tensor memory cannot be read in place (" + e
          + "); the CAM engines copy it instead. On the module path: --add-opens tensorflow/org.tensorflow=org.explain4j");
      return null;
    }
  }

  /** A view of the tensor's memory, valid while the tensor is open. */
  public static FloatDataBuffer view(TFloat32 tensor) {
    return tensor.asRawTensor().data().asFloats();
  }

  /** A copy of the tensor's values. */
  public static float[] copy(TFloat32 tensor) {
    return copy(view(tensor));
  }

  /** A copy of a buffer's values. */
  public static float[] copy(FloatDataBuffer view) {
    float[] values = new float[(int) view.size()];
    view.read(values);
    return values;
  }
}
