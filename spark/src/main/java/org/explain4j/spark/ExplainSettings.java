package org.explain4j.spark;

import java.io.Serializable;
import java.util.Arrays;
import org.explain4j.ExplainOptions;
import org.explain4j.Explainer;
import org.explain4j.ExplainerConfig;
import org.explain4j.Targets;
import org.explain4j.input.PixelScaling;
import org.tensorflow.proto.ConfigProto;

/**
 * What a partition needs to explain its rows, shipped to the executors in place of the explainer
 * (a loaded SavedModel cannot be serialised): the model's path and options, the targets, the batch
 * size and what to emit.
 */
record ExplainSettings(String modelPath, String labelsPath, String layer, String method, int topK, int[] targets,
    int batchSize, boolean heatMap, boolean png, PixelScaling pixels, int intraOpThreads, int interOpThreads) implements Serializable {

  /** What the model's load depends on: equal keys share one loaded model in an executor JVM, whatever the options. */
  String modelKey() {
    return String.join("\u0000", modelPath, String.valueOf(labelsPath), intraOpThreads + "/" + interOpThreads);
  }

  /** The settings that change the explanations, not the load. */
  private String optionsKey() {
    return String.join("\u0000", String.valueOf(layer), String.valueOf(method));
  }

  /**
   * The model to load (the explanation options are per call: {@link #options()}), from its local
   * copy or path ({@link ModelFiles}); {@code gpus}, the task's GPU addresses or null, become
   * TensorFlow's visible devices for the model's session.
   */
  ExplainerConfig config(String gpus) {
    ExplainerConfig.Builder b = Explainer.builder().setModel(ModelFiles.local(modelPath)).optThreads(intraOpThreads, interOpThreads);
    if (labelsPath != null) {
      b.optLabels(ModelFiles.local(labelsPath));
    }
    if (gpus != null) {
      ConfigProto current = b.config().sessionConfig();
      ConfigProto.Builder session = current == null ? ConfigProto.newBuilder() : current.toBuilder();
      session.getGpuOptionsBuilder().setVisibleDeviceList(gpus);
      b.optSessionConfig(session.build());
    }
    return b.config();
  }

  /** The layer and methods each call explains with. */
  ExplainOptions options() {
    return ExplainOptions.builder().optLayerNameOrIndex(layer).optMethod(method).build();
  }

  Targets targetsFor() {
    return targets != null && targets.length > 0 ? Targets.of(targets) : Targets.topK(topK);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ExplainSettings s && modelKey().equals(s.modelKey()) && optionsKey().equals(s.optionsKey()) && topK == s.topK
        && Arrays.equals(targets, s.targets) && batchSize == s.batchSize && heatMap == s.heatMap && png == s.png
        && pixels.equals(s.pixels);
  }

  @Override
  public int hashCode() {
    return (modelKey().hashCode() * 31 + optionsKey().hashCode()) * 31 + Arrays.hashCode(targets);
  }
}
