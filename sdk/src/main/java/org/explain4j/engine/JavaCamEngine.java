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
  /**
   * Buffers up to this many floats (4 MiB) are kept between calls, zeroing fresh ones costing more
   * than the math; larger ones are left to the garbage collector.
   */
  private static final int SCRATCH_LIMIT = 1 << 20;
  /** At most this many kept buffers in all, whatever the number of threads: 2 x cores x 4 MiB at most. */
  private static final int SCRATCH_KEPT = 2 * Runtime.getRuntime().availableProcessors();
  private static final java.util.concurrent.ArrayBlockingQueue<float[]> SCRATCH = new java.util.concurrent.ArrayBlockingQueue<>(SCRATCH_KEPT);

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
    float[] activations = take(total);
    float[] gradients = take(total);
    try {
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
    } finally {
      give(activations);
      give(gradients);
    }
  }

  /** A buffer of at least {@code size} floats: a kept one when one is large enough, else a new one. */
  static float[] take(int size) {
    if (size <= SCRATCH_LIMIT) {
      for (int tries = SCRATCH.size(); tries > 0; tries--) {
        float[] kept = SCRATCH.poll();
        if (kept == null) {
          break;
        }
        if (kept.length >= size) {
          return kept;
        }
        SCRATCH.offer(kept);
      }
      return new float[Math.max(size, 1 << 12)];
    }
    return new float[size];
  }

  /** Keeps a buffer for later calls where it is small enough and the pool has room; else drops it. */
  static void give(float[] buffer) {
    if (buffer.length <= SCRATCH_LIMIT) {
      SCRATCH.offer(buffer);
    }
  }

  /** How many floats the kept buffers hold now (at most {@link #SCRATCH_KEPT} x 4 MiB). */
  static long keptFloats() {
    return SCRATCH.stream().mapToLong(b -> b.length).sum();
  }
}
