package org.explain4j.internal.tf;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** What the build wrote into {@code org/explain4j/version.properties}: the library's version and TensorFlow Java's. */
public final class BuildInfo {
  private static final Properties VALUES = read();

  private BuildInfo() {}

  /** The value of {@code key}, or {@code otherwise} where the resource or the key is missing. */
  public static String get(String key, String otherwise) {
    return VALUES.getProperty(key, otherwise);
  }

  private static Properties read() {
    Properties p = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream("/org/explain4j/version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // Left empty: every value falls back to what its caller gives.
    }
    return p;
  }
}
