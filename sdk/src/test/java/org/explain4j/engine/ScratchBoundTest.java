package org.explain4j.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.explain4j.cam.Interpolation;
import org.junit.jupiter.api.Test;

/** The Java engine's kept scratch buffers are bounded whatever the threads and sizes, and reuse never changes a map. */
class ScratchBoundTest {
  private static CamTask task(int batch, int h, int w, int c, long seed) {
    Random rng = new Random(seed);
    float[] a = new float[batch * h * w * c];
    float[] g = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) Math.abs(rng.nextGaussian());
      g[i] = (float) rng.nextGaussian();
    }
    return new CamTask(new CamTask.Layout(batch, h, w, c, false), CamTask.Buffers.of(a, g),
        new CamTask.Options(1f, true, 2 * h, 2 * w, Interpolation.BILINEAR));
  }

  @Test
  void keptBuffersStayBoundedAcrossManyThreadsAndReuseGivesTheSameMaps() throws Exception {
    JavaCamEngine engine = new JavaCamEngine();
    CamTask small = task(2, 5, 7, 9, 1);
    float[] fresh = engine.gradCam(small).layerMaps();
    ExecutorService pool = Executors.newFixedThreadPool(32);
    try {
      List<Future<?>> runs = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        int size = i % 4;
        // From tiny to 3 M floats per buffer (12 MiB, above what is kept).
        CamTask t = task(1 + size, 16 << size, 16 << size, 32 + 16 * size, i);
        runs.add(pool.submit(() -> engine.gradCam(t)));
      }
      for (Future<?> f : runs) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    long bound = 2L * Runtime.getRuntime().availableProcessors() * (1 << 20);
    assertTrue(JavaCamEngine.keptFloats() <= bound, JavaCamEngine.keptFloats() + " floats kept, bound " + bound);
    // Kept buffers larger than a later task's (stale values past its end) change nothing.
    assertArrayEquals(fresh, engine.gradCam(small).layerMaps(), 0f);
  }
}
