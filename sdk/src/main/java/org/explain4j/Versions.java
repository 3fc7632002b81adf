package org.explain4j;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.tensorflow.TensorFlow;

/** The library's version (written into a resource at build time) and TensorFlow's, for provenance. */
final class Versions {
  private static final String LIBRARY = read();

  private Versions() {}

  static String library() {
    return LIBRARY;
  }

  static String tensorFlow() {
    return TensorFlow.version();
  }

  private static String read() {
    try (InputStream in = Versions.class.getResourceAsStream("version.properties")) {
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
