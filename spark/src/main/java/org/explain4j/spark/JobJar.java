package org.explain4j.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The shaded job jar for clusters, and the {@code spark-submit} line that runs it. */
final class JobJar {
  /** How a checkout builds it. */
  static final String BUILD = "mvn -B -pl spark-job -am -DskipTests package";

  /**
   * What Java 17 must open for TensorFlow Java and Spark in a driver that Spark's launcher did not
   * start (standalone's {@code --deploy-mode cluster}): {@code spark/java17-opens.args}, carried in the jar.
   */
  static String driverOpens() {
    try (java.io.InputStream in = JobJar.class.getResourceAsStream("java17-opens.args")) {
      if (in == null) {
        throw new IllegalStateException("java17-opens.args is missing from the explain4j-spark jar");
      }
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().map(String::strip)
          .filter(l -> !l.isEmpty()).collect(Collectors.joining(" "));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private JobJar() {}

  /** The jar this checkout built ({@code -Dexplain4j.home}, set by ./explain4j), or null when there is none. */
  static Path built() {
    String home = System.getProperty("explain4j.home");
    if (home == null) {
      return null;
    }
    Path target = Path.of(home, "spark-job", "target");
    if (!Files.isDirectory(target)) {
      return null;
    }
    try (Stream<Path> files = Files.list(target)) {
      return files.filter(p -> p.getFileName().toString().matches("explain4j-spark-job-.*\\.jar")
          && !p.getFileName().toString().matches(".*-(sources|javadoc)\\.jar")).findFirst().orElse(null);
    } catch (IOException e) {
      return null;
    }
  }

  /** The spark-submit line for {@code master} running the batch with {@code args}. */
  static String submitLine(String master, Path jar, List<String> args) {
    String jarText = jar == null ? "spark-job/target/explain4j-spark-job-<version>.jar" : jar.toString();
    return "spark-submit --master " + master + " --class " + BatchCommand.class.getName() + " --conf "
        + quoted("spark.driver.extraJavaOptions=" + driverOpens()) + " " + jarText + " "
        + args.stream().map(JobJar::quoted).collect(Collectors.joining(" "));
  }

  private static String quoted(String arg) {
    return arg.matches("[A-Za-z0-9_./:=,@%+-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'";
  }
}
