package org.explain4j.bench;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.explain4j.engine.CamEngine;
import org.explain4j.engine.CamTask;
import org.explain4j.internal.memory.GuardedFloats;
import org.explain4j.engine.Engines;
import org.explain4j.cam.Interpolation;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * CAM engine throughput on batches of layer maps, beside a plain copy of the same bytes (the
 * activations and gradients read once, the maps written once) measured in the same run as the
 * limit. Inputs live in TensorFlow tensors, as in explanations.
 *
 * <p>Usage: {@code EngineThroughput [iterations]}. Not a test.
 */
public final class EngineThroughput {
  /** The harness's tensors live for the whole run: their views never end. */
  private static final GuardedFloats.Validity VALID = new GuardedFloats.Validity();

  private EngineThroughput() {}

  public static void main(String[] args) throws Exception {
    int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    System.out.printf(Locale.ROOT, "%-32s %-8s %10s %10s %12s%n", "shape (batch 32)", "engine", "ms", "copy ms", "x copy");
    run(7, 7, 2048, iterations);
    run(14, 14, 512, iterations);
  }

  private static void run(int h, int w, int c, int iterations) throws Exception {
    int batch = 32;
    int n = batch * h * w * c;
    float[] values = new float[n];
    Random rng = new Random(1);
    for (int i = 0; i < n; i++) {
      values[i] = (float) rng.nextGaussian();
    }
    try (TFloat32 acts = TFloat32.tensorOf(Shape.of(n), DataBuffers.of(values, true, false));
        TFloat32 grads = TFloat32.tensorOf(Shape.of(n), DataBuffers.of(values, true, false))) {
      CamTask task = new CamTask(new CamTask.Layout(batch, h, w, c, false),
          CamTask.Buffers.of(GuardedFloats.of(acts.asRawTensor().data().asFloats(), Measure.address(acts), VALID),
              GuardedFloats.of(grads.asRawTensor().data().asFloats(), Measure.address(grads), VALID)),
          new CamTask.Options(1, true, 224, 224, Interpolation.BILINEAR));
      List<CamEngine> engines = Engines.available();
      // The same bytes moved once: both inputs read, both outputs written.
      long bytes = 4L * (2L * n + batch * h * w + batch * 224 * 224);
      ByteBuffer from = ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.nativeOrder());
      ByteBuffer to = ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.nativeOrder());
      for (CamEngine engine : engines) {
        double[] times = new double[iterations];
        double[] copies = new double[iterations];
        for (int i = 0; i < iterations + 5; i++) {
          long t0 = System.nanoTime();
          engine.gradCam(task);
          long t1 = System.nanoTime();
          from.clear();
          to.clear();
          to.put(from);
          long t2 = System.nanoTime();
          if (i >= 5) {
            times[i - 5] = (t1 - t0) / 1e6;
            copies[i - 5] = (t2 - t1) / 1e6;
          }
        }
        double t = Measure.median(times);
        double copy = Measure.median(copies);
        System.out.printf(Locale.ROOT, "%-32s %-8s %10.2f %10.2f %12.1f%n", h + "x" + w + "x" + c + " -> 224x224", engine.name(), t,
            copy, t / copy);
        if (engine.name().equals("cuda")) {
          float[] device = org.explain4j.cuda.CudaCamEngine.lastTimings();
          // Device-memory traffic of the kernels: activations and gradients read, layer and heat maps written.
          double megabytes = 4.0 * (2L * n + 2L * batch * h * w + (long) batch * 224 * 224) / 1e6;
          System.out.printf(Locale.ROOT, "  cuda device: host->device %.3f ms, kernels %.3f ms (%.1f MB of device traffic), device->host %.3f ms%n",
              device[0], device[1], megabytes, device[2]);
        }
      }
    }
  }

  /** The tensor's native address, as the SDK computes it (package-private there). */
}
