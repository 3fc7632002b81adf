package org.explain4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.explain4j.input.Images;
import org.explain4j.testkit.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./explain4j batch} as a process, on an embedded local Spark: a summary, and one JSON line per file. */
class BatchCommandTest {
  @TempDir
  Path tmp;

  @Test
  void explainsAFolderOnLocalSparkAndCountsTheFailures() throws Exception {
    Path model = TestModels.cnn(tmp.resolve("cnn"), true);
    Path images = Files.createDirectories(tmp.resolve("images"));
    for (int i = 0; i < 3; i++) {
      BufferedImage image = new BufferedImage(TestModels.W, TestModels.H, BufferedImage.TYPE_INT_RGB);
      image.setRGB(i, i, 0xffffff);
      Images.writePng(image, images.resolve("img-" + i + ".png"));
    }
    Files.write(images.resolve("broken.png"), new byte[] {1, 2, 3});
    Path out = tmp.resolve("out");
    Object[] r = CliTest.run("batch", "--model", model.toString(), "--images", images.toString(), "--out", out.toString(),
        "--output-format", "json", "--master", "local[2]");
    assertEquals(0, r[0], (String) r[2]);
    assertTrue(((String) r[1]).contains("listed 4 files: explained 3, failed 1"), (String) r[1]);
    List<String> lines;
    try (Stream<Path> parts = Files.list(out)) {
      lines = parts.filter(p -> p.getFileName().toString().startsWith("part-")).flatMap(p -> {
        try {
          return Files.readAllLines(p).stream();
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).toList();
    }
    assertEquals(4, lines.size());
    assertEquals(1, lines.stream().filter(l -> l.contains("broken.png") && l.contains("\"error\"")).count());
    assertEquals(3, lines.stream().filter(l -> l.contains("\"layerMap\"")).count());
  }
}
