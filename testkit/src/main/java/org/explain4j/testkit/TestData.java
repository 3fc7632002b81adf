package org.explain4j.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The third-party models and photos the repository carries in {@code testdata/} (see its README and
 * the NOTICE file for their sources and licences): found from any module's directory, so that every
 * test that uses them runs in a plain clone. A missing file is an error, never a skip.
 */
public final class TestData {
  private TestData() {}

  /** The model directory (or, for a frozen graph, its folder) {@code testdata/models/<name>}. */
  public static Path model(String name) {
    return existing(root().resolve("models").resolve(name));
  }

  /** The photo {@code testdata/images/<name>}. */
  public static Path image(String name) {
    return existing(root().resolve("images").resolve(name));
  }

  /** {@code testdata/} of the project this test runs in: the nearest folder above the working directory that has it. */
  public static Path root() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolve("testdata");
      if (Files.isRegularFile(candidate.resolve("README.md")) && Files.isRegularFile(p.resolve("pom.xml"))) {
        return candidate;
      }
    }
    throw new IllegalStateException("No testdata/ folder above " + Path.of("").toAbsolutePath()
        + ": the repository carries it; run the tests from inside a checkout");
  }

  private static Path existing(Path p) {
    if (!Files.exists(p)) {
      throw new IllegalStateException("Test data " + p + " is missing; the repository carries it (testdata/README.md)");
    }
    return p;
  }
}
