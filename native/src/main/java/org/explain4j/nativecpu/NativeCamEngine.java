package org.explain4j.nativecpu;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.explain4j.engine.Availability;
import org.explain4j.engine.CamEngine;
import org.explain4j.engine.CamMaps;
import org.explain4j.engine.CamTask;
import org.explain4j.engine.NonFiniteMapException;

/**
 * The C++ CPU engine: the arithmetic of {@code cam_math.h} over the batch, on all cores. Reads
 * activations and gradients straight from TensorFlow's tensor memory when the task gives their
 * addresses, and copies them into native memory otherwise.
 */
public final class NativeCamEngine implements CamEngine {
  private static final Availability AVAILABILITY = probe();

  private static Availability probe() {
    try {
      CamKernels.load();
      return Availability.yes();
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      return Availability.no("its JNI library did not load (" + e.getMessage() + ")");
    }
  }

  @Override
  public String name() {
    return "native";
  }

  @Override
  public int priority() {
    return 10;
  }

  @Override
  public Availability availability() {
    return AVAILABILITY;
  }

  @Override
  public CamMaps gradCam(CamTask task) {
    float[] layerMaps = new float[task.batch() * task.mapSize()];
    float[] heatMaps = new float[task.batch() * task.outSize()];
    boolean[] allZero = new boolean[task.batch()];
    gradCamInto(task, layerMaps, heatMaps, allZero);
    return new CamMaps(layerMaps, heatMaps, allZero);
  }

  /** Computes into the given arrays: every element is written. */
  void gradCamInto(CamTask task, float[] layerMaps, float[] heatMaps, boolean[] allZero) {
    if (!AVAILABILITY.available()) {
      throw new IllegalStateException("The native CAM engine cannot run: " + AVAILABILITY.reason());
    }
    long size = (long) task.batch() * task.mapSize() * task.channels();
    try (FloatPointer acts = input(task.activationsAddress(), task.activations(), size);
        FloatPointer grads = input(task.gradientsAddress(), task.gradients(), size);
        FloatPointer layer = new FloatPointer(layerMaps.length);
        FloatPointer heat = new FloatPointer(heatMaps.length);
        BytePointer zero = new BytePointer(allZero.length)) {
      int status = CamKernels.e4j_gradcam_cpu(acts, grads, task.batch(), task.height(), task.width(), task.channels(),
          task.channelsFirst() ? 1 : 0, task.sign(), task.relu() ? 1 : 0, task.outHeight(), task.outWidth(),
          task.interpolation().ordinal(), layer, heat, zero, Runtime.getRuntime().availableProcessors());
      if (status < 0) {
        throw new NonFiniteMapException(-status - 1);
      }
      layer.get(layerMaps);
      heat.get(heatMaps);
      byte[] flags = new byte[allZero.length];
      zero.get(flags);
      for (int i = 0; i < flags.length; i++) {
        allZero[i] = flags[i] != 0;
      }
    }
  }

  /** A view of native memory at {@code address}, or a native copy of {@code buffer} when there is none. */
  private static FloatPointer input(long address, org.tensorflow.ndarray.buffer.FloatDataBuffer buffer, long size) {
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
