package org.explain4j.cuda;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.Const;
import org.bytedeco.javacpp.annotation.Platform;

/**
 * The JNI binding of the CUDA kernels ({@code cam_cuda.h}); load it with {@link #load()}. The
 * library links the CUDA runtime statically, so it loads without a GPU driver, and
 * {@link #e4j_cuda_device_count()} then reports the runtime's error.
 */
// Listed in reverse: JavaCPP emits -l flags last-first, and static libraries must precede what
// they use (-le4jcuda -lcudart_static -lpthread -lrt -ldl).
@Platform(include = "cam_cuda.h", link = {"dl", "rt", "pthread", "cudart_static", "e4jcuda"}, library = "jniExplain4jCuda")
final class CudaKernels {
  private CudaKernels() {}

  /** Loads the JNI library; throws {@link UnsatisfiedLinkError} where it is absent or cannot load. */
  static void load() {
    Loader.load(CudaKernels.class);
  }

  static native int e4j_cuda_device_count();

  static native @Cast("const char*") BytePointer e4j_cuda_error_string(int code);

  static native void e4j_cuda_last_timings(float[] timings);

  static native void e4j_cuda_release();

  static native int e4j_cuda_use_device(int ordinal);

  static native int e4j_cam_cuda(int formula, @Const FloatPointer activations, @Const FloatPointer gradients, int batch,
      int height, int width, int channels, int channelsFirst, float sign, int relu, int outHeight, int outWidth,
      int interpolation, FloatPointer layerMaps, FloatPointer heatMaps, @Cast("unsigned char*") BytePointer allZero);
}
