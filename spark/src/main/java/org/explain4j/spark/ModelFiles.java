package org.explain4j.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkEnv;
import org.apache.spark.SparkFiles;
import org.apache.spark.deploy.SparkHadoopUtil;
import org.explain4j.exceptions.ModelLoadException;

/**
 * Where a model (or labels file) named by the job lies on this machine. A plain path is used as it
 * is, or, when it does not exist and is relative, as a file shipped with {@code --files} or
 * {@code --archives} ({@link SparkFiles}); a {@code file:} URI is that path; any other URI
 * ({@code hdfs:}, {@code s3a:}, ...) is copied through Hadoop's FileSystem to local disk once per
 * JVM (TensorFlow reads only local files) and deleted when the JVM exits.
 */
final class ModelFiles {
  private static final Map<String, Path> COPIES = new ConcurrentHashMap<>();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(ModelFiles::deleteCopies, "explain4j-spark-model-copies"));
  }

  private ModelFiles() {}

  static Path local(String location) {
    URI uri = uri(location);
    if (uri == null || uri.getScheme() == null) {
      Path path = Path.of(location);
      if (!Files.exists(path) && !path.isAbsolute() && SparkEnv.get() != null) {
        Path shipped = Path.of(SparkFiles.get(location));
        if (Files.exists(shipped)) {
          return shipped;
        }
      }
      return path;
    }
    if (uri.getScheme().equals("file")) {
      return Path.of(uri.getPath());
    }
    return COPIES.computeIfAbsent(location, l -> copy(uri));
  }

  /** The Hadoop settings of this JVM's Spark application ({@code spark.hadoop.*} included), or Hadoop's defaults outside one. */
  static Configuration hadoopConf() {
    SparkEnv env = SparkEnv.get();
    return env == null ? new Configuration() : SparkHadoopUtil.get().newConfiguration(env.conf());
  }

  private static URI uri(String location) {
    // A Windows-style or odd path is no URI: treat it as a path. One-letter schemes are drive letters.
    try {
      URI uri = new URI(location);
      return uri.getScheme() != null && uri.getScheme().length() == 1 ? null : uri;
    } catch (URISyntaxException e) {
      return null;
    }
  }

  private static Path copy(URI uri) {
    try {
      org.apache.hadoop.fs.Path source = new org.apache.hadoop.fs.Path(uri);
      FileSystem fs = source.getFileSystem(hadoopConf());
      if (!fs.exists(source)) {
        throw new ModelLoadException("No model at " + uri + " (looked up with Hadoop's " + fs.getClass().getSimpleName() + ")");
      }
      Path dir = Files.createTempDirectory("explain4j-model-");
      Path target = dir.resolve(source.getName().isEmpty() ? "model" : source.getName());
      fs.copyToLocalFile(false, source, new org.apache.hadoop.fs.Path(target.toUri()), true);
      return target;
    } catch (IOException e) {
      throw new ModelLoadException("Cannot copy the model at " + uri + " to local disk: " + e, e);
    }
  }

  private static void deleteCopies() {
    for (Path copy : COPIES.values()) {
      try (Stream<Path> walk = Files.walk(copy.getParent())) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException | UncheckedIOException e) {
        // best effort at exit
      }
    }
  }
}
