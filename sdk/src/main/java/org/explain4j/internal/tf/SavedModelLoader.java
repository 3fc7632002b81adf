package org.explain4j.internal.tf;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SavedModel;
import org.explain4j.exceptions.ModelLoadException;

/** Opens a SavedModel directory, turning TensorFlow's failures into messages that say what exists. */
final class SavedModelLoader {
  private SavedModelLoader() {}

  /** <b>The returned bundle owns native memory: the caller must close it.</b> */
  static SavedModelBundle load(Path dir, String[] tags, ConfigProto config) {
    if (!Files.isDirectory(dir)) {
      throw new ModelLoadException("No SavedModel directory at " + dir.toAbsolutePath()
          + (Files.exists(dir) ? ": it is a file, expected a directory holding saved_model.pb" : ": it does not exist"));
    }
    Path pb = dir.resolve("saved_model.pb");
    if (!Files.isRegularFile(pb) && !Files.isRegularFile(dir.resolve("saved_model.pbtxt"))) {
      throw new ModelLoadException(dir.toAbsolutePath() + " is not a SavedModel: expected saved_model.pb in it");
    }
    List<List<String>> tagSets = Files.isRegularFile(pb) ? readTagSets(pb) : List.of();
    if (!tagSets.isEmpty() && tagSets.stream().noneMatch(set -> set.containsAll(List.of(tags)))) {
      throw new ModelLoadException("SavedModel " + dir + " has no meta graph with tags " + List.of(tags)
          + "; it has " + tagSets);
    }
    try {
      SavedModelBundle.Loader loader = SavedModelBundle.loader(dir.toString()).withTags(tags);
      return (config == null ? loader : loader.withConfigProto(config)).load();
    } catch (RuntimeException e) {
      throw new ModelLoadException("TensorFlow could not load SavedModel " + dir + " with tags " + List.of(tags)
          + ": " + e.getMessage(), e);
    }
  }

  /** The tag sets of the meta graphs in saved_model.pb. */
  private static List<List<String>> readTagSets(Path pb) {
    try (InputStream in = Files.newInputStream(pb)) {
      SavedModel model = SavedModel.parseFrom(in);
      List<List<String>> sets = new ArrayList<>();
      for (MetaGraphDef meta : model.getMetaGraphsList()) {
        sets.add(List.copyOf(meta.getMetaInfoDef().getTagsList()));
      }
      return sets;
    } catch (IOException | RuntimeException e) {
      throw new ModelLoadException("Cannot read " + pb + " as a SavedModel protocol buffer: " + e.getMessage(), e);
    }
  }
}
