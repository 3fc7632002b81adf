package org.explain4j.jni;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.explain4j.engine.CamTask;
import org.explain4j.internal.memory.GuardedFloats;
import org.tensorflow.ndarray.buffer.FloatDataBuffer;

/**
 * A CAM task's activations and gradients as native pointers for C++ or CUDA code: a view of the
 * TensorFlow tensor's memory when the explainer's guarded buffer carries its address (only while
 * the task's compute runs), else a native copy of the buffer.
 * <b>Close the pointers</b> (a view frees nothing; a copy frees its memory).
 */
public final class TaskInputs {
  private TaskInputs() {}

  /** The activations of {@code task}. */
  public static FloatPointer activations(CamTask task) {
    return pointer(GuardedFloats.addressOf(task.buffers().activations()), task.buffers().activations(), task.layout().size());
  }

  /** The gradients of {@code task}. */
  public static FloatPointer gradients(CamTask task) {
    return pointer(GuardedFloats.addressOf(task.buffers().gradients()), task.buffers().gradients(), task.layout().size());
  }

  private static FloatPointer pointer(long address, FloatDataBuffer buffer, long size) {
    if (address != 0) {
      return new TensorView(address, size);
    }
    float[] values = new float[(int) size];
    buffer.read(values);
    return new FloatPointer(values);
  }

  /** A pointer onto memory owned by a TensorFlow tensor: never freed here. */
  private static final class TensorView extends FloatPointer {
    TensorView(long address, long size) {
      super((Pointer) null);
      this.address = address;
      this.limit = size;
      this.capacity = size;
    }
  }
}
