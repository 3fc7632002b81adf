package org.explain4j.internal.explain;

import java.nio.file.Path;
import java.util.List;
import org.explain4j.internal.graph.ModelGraph;
import org.explain4j.internal.tf.LoadedModel;
import org.explain4j.model.DataFormat;
import org.tensorflow.proto.ConfigProto;

/** Loads what a configuration names: the model (SavedModel or frozen graph) and the graph view of one signature. */
public final class ModelLoading {
  private ModelLoading() {}

  /** <b>The model, loaded: the caller closes it.</b> {@code session} null takes TensorFlow's defaults. */
  public static LoadedModel load(Path model, List<String> tags, String input, String output, ConfigProto session) {
    return LoadedModel.load(model, tags.toArray(String[]::new), input, output, session);
  }

  /** The model graph of {@code signature} (null: the default), its input and output (null: the only one). */
  public static ModelGraph graph(LoadedModel loaded, String signature, String input, String output, DataFormat dataFormat) {
    String key = signature != null ? signature : loaded.defaultSignature();
    return new ModelGraph(loaded, key, input, output, dataFormat);
  }
}
