package org.explain4j.internal.explain;

import org.explain4j.internal.tf.BuildInfo;
import org.tensorflow.TensorFlow;

/** The library's version (written into a resource at build time) and TensorFlow's, for provenance. */
public final class Versions {
  private static final String LIBRARY = BuildInfo.get("version", "unknown");

  private Versions() {}

  public static String library() {
    return LIBRARY;
  }

  public static String tensorFlow() {
    return TensorFlow.version();
  }
}
