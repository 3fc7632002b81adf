package org.explain4j.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/** The headless Chromium browser tests use (Debian's {@code chromium}; {@code .ci/run} installs it). */
public final class Chromium {
  private Chromium() {}

  /**
   * The browser's path. Where none is installed the calling test is skipped, saying so, except
   * under {@code CI=true}: on CI the browser is part of the build, and its absence fails the test.
   */
  public static Path require() {
    for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return Path.of(candidate);
      }
    }
    String reason = "no headless Chromium (apt-get install chromium; .ci/run installs it)";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new AssertionError("CI=true and " + reason);
    }
    System.out.println("Skipping: " + reason);
    Assumptions.assumeTrue(false, reason);
    return null;
  }
}
