package org.explain4j.testkit;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Spark standalone cluster on 127.0.0.1 for tests and benchmarks: a master and workers, each its
 * own JVM started from Spark's jars alone (a Spark installation, {@code SPARK_HOME/jars}, linked
 * from jars the caller names), as Spark's scripts start them. Knows nothing of Spark's classes: it
 * starts processes and reads their logs. <b>Close it: it stops every JVM it started and their
 * children (executors, drivers).</b>
 */
public final class StandaloneCluster implements AutoCloseable {
  private static final long START_SECONDS = 60;

  private final Path home;
  private final Path opens;
  private final Path dir;
  private final List<Process> jvms = new ArrayList<>();
  private final List<Process> workers = new ArrayList<>();
  private String master;

  private StandaloneCluster(Path dir, Path home, Path opens) {
    this.dir = dir;
    this.home = home;
    this.opens = opens;
  }

  /**
   * Starts a master and {@code workers} workers of {@code cores} cores and {@code memory} each
   * ({@code "2g"}), with {@code workerConf} as their properties file (resources, discovery
   * scripts); logs and work folders go under {@code dir}. {@code opens} is the file of
   * {@code --add-opens} flags Java 17 needs. Returns once every worker has registered.
   */
  public static StandaloneCluster start(Path dir, List<Path> sparkJars, Path opens, int workers, int cores, String memory,
      Map<String, String> workerConf) throws IOException, InterruptedException {
    Path home = Files.createDirectories(dir.resolve("spark-home"));
    Path jars = Files.createDirectories(home.resolve("jars"));
    for (Path jar : sparkJars) {
      Path link = jars.resolve(jar.getFileName());
      if (!Files.exists(link)) {
        Files.createSymbolicLink(link, jar.toAbsolutePath());
      }
    }
    StandaloneCluster cluster = new StandaloneCluster(dir, home, opens);
    try {
      Path properties = dir.resolve("worker.conf");
      StringBuilder text = new StringBuilder();
      workerConf.forEach((k, v) -> text.append(k).append(' ').append(v).append('\n'));
      Files.writeString(properties, text);
      Path masterLog = dir.resolve("master.log");
      cluster.sparkJvm(masterLog, "512m", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", "0", "--webui-port", "0");
      cluster.master = await(masterLog, Pattern.compile("Starting Spark master at (spark://\\S+)")).group(1);
      for (int i = 1; i <= workers; i++) {
        Path log = dir.resolve("worker-" + i + ".log");
        Process worker = cluster.sparkJvm(log, "512m", "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--port", "0",
            "--webui-port", "0", "--cores", String.valueOf(cores), "--memory", memory, "--work-dir",
            Files.createDirectories(dir.resolve("worker-" + i)).toString(), "--properties-file", properties.toString(), cluster.master);
        cluster.workers.add(worker);
        await(log, Pattern.compile("Successfully registered with master"));
      }
      return cluster;
    } catch (IOException | InterruptedException | RuntimeException | Error e) {
      cluster.close();
      throw e;
    }
  }

  /**
   * The Spark jars of a class path: its jars less those of explain4j, TensorFlow, JavaCPP, picocli
   * and JUnit, so that executors get those only from the job's jar.
   */
  public static List<Path> sparkJars(String classPath) {
    List<String> ours = List.of("/org/explain4j/", "/org/tensorflow/", "/org/bytedeco/", "/org/junit/", "/org/opentest4j/",
        "/org/apiguardian/", "/info/picocli/");
    List<Path> jars = new ArrayList<>();
    for (String entry : classPath.split(File.pathSeparator)) {
      String name = Path.of(entry).getFileName().toString();
      if (name.endsWith(".jar") && !name.startsWith("explain4j-") && ours.stream().noneMatch(entry::contains)) {
        jars.add(Path.of(entry));
      }
    }
    return jars;
  }

  /** The master's URL, {@code spark://127.0.0.1:PORT}. */
  public String master() {
    return master;
  }

  /** Worker {@code i} (from 1), to kill. */
  public Process worker(int i) {
    return workers.get(i - 1);
  }

  /** The folder under which the cluster keeps its logs and worker folders. */
  public Path dir() {
    return dir;
  }

  /** {@code SparkSubmit} with {@code args} (as spark-submit's), on Spark's jars alone, its output to {@code log}. */
  public Process submit(Path log, List<String> args) throws IOException {
    return sparkJvm(log, "768m", "org.apache.spark.deploy.SparkSubmit", args.toArray(String[]::new));
  }

  /** A JVM on {@code classPath} running {@code mainClass} (a driver in client mode), with the cluster's environment. */
  public Process java(Path log, String classPath, String mainClass, List<String> args) throws IOException {
    List<String> command = new ArrayList<>(List.of(javaBin(), "-Xmx768m", "@" + opens.toAbsolutePath(), "-cp", classPath, mainClass));
    command.addAll(args);
    return start(command, log);
  }

  private Process sparkJvm(Path log, String heap, String mainClass, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(javaBin(), "-Xmx" + heap, "@" + opens.toAbsolutePath(), "-cp",
        home.resolve("jars") + File.separator + "*", mainClass));
    command.addAll(List.of(args));
    return start(command, log);
  }

  private Process start(List<String> command, Path log) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("SPARK_HOME", home.toString());
    pb.environment().put("SPARK_SCALA_VERSION", "2.12"); // an installation, not a build tree: no version to find
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().put("SPARK_LOCAL_HOSTNAME", "127.0.0.1");
    pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
    Process p = pb.start();
    jvms.add(p);
    return p;
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Waits for a line matching {@code pattern} in {@code log}; fails with the log's end after a minute. */
  public static Matcher await(Path log, Pattern pattern) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
    while (System.nanoTime() < deadline) {
      Matcher m = pattern.matcher(Files.exists(log) ? Files.readString(log) : "");
      if (m.find()) {
        return m;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("No '" + pattern + "' within " + START_SECONDS + " s in " + log + ":\n" + tail(log));
  }

  /** Waits for {@code p} to exit, at most {@code seconds}; returns its status, or fails with the log's end (the process killed). */
  public static int finish(Process p, Path log, long seconds) throws InterruptedException {
    if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new IllegalStateException("Not done within " + seconds + " s:\n" + tail(log));
    }
    return p.exitValue();
  }

  /** The last few thousand characters of a log. */
  public static String tail(Path log) {
    try {
      String text = Files.exists(log) ? Files.readString(log) : "(no output)";
      return text.substring(Math.max(0, text.length() - 6000));
    } catch (IOException e) {
      return e.toString();
    }
  }

  @Override
  public void close() {
    for (Process p : jvms) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    for (Process p : jvms) {
      try {
        p.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
