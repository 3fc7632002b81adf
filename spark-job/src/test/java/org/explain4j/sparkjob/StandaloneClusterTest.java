package org.explain4j.sparkjob;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.explain4j.input.Images;
import org.explain4j.testkit.TestData;
import org.explain4j.testkit.StandaloneCluster;
import org.explain4j.testkit.TestModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The batch job on a real standalone cluster: a master and two workers, each its own JVM on
 * 127.0.0.1 started from Spark's jars alone (a Spark installation made of the test's Spark jars,
 * without explain4j or TensorFlow), each worker offering one GPU that a discovery script reports.
 * The job goes through {@code SparkSubmit} with the shaded jar; when both executors are inside a
 * task (their reads wait for the test), one worker is killed; every file must come out exactly once.
 * Then {@code BatchCommand --master spark://...} ships the jar itself, and standalone's cluster
 * deploy mode runs the driver on a worker. Every JVM is stopped at the end.
 */
class StandaloneClusterTest {
  static final Path JOB_JAR = Path.of(System.getProperty("explain4j.jobJar", "target/explain4j-spark-job.jar"));
  static final Path OPENS = Path.of(System.getProperty("explain4j.opensFile", "../spark/java17-opens.args"));
  static final int GOOD = 10;
  static final long DEADLINE_S = 180;

  @TempDir
  static Path dir;
  static StandaloneCluster cluster;
  static Path model;
  static Path images;

  @BeforeAll
  static void startCluster() throws Exception {
    assertTrue(Files.isRegularFile(JOB_JAR), "the shaded jar is built in the package phase: " + JOB_JAR);
    model = TestModels.cnn(dir.resolve("cnn"), true);
    images = Files.createDirectories(dir.resolve("images"));
    Random rng = new Random(3);
    for (int i = 0; i < GOOD; i++) {
      BufferedImage image = TestModels.noise(rng, TestModels.W, TestModels.H);
      Images.writePng(image, images.resolve("img-" + i + ".png"));
    }
    Files.write(images.resolve("empty.png"), new byte[0]);
    byte[] photo = Files.readAllBytes(TestData.image("grace_hopper.jpg"));
    Files.write(images.resolve("truncated.jpg"), Arrays.copyOf(photo, photo.length / 3));

    // Each worker offers one GPU, address 7, as a discovery script reports it.
    Path gpus = dir.resolve("gpus.sh");
    Files.writeString(gpus, "#!/bin/sh\necho '{\"name\": \"gpu\", \"addresses\": [\"7\"]}'\n");
    Files.setPosixFilePermissions(gpus, PosixFilePermissions.fromString("rwxr-xr-x"));
    List<Path> sparkJars = StandaloneCluster.sparkJars(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
    assertTrue(sparkJars.size() > 50, "Spark's jars from the class path: " + sparkJars.size());
    cluster = StandaloneCluster.start(Files.createDirectories(dir.resolve("cluster")), sparkJars, OPENS, 2, 2, "2g",
        Map.of("spark.worker.resource.gpu.amount", "1", "spark.worker.resource.gpu.discoveryScript", gpus.toString()));
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static int finish(Process p, Path log) throws InterruptedException {
    return StandaloneCluster.finish(p, log, DEADLINE_S);
  }

  static String tail(Path log) {
    return StandaloneCluster.tail(log);
  }

  /** The JSON lines a job wrote, by the file name of their path. */
  static Map<String, String> rows(Path out) throws IOException {
    assertTrue(Files.exists(out.resolve("_SUCCESS")), "the job committed its output");
    Map<String, String> rows = new HashMap<>();
    Pattern path = Pattern.compile("\"path\":\"([^\"]+)\"");
    try (Stream<Path> parts = Files.list(out)) {
      for (Path part : parts.filter(p -> p.getFileName().toString().startsWith("part-")).toList()) {
        for (String line : Files.readAllLines(part)) {
          Matcher m = path.matcher(line);
          assertTrue(m.find(), line);
          String name = m.group(1).substring(m.group(1).lastIndexOf('/') + 1);
          assertTrue(rows.put(name, line) == null, name + " came out twice");
        }
      }
    }
    return rows;
  }

  static Set<String> expectedFiles() {
    try (Stream<Path> files = Files.list(images)) {
      return files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void assertEveryFileOnce(Map<String, String> rows, String summary) {
    assertEquals(expectedFiles(), rows.keySet(), "exactly one row per file");
    assertTrue(rows.get("empty.png").contains("\"errorKind\":\"empty file\""), rows.get("empty.png"));
    assertTrue(rows.get("truncated.jpg").contains("\"errorKind\":\"not a decodable image\""), rows.get("truncated.jpg"));
    for (int i = 0; i < GOOD; i++) {
      String row = rows.get("img-" + i + ".png");
      assertTrue(row.contains("\"layerMap\"") && !row.contains("\"error\""), row);
    }
    assertTrue(summary.contains("listed " + (GOOD + 2) + " files: explained " + GOOD + ", failed 2 (empty file 1, not a decodable image 1)"),
        summary);
  }

  /** The blocking file system's class in a jar of its own, for --jars. */
  static Path blockingJar() throws IOException {
    Path jar = dir.resolve("blocking-fs.jar");
    String entry = BlockingFileSystem.class.getName().replace('.', '/') + ".class";
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
        InputStream in = BlockingFileSystem.class.getClassLoader().getResourceAsStream(entry)) {
      out.putNextEntry(new JarEntry(entry));
      in.transferTo(out);
      out.closeEntry();
    }
    return jar;
  }

  @Test
  void submittedWithTheShadedJarEveryFileComesOutOnceThoughAWorkerIsKilledMidJob() throws Exception {
    Path markers = Files.createDirectories(dir.resolve("markers"));
    Path events = Files.createDirectories(dir.resolve("events"));
    Path out = dir.resolve("out-submitted");
    Path log = dir.resolve("submit.log");
    Process submit = cluster.submit(log, List.of("--master", cluster.master(), "--deploy-mode", "client", "--class", "org.explain4j.spark.BatchCommand", "--jars", blockingJar().toString(),
        "--conf", "spark.hadoop.fs.blocking.impl=" + BlockingFileSystem.class.getName(),
        "--conf", "spark.hadoop.fs.blocking.markers=" + markers,
        "--conf", "spark.executor.cores=1", "--conf", "spark.cores.max=2", "--conf", "spark.executor.memory=768m",
        "--conf", "spark.executor.resource.gpu.amount=1", "--conf", "spark.task.resource.gpu.amount=1",
        "--conf", "spark.eventLog.enabled=true", "--conf", "spark.eventLog.dir=" + events.toUri(),
        "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.ui.enabled=false",
        JOB_JAR.toString(), "--model", model.toString(), "--images", "blocking://" + images, "--out", out.toString(),
        "--output-format", "json", "--partitions", "6", "--batch-size", "2"));
    // Both executors are inside a task, waiting to read: kill one worker (its executor goes with it), then let reads go on.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_S);
    while (readers(markers) < 2) {
      if (System.nanoTime() > deadline || !submit.isAlive()) {
        fail("Two executors never reached their reads:\n" + tail(log));
      }
      Thread.sleep(50);
    }
    Process killed = cluster.worker(2);
    killed.destroyForcibly();
    assertTrue(killed.waitFor(30, TimeUnit.SECONDS));
    Files.writeString(markers.resolve("release"), "go");
    assertEquals(0, finish(submit, log), tail(log));
    assertEveryFileOnce(rows(out), Files.readString(log));
    for (int i = 0; i < GOOD; i++) {
      assertTrue(rows(out).get("img-" + i + ".png").contains("\"devices\":\"7\""), "the task's GPU reached the explainer's settings");
    }

    String eventLog;
    try (Stream<Path> logs = Files.list(events)) {
      eventLog = Files.readString(logs.findFirst().orElseThrow());
    }
    assertTrue(eventLog.contains("SparkListenerExecutorRemoved"), "an executor was lost mid-job");
    long shuffled = 0;
    Matcher m = Pattern.compile("\"Shuffle Bytes Written\":(\\d+)").matcher(eventLog);
    while (m.find()) {
      shuffled += Long.parseLong(m.group(1));
    }
    long pathBytes = expectedFiles().stream().mapToLong(f -> ("blocking:" + images + "/" + f).getBytes(StandardCharsets.UTF_8).length).sum();
    assertTrue(shuffled <= pathBytes, "shuffled " + shuffled + " bytes; the path list is " + pathBytes);
  }

  /** How many JVMs have a read waiting. */
  static long readers(Path markers) throws IOException {
    try (Stream<Path> files = Files.list(markers)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("reached-")).map(n -> n.split("-")[1]).distinct().count();
    }
  }

  @Test
  void theBatchCommandWithAClusterMasterShipsTheJarItself() throws Exception {
    Path out = dir.resolve("out-command");
    Path log = dir.resolve("command.log");
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Process command = cluster.java(log, classPath, "org.explain4j.spark.BatchCommand", List.of("--master", cluster.master(),
        "--job-jar", JOB_JAR.toString(),
        "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.executor.cores=1", "--conf", "spark.cores.max=1",
        "--conf", "spark.executor.memory=768m",
        "--model", model.toUri().toString(), "--images", images.toString(), "--out", out.toString(), "--output-format", "json"));
    assertEquals(0, finish(command, log), tail(log));
    assertEveryFileOnce(rows(out), Files.readString(log));
  }

  @Test
  void clusterDeployModeRunsTheDriverOnAWorkerWithTheOpensGiven() throws Exception {
    Path out = dir.resolve("out-cluster-mode");
    Path log = dir.resolve("cluster-mode.log");
    String opens = Files.readAllLines(OPENS).stream().map(String::strip).filter(l -> !l.isEmpty()).collect(Collectors.joining(" "));
    Process submit = cluster.submit(log, List.of("--master", cluster.master(), "--deploy-mode", "cluster", "--class", "org.explain4j.spark.BatchCommand",
        "--conf", "spark.driver.extraJavaOptions=" + opens, "--conf", "spark.driver.memory=768m",
        "--conf", "spark.executor.cores=1", "--conf", "spark.cores.max=1", "--conf", "spark.executor.memory=768m",
        "--conf", "spark.standalone.submit.waitAppCompletion=true",
        JOB_JAR.toString(), "--model", model.toString(), "--images", images.toString(), "--out", out.toString(), "--output-format", "json"));
    assertEquals(0, finish(submit, log), tail(log));
    // The driver ran on a worker: its summary is in that worker's folder.
    String driverOut;
    try (Stream<Path> files = Files.walk(cluster.dir().resolve("worker-1"));
        Stream<Path> more = Files.walk(cluster.dir().resolve("worker-2"))) {
      driverOut = Stream.concat(files, more).filter(p -> p.getFileName().toString().equals("stdout") && p.getParent().getFileName()
          .toString().startsWith("driver-")).map(p -> {
            try {
              return Files.readString(p);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          }).collect(Collectors.joining("\n"));
    }
    assertEveryFileOnce(rows(out), driverOut);
  }
}
