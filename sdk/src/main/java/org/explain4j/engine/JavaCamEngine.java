package org.explain4j.engine;

import java.util.stream.IntStream;

/**
 * The pure-Java engine: {@link GradCam}'s steps item by item, in parallel over the batch. Always
 * available; the reference the native engines are checked against.
 */
public final class JavaCamEngine implements CamEngine {

  @Override
  public String name() {
    return "java";
  }

  @Override
  public int priority() {
    return 0;
  }

  @Override
  public Availability availability() {
    return Availability.yes();
  }

  @Override
  public CamMaps gradCam(CamTask task) {
    int cells = task.mapSize();
    int itemSize = cells * task.channels();
    AxisResampling rows = AxisResampling.of(task.height(), task.outHeight(), task.interpolation());
    AxisResampling cols = AxisResampling.of(task.width(), task.outWidth(), task.interpolation());
    float lo = task.relu() ? 0f : -1f;
    float[] layerMaps = new float[task.batch() * cells];
    float[] heatMaps = new float[task.batch() * task.outSize()];
    boolean[] allZero = new boolean[task.batch()];
    IntStream.range(0, task.batch()).parallel().forEach(b -> {
      float[] activations = new float[itemSize];
      float[] gradients = new float[itemSize];
      task.activations().offset((long) b * itemSize).read(activations);
      task.gradients().offset((long) b * itemSize).read(gradients);
      if (!GradCam.allFinite(activations) || !GradCam.allFinite(gradients)) {
        throw new NonFiniteMapException(b);
      }
      float[] weights = GradCam.channelWeights(gradients, cells, task.channels(), task.channelsFirst(), task.sign());
      float[] map = GradCam.weightedSum(weights, activations, cells, task.channelsFirst());
      if (task.relu()) {
        GradCam.relu(map);
      }
      System.arraycopy(map, 0, layerMaps, b * cells, cells);
      allZero[b] = !GradCam.normalise(map);
      float[] heat = GradCam.resample(map, rows, cols, lo, 1f);
      System.arraycopy(heat, 0, heatMaps, b * task.outSize(), task.outSize());
    });
    return new CamMaps(layerMaps, heatMaps, allZero);
  }
}
