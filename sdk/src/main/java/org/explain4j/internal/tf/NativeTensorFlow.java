package org.explain4j.internal.tf;

import org.explain4j.exceptions.ModelLoadException;
import org.tensorflow.TensorFlow;

/**
 * Whether TensorFlow's native library loads: the SDK depends on TensorFlow's Java API only, and an
 * application brings {@code tensorflow-core-native} for its platform. Without it, the first use of
 * TensorFlow fails deep inside JavaCPP's loader; this says what to add instead.
 */
public final class NativeTensorFlow {
  private static volatile boolean loaded;

  private NativeTensorFlow() {}

  /** Loads TensorFlow's native library, or throws a {@link ModelLoadException} naming the artifact to add. */
  public static void require() {
    if (loaded) {
      return;
    }
    try {
      TensorFlow.version();
      loaded = true;
    } catch (LinkageError e) {
      String os = System.getProperty("os.name", "?") + " " + System.getProperty("os.arch", "?");
      throw new ModelLoadException("TensorFlow's native library is not on the class path (running on " + os + "): add the"
          + " dependency org.tensorflow:tensorflow-core-native:" + javaVersion() + " with the classifier of your"
          + " platform (linux-x86_64, linux-x86_64-gpu, macosx-arm64 or windows-x86_64) to your application; explain4j-sdk"
          + " depends on tensorflow-core-api only. Cause: " + e, e);
    }
  }

  /** The TensorFlow Java release the SDK was built against. */
  static String javaVersion() {
    return BuildInfo.get("tensorflowJava", "<the version of your tensorflow-core-api>");
  }
}
