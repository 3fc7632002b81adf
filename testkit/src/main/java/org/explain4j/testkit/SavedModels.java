package org.explain4j.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;

/** Writes a session's graph and variables as a SavedModel: the test fixtures, the demo models and the benchmarks use it. */
public final class SavedModels {
  private SavedModels() {}

  /**
   * Exports {@code session} with one signature into {@code dir}. The model is written beside
   * {@code dir} and moved into place, so that a reader never sees half a model; when another
   * process got there first, its model is kept.
   */
  public static Path export(Session session, Path dir, Signature signature) {
    Path tmp = dir.toAbsolutePath().resolveSibling(dir.getFileName() + ".tmp" + ProcessHandle.current().pid());
    try {
      Files.createDirectories(tmp.getParent());
      SavedModelBundle.exporter(tmp.toString()).withFunction(SessionFunction.create(signature, session)).export();
      try {
        Files.move(tmp, dir);
      } catch (IOException e) {
        if (!Files.isRegularFile(dir.resolve("saved_model.pb"))) {
          throw e;
        }
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot export a SavedModel to " + dir + ": " + e.getMessage(), e);
    }
  }
}
