package org.explain4j;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.explain4j.input.Images;
import org.explain4j.input.NpyReader;
import org.explain4j.input.NpyWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.explain4j.exceptions.ExplainException;
import org.explain4j.input.InputBatch;
import org.explain4j.testkit.TestModels;

/**
 * Seeded fuzzing of everything a user hands us: damaged images, {@code .npy} files with lying
 * headers, broken SavedModel directories. Each case must end in a result or a clear
 * {@link ExplainException}: never a JVM crash, never another exception type, never a hang (a case
 * is stopped after 30 s, far beyond what any takes; speed is the benchmarks' business). 500+ cases
 * per run, reproducible.
 */
class RobustnessTest {
  private static final long SEED = 20261122L;
  private static final java.time.Duration HANG = java.time.Duration.ofSeconds(30);
  @TempDir static Path tmp;
  static Path model;
  static Explainer explainer;

  @BeforeAll
  static void build() {
    model = TestModels.cnn(tmp.resolve("cnn"), true);
    explainer = Explainer.builder().setModel(model).build();
  }

  @org.junit.jupiter.api.AfterAll
  static void close() {
    explainer.close();
  }

  interface Case {
    void run() throws Exception;
  }

  /** Runs a case: it may succeed or throw one of the expected types, and must not hang. */
  @SafeVarargs
  private static void check(String what, Case c, Class<? extends Exception>... expected) {
    org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(HANG, () -> {
      try {
        c.run();
      } catch (Exception e) {
        boolean known = false;
        for (Class<? extends Exception> type : expected) {
          known |= type.isInstance(e);
        }
        if (!known) {
          fail(what + ": unexpected " + e, e);
        }
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), what + ": exception without a message");
      }
    }, what + " did not finish");
  }

  private static byte[] mutate(byte[] bytes, Random rng) {
    return switch (rng.nextInt(3)) {
      case 0 -> java.util.Arrays.copyOf(bytes, rng.nextInt(bytes.length));
      case 1 -> {
        byte[] b = bytes.clone();
        for (int k = 0, n = 1 + rng.nextInt(16); k < n; k++) {
          b[rng.nextInt(b.length)] ^= (byte) (1 << rng.nextInt(8));
        }
        yield b;
      }
      default -> {
        byte[] b = bytes.clone();
        int at = rng.nextInt(b.length);
        for (int k = at; k < Math.min(b.length, at + 1 + rng.nextInt(64)); k++) {
          b[k] = (byte) rng.nextInt(256);
        }
        yield b;
      }
    };
  }

  @Test
  void damagedImages() throws Exception {
    Random rng = new Random(SEED);
    BufferedImage image = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 30; y++) {
      for (int x = 0; x < 40; x++) {
        image.setRGB(x, y, rng.nextInt(0x1000000));
      }
    }
    List<byte[]> originals = new ArrayList<>();
    for (String format : List.of("png", "bmp", "gif", "tiff")) {
      Path file = tmp.resolve("image." + format);
      Images.write(image, file, format);
      originals.add(Files.readAllBytes(file));
    }
    Path jpeg = tmp.resolve("image.jpg");
    javax.imageio.ImageIO.write(image, "jpg", jpeg.toFile());
    originals.add(Files.readAllBytes(jpeg));
    for (int i = 0; i < 250; i++) {
      byte[] damaged = mutate(originals.get(i % originals.size()), rng);
      String name = "case " + i + " of seed " + SEED;
      check(name, () -> Images.decode(damaged, name), ExplainException.class);
    }
  }

  @Test
  void npyFilesWithLyingHeaders() {
    Random rng = new Random(SEED + 1);
    byte[] good = NpyWriter.floats(TestModels.random(rng, 2 * 16 * 16 * 3, 1.0), 2, 16, 16, 3);
    int headerLength = (good[8] & 255) | (good[9] & 255) << 8;
    String header = new String(good, 10, headerLength, java.nio.charset.StandardCharsets.ISO_8859_1);
    List<String> lies = List.of("(3, 16, 16, 3)", "(2, 16, 16)", "(2, 16, 16, 3, 1)", "(-2, 16, 16, 3)", "(2, 999999999, 99999, 3)",
        "(2, 16, 16, x)", "()", "(1, 16, 16, 3)");
    for (int i = 0; i < 220; i++) {
      byte[] bytes;
      if (i < lies.size() * 8) {
        String lie = lies.get(i % lies.size());
        String descr = List.of("<f4", "<i4", "<i8", ">f4", "<f8", "|u1", "<f4", "<f4").get(i / lies.size() % 8);
        String text = header.replaceFirst("\\(2, 16, 16, 3\\)", java.util.regex.Matcher.quoteReplacement(lie)).replace("<f4", descr);
        // Same header length, so that the data stays where it was: only the header lies.
        String sized = text.length() >= headerLength ? text.substring(0, headerLength)
            : text.substring(0, text.length() - 1) + " ".repeat(headerLength - text.length()) + "\n";
        bytes = good.clone();
        byte[] h = sized.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        System.arraycopy(h, 0, bytes, 10, headerLength);
      } else {
        bytes = mutate(good, rng);
      }
      byte[] fed = bytes;
      String name = "npy case " + i + " of seed " + SEED;
      check(name, () -> {
        InputBatch batch = NpyReader.parse(fed, name);
        explainer.explain(batch, Targets.predicted());
      }, ExplainException.class);
    }
  }

  @Test
  void brokenSavedModelDirectories() throws IOException {
    Random rng = new Random(SEED + 2);
    byte[] pb = Files.readAllBytes(model.resolve("saved_model.pb"));
    Path index = model.resolve("variables").resolve("variables.index");
    Path data;
    try (Stream<Path> files = Files.list(model.resolve("variables"))) {
      data = files.filter(f -> f.getFileName().toString().startsWith("variables.data")).findFirst().orElseThrow();
    }
    byte[] indexBytes = Files.readAllBytes(index);
    byte[] dataBytes = Files.readAllBytes(data);
    for (int i = 0; i < 60; i++) {
      Path dir = tmp.resolve("broken" + i);
      copy(model, dir);
      switch (i % 5) {
        case 0 -> Files.write(dir.resolve("saved_model.pb"), java.util.Arrays.copyOf(pb, rng.nextInt(pb.length)));
        case 1 -> Files.write(dir.resolve("saved_model.pb"), mutate(pb, rng));
        case 2 -> deleteTree(dir.resolve("variables"));
        case 3 -> Files.write(dir.resolve("variables").resolve("variables.index"), mutate(indexBytes, rng));
        default -> Files.write(dir.resolve("variables").resolve(data.getFileName()), mutate(dataBytes, rng));
      }
      String name = "saved model case " + i + " of seed " + SEED;
      long imageSeed = i;
      check(name, () -> {
        try (Explainer e = Explainer.builder().setModel(dir).build()) {
          e.explain(TestInputs.images(1, imageSeed), Targets.predicted());
        }
      }, ExplainException.class);
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : files.toList()) {
        Files.copy(p, to.resolve(from.relativize(p).toString()));
      }
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
