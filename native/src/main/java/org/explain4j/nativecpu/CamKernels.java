package org.explain4j.nativecpu;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.Const;
import org.bytedeco.javacpp.annotation.Platform;

/** The JNI binding of the C++ CPU kernels in {@code cam_cpu.h}; load it with {@link #load()}. */
@Platform(include = "cam_cpu.h", compiler = "cpp11", library = "jniExplain4jCpu")
final class CamKernels {
  private CamKernels() {}

  /** Loads the JNI library; throws {@link UnsatisfiedLinkError} where it cannot. */
  static void load() {
    Loader.load(CamKernels.class);
  }

  /**
   * Returns 0, or -(item + 1) for the first item whose map is not finite. The outputs are native
   * buffers: no Java array is pinned while the kernels hand work to the shared thread pool, so the
   * garbage collector is never held up by a computation.
   */
  static native int e4j_gradcam_cpu(@Const FloatPointer activations, @Const FloatPointer gradients, int batch, int height,
      int width, int channels, int channelsFirst, float sign, int relu, int outHeight, int outWidth, int interpolation,
      FloatPointer layerMaps, FloatPointer heatMaps, @Cast("unsigned char*") BytePointer allZero, int threads);

  /**
   * {@code e4j_gradcam_cpu} for another formula: {@code formula} is a code of {@code cam_math.h}'s
   * {@code Formula}; a code it does not define returns {@code 2000 + formula}, as the CUDA engine does.
   */
  static native int e4j_cam_cpu(int formula, @Const FloatPointer activations, @Const FloatPointer gradients, int batch, int height,
      int width, int channels, int channelsFirst, float sign, int relu, int outHeight, int outWidth, int interpolation,
      FloatPointer layerMaps, FloatPointer heatMaps, @Cast("unsigned char*") BytePointer allZero, int threads);
}
