package org.explain4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.explain4j.exceptions.InvalidInputException;
import org.explain4j.input.ImagePreprocessor;
import org.explain4j.input.InputBatch;
import org.explain4j.render.Rendering;
import org.explain4j.render.Renderers;
import org.explain4j.testkit.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Models that take uint8 pixels and scale them in the graph, as served models often do. */
class Uint8InputTest {

  @Test
  void rawPixelsExplainAsTheFloatTwinExplainsScaledOnes(@TempDir Path tmp) {
    Path bytes = TestModels.cnnUint8(tmp.resolve("uint8"));
    Path floats = TestModels.cnn(tmp.resolve("float"), true);
    Random rng = new Random(5);
    int n = 2 * 16 * 16 * 3;
    float[] pixels = new float[n];
    float[] scaled = new float[n];
    for (int i = 0; i < n; i++) {
      pixels[i] = rng.nextInt(256);
      scaled[i] = pixels[i] / 255f;
    }
    try (Explainer u8 = Explainer.builder().setModel(bytes).build();
        Explainer f32 = Explainer.builder().setModel(floats).build()) {
      assertEquals(org.tensorflow.proto.DataType.DT_UINT8, u8.model().inputs().get(0).dataType());
      assertEquals("conv2/Relu", u8.layer().name());
      Explanation a = u8.explain(InputBatch.ofFloats(pixels, 2, 16, 16, 3), Targets.topK(2));
      Explanation b = f32.explain(InputBatch.ofFloats(scaled, 2, 16, 16, 3), Targets.topK(2));
      for (int i = 0; i < a.targets().size(); i++) {
        assertEquals(b.targets().get(i).target(), a.targets().get(i).target());
        assertArrayEquals(b.targets().get(i).heatMap().values(), a.targets().get(i).heatMap().values(), 1e-5f);
      }
      InvalidInputException scaledByMistake = assertThrows(InvalidInputException.class,
          () -> u8.explain(InputBatch.ofFloats(scaled, 2, 16, 16, 3)));
      assertTrue(scaledByMistake.getMessage().contains("uint8") && scaledByMistake.getMessage().contains("0..255"),
          scaledByMistake.getMessage());
      // The preprocessor leaves pixels raw for a uint8 input, and the overlay draws them.
      BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
      image.setRGB(3, 4, 0x80ff10);
      InputBatch batch = ImagePreprocessor.forModel(u8.model()).build().toBatch(List.of(image));
      assertArrayEquals(new float[] {128, 255, 16}, java.util.Arrays.copyOfRange(batch.toFloats(), (4 * 16 + 3) * 3, (4 * 16 + 3) * 3 + 3));
      assertEquals(Rendering.Format.PNG, Renderers.show(u8, batch).format());
    }
  }

  @Test
  void channelsFirstImageInputsArePreprocessedAndDrawnChannelsFirst(@TempDir Path tmp) {
    Path model = TestModels.nchwInput(tmp.resolve("nchw"));
    BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
    image.setRGB(5, 2, 0xff8000);
    try (Explainer explainer = Explainer.builder().setModel(model).build()) {
      InputBatch batch = ImagePreprocessor.forModel(explainer.model()).build().toBatch(List.of(image));
      assertEquals("[1, 3, 8, 8]", batch.shape().toString());
      float[] v = batch.toFloats();
      int cell = 2 * 8 + 5;
      assertArrayEquals(new float[] {1f, 128 / 255f, 0f}, new float[] {v[cell], v[64 + cell], v[128 + cell]}, 1e-6f,
          "red, green, blue planes at row 2, column 5");
      TargetExplanation t = explainer.explain(batch).first(0);
      assertEquals(8, t.heatMap().height());
      assertEquals(8, t.heatMap().width());
      assertEquals(Rendering.Format.PNG, Renderers.show(explainer, batch).format());
    }
  }

  @Test
  void encodedImagesAreDecodedByTheModelAndMapsTakeTheirSize(@TempDir Path tmp) throws Exception {
    Path encoded = TestModels.cnnEncodedPng(tmp.resolve("png"));
    Path floats = TestModels.cnn(tmp.resolve("float"), true);
    float[] scaled = new float[16 * 16 * 3];
    byte[] png = randomPng(new Random(9), scaled, 0);
    try (Explainer fromFile = Explainer.builder().setModel(encoded).build();
        Explainer f32 = Explainer.builder().setModel(floats).build()) {
      assertEquals(org.tensorflow.proto.DataType.DT_STRING, fromFile.model().inputs().get(0).dataType());
      assertEquals("conv2/Relu", fromFile.layer().name(), "the layers are found through the decoding ops");
      TargetExplanation a = fromFile.explain(InputBatch.ofEncoded(List.of(png))).first(0);
      TargetExplanation b = f32.explain(InputBatch.ofFloats(scaled, 1, 16, 16, 3)).first(0);
      assertEquals(16, a.heatMap().height(), "the map takes the decoded image's size");
      assertEquals(b.target(), a.target());
      assertArrayEquals(b.heatMap().values(), a.heatMap().values(), 1e-5f);
      assertEquals(Rendering.Format.PNG, Renderers.show(fromFile, InputBatch.ofEncoded(List.of(png))).format());
      // The CLI's path: files read as bytes, the decoded image kept for the overlay.
      Path file = tmp.resolve("in.png");
      java.nio.file.Files.write(file, png);
      org.explain4j.input.InputSource.Item item = org.explain4j.input.InputSource.encodedImages(List.of(file)).iterator().next();
      assertEquals("in", item.name());
      assertEquals(16, item.image().getWidth());
      assertArrayEquals(a.heatMap().values(), fromFile.explain(item.batch()).first(0).heatMap().values(), 0f);
    }
  }

  /**
   * A batch of PNG files decoded in the graph as {@code tf.map_fn} does (a While loop over a
   * TensorList): each map equals the float model's map on the same pixels decoded in Java.
   */
  @Test
  void aBatchDecodedByAMapFnLoopMatchesTheFloatModel(@TempDir Path tmp) throws Exception {
    Path mapped = TestModels.cnnMapFnPng(tmp.resolve("map_fn"));
    Path floats = TestModels.cnn(tmp.resolve("float"), true);
    Random rng = new Random(13);
    int n = 3;
    List<byte[]> files = new java.util.ArrayList<>();
    float[] scaled = new float[n * 16 * 16 * 3];
    for (int i = 0; i < n; i++) {
      files.add(randomPng(rng, scaled, i * 16 * 16 * 3));
    }
    try (Explainer fromFiles = Explainer.builder().setModel(mapped).build();
        Explainer f32 = Explainer.builder().setModel(floats).build()) {
      assertEquals(org.tensorflow.proto.DataType.DT_STRING, fromFiles.model().inputs().get(0).dataType());
      assertEquals("conv2/Relu", fromFiles.layer().name(), "the layers are found through the loop");
      Explanation a = fromFiles.explain(InputBatch.ofEncoded(files), Targets.topK(2));
      Explanation b = f32.explain(InputBatch.ofFloats(scaled, n, 16, 16, 3), Targets.topK(2));
      assertEquals(2 * n, a.targets().size());
      for (int k = 0; k < a.targets().size(); k++) {
        TargetExplanation x = a.targets().get(k);
        TargetExplanation y = b.targets().get(k);
        assertEquals(y.item(), x.item());
        assertEquals(y.target(), x.target());
        assertEquals(16, x.heatMap().height(), "the map takes the decoded image's size");
        assertArrayEquals(y.heatMap().values(), x.heatMap().values(), 1e-5f, "map " + k);
        assertEquals(y.score(), x.score(), 1e-5);
      }
      // One item at a time (explainAll's path) gives the same maps as the batch.
      assertArrayEquals(a.targets().get(2).heatMap().values(),
          fromFiles.explain(InputBatch.ofEncoded(files.subList(1, 2)), Targets.topK(2)).targets().get(0).heatMap().values(), 1e-6f);
    }
  }

  /**
   * A random 16x16 RGB image as PNG bytes; its pixels divided by 255 are written into
   * {@code scaled} from {@code offset}, channels last: what a model decoding and scaling the file
   * in its graph sees.
   */
  private static byte[] randomPng(Random rng, float[] scaled, int offset) {
    BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 16; y++) {
      for (int x = 0; x < 16; x++) {
        int r = rng.nextInt(256);
        int g = rng.nextInt(256);
        int b = rng.nextInt(256);
        image.setRGB(x, y, r << 16 | g << 8 | b);
        int at = offset + (y * 16 + x) * 3;
        scaled[at] = r / 255f;
        scaled[at + 1] = g / 255f;
        scaled[at + 2] = b / 255f;
      }
    }
    return org.explain4j.input.Images.encodePng(image);
  }
}
