package org.explain4j.internal.explain;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.tensorflow.TensorFlow;

/** The library's version (written into a resource at build time) and TensorFlow's, for provenance. */
public final class Versions {
  private static final String LIBRARY = read();

  private Versions() {}

  public static String library() {
    return LIBRARY;
  }

  public static String tensorFlow() {
    return TensorFlow.version();
  }

  private static String read() {
    try (InputStream in = Versions.class.getResourceAsStream("/org/explain4j/version.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
