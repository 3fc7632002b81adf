package org.explain4j.engine;

import java.util.stream.IntStream;
import org.explain4j.cam.AxisResampling;
import org.explain4j.cam.GradCam;
import org.explain4j.exceptions.NonFiniteMapException;

/**
 * The pure-Java engine: {@link GradCam}'s steps item by item, in parallel over the batch. Always
 * available; the reference the native engines are checked against. Made by {@link JavaEngineProvider}.
 */
public final class JavaCamEngine implements CamEngine {
  private static final long PARALLEL_THRESHOLD = 1 << 18;
  /** Per-thread buffers up to this many floats are kept between calls: zeroing fresh ones costs more than the math. */
  private static final int SCRATCH_LIMIT = 1 << 24;
  private static final ThreadLocal<float[]> ACTIVATIONS = new ThreadLocal<>();
  private static final ThreadLocal<float[]> GRADIENTS = new ThreadLocal<>();

  @Override
  public String name() {
    return "java";
  }

  @Override
  public CamMaps gradCam(CamTask task) {
    CamTask.Layout layout = task.layout();
    CamTask.Options options = task.options();
    int cells = layout.cells();
    int itemSize = layout.itemSize();
    int total = layout.batch() * itemSize;
    AxisResampling rows = AxisResampling.of(layout.height(), options.outHeight(), options.interpolation());
    AxisResampling cols = AxisResampling.of(layout.width(), options.outWidth(), options.interpolation());
    float lo = options.relu() ? 0f : -1f;
    // One bulk copy of each buffer: cheaper than a read per item.
    float[] activations = scratch(ACTIVATIONS, total);
    float[] gradients = scratch(GRADIENTS, total);
    task.buffers().activations().read(activations, 0, total);
    task.buffers().gradients().read(gradients, 0, total);
    float[] layerMaps = new float[layout.batch() * cells];
    float[] heatMaps = new float[layout.batch() * options.outSize()];
    boolean[] allZero = new boolean[layout.batch()];
    IntStream items = IntStream.range(0, layout.batch());
    // Splitting small batches across threads costs more than it saves.
    if ((long) total >= PARALLEL_THRESHOLD) {
      items = items.parallel();
    }
    items.forEach(b -> {
      int offset = b * itemSize;
      float[] weights = GradCam.channelWeights(gradients, offset, cells, layout.channels(), layout.channelsFirst(), options.sign());
      float[] map = GradCam.weightedSum(weights, activations, offset, cells, layout.channelsFirst());
      // A NaN or infinity in the activations or gradients always reaches the map (0 * inf is NaN).
      if (!GradCam.allFinite(map)) {
        throw new NonFiniteMapException(b);
      }
      if (options.relu()) {
        GradCam.relu(map);
      }
      System.arraycopy(map, 0, layerMaps, b * cells, cells);
      float max = GradCam.maxAbs(map);
      allZero[b] = !(max > 0);
      if (!allZero[b]) {
        GradCam.resampleInto(map, 0, 1f / max, rows, cols, lo, 1f, heatMaps, b * options.outSize(),
            new float[layout.height() * options.outWidth()]);
      }
    });
    return new CamMaps(layerMaps, heatMaps, allZero);
  }

  /** A buffer of exactly {@code size} floats, reused by this thread where it is not too large. */
  private static float[] scratch(ThreadLocal<float[]> slot, int size) {
    float[] buffer = slot.get();
    if (buffer != null && buffer.length == size) {
      return buffer;
    }
    buffer = new float[size];
    if (size <= SCRATCH_LIMIT) {
      slot.set(buffer);
    }
    return buffer;
  }
}
