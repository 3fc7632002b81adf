package org.explain4j.input;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.explain4j.exceptions.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files, arrays and token ids become named items of one. */
class InputSourceTest {

  private static BufferedImage solid(int rgb) {
    BufferedImage image = new BufferedImage(4, 3, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 3; y++) {
      for (int x = 0; x < 4; x++) {
        image.setRGB(x, y, rgb);
      }
    }
    return image;
  }

  @Test
  void imageFilesAndDirectoriesBecomeOneItemEachNamedAfterTheFile(@TempDir Path tmp) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("dir"));
    Images.writePng(solid(0xff0000), dir.resolve("b.png"));
    Images.writePng(solid(0x00ff00), dir.resolve("a.png"));
    Path other = Files.createDirectories(tmp.resolve("other"));
    Images.writePng(solid(0x0000ff), other.resolve("a.png"));
    InputSource source = InputSource.images(List.of(dir, other.resolve("a.png")), ImagePreprocessor.builder().optScale(1f).build());
    assertEquals(3, source.size());
    List<InputSource.Item> items = new ArrayList<>();
    source.forEach(items::add);
    assertEquals(List.of("a", "b", "a-2"), items.stream().map(InputSource.Item::name).toList(), "sorted, a repeated name suffixed");
    // Green, red, blue: one pixel of each item, channels in RGB order, scale 1.
    assertArrayEquals(new float[] {0, 255, 0}, java.util.Arrays.copyOf(items.get(0).batch().toFloats(), 3));
    assertArrayEquals(new float[] {255, 0, 0}, java.util.Arrays.copyOf(items.get(1).batch().toFloats(), 3));
    assertArrayEquals(new float[] {0, 0, 255}, java.util.Arrays.copyOf(items.get(2).batch().toFloats(), 3));
    assertEquals("[1, 3, 4, 3]", items.get(0).batch().shape().toString());
    assertEquals(4, items.get(2).image().getWidth(), "the original image is kept for display");
    assertThrows(InvalidInputException.class, () -> InputSource.images(List.of(Files.createDirectories(tmp.resolve("empty"))),
        ImagePreprocessor.builder().build()));
  }

  @Test
  void arrayRowsBecomeItems(@TempDir Path tmp) throws Exception {
    Path file = tmp.resolve("inputs.npy");
    NpyWriter.write(file, new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
    List<InputSource.Item> items = new ArrayList<>();
    InputSource.npy(file).forEach(items::add);
    assertEquals(List.of("inputs-0", "inputs-1", "inputs-2"), items.stream().map(InputSource.Item::name).toList());
    assertArrayEquals(new float[] {5, 6}, items.get(2).batch().toFloats());
    assertNull(items.get(0).image());
  }

  @Test
  void tokenIdsAndVocabularies(@TempDir Path tmp) throws Exception {
    InputSource.Item ids = InputSource.tokenIds(new int[] {4, 2}, List.of("cat", "sat")).iterator().next();
    assertEquals(List.of("cat", "sat"), ids.tokens());
    assertEquals("[1, 2]", ids.batch().shape().toString());
    InvalidInputException miscounted = assertThrows(InvalidInputException.class, () -> InputSource.tokenIds(new int[] {4, 2}, List.of("cat")));
    assertTrue(miscounted.getMessage().contains("1 tokens were given for 2 ids"), miscounted.getMessage());

    Path vocab = tmp.resolve("vocab.txt");
    Files.write(vocab, List.of("<pad>", "the", "cat", "the"));
    InputSource.Item words = InputSource.tokens(List.of("the", "cat", "<pad>"), vocab).iterator().next();
    assertArrayEquals(new float[] {1, 2, 0}, words.batch().toFloats(), "line N is id N; the first of a repeated token wins");
    InvalidInputException unknown = assertThrows(InvalidInputException.class, () -> InputSource.tokens(List.of("dog"), vocab));
    assertTrue(unknown.getMessage().contains("'dog'"), unknown.getMessage());
  }
}
