package org.explain4j.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.explain4j.HeatMap;
import org.explain4j.input.InputBatch;
import org.explain4j.render.image.Colormap;
import org.explain4j.render.image.HeatMapImages;
import org.explain4j.exceptions.ImageFormatException;
import org.explain4j.input.ImagePreprocessor;
import org.explain4j.cam.Interpolation;
import org.explain4j.render.image.ImageStyle;
import org.explain4j.input.Images;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageFormatsTest {
  @TempDir Path tmp;

  @Test
  void colormapEndpointsMatchTheirPublishedDefinitions() {
    assertEquals(0x440154, Colormap.VIRIDIS.rgb(0));
    assertEquals(0xfde725, Colormap.VIRIDIS.rgb(1));
    assertEquals(0x21918c, Colormap.VIRIDIS.rgb(0.5), 0x010101 * 6, "viridis middle is teal #21918c");
    assertEquals(0x000004, Colormap.MAGMA.rgb(0));
    assertEquals(0xfcfdbf, Colormap.MAGMA.rgb(1));
    assertEquals(0x000004, Colormap.INFERNO.rgb(0));
    assertEquals(0xfcffa4, Colormap.INFERNO.rgb(1));
    assertEquals(0x30123b, Colormap.TURBO.rgb(0));
    assertEquals(0x7a0403, Colormap.TURBO.rgb(1));
    assertEquals(0xfff5f0, Colormap.REDS.rgb(0));
    assertEquals(0x67000d, Colormap.REDS.rgb(1));
    assertEquals(0xf7fcf5, Colormap.GREENS.rgb(0));
    assertEquals(0x00441b, Colormap.GREENS.rgb(1));
    assertEquals(0x000000, Colormap.GRAY.rgb(0));
    assertEquals(0xffffff, Colormap.GRAY.rgb(1));
    assertEquals(0x808080, Colormap.GRAY.rgb(128 / 255.0));
    // MATLAB jet: dark blue (0, 0, 0.5) to dark red (0.5, 0, 0), green at the middle.
    assertEquals(0x000080, Colormap.JET.rgb(0));
    assertEquals(0x800000, Colormap.JET.rgb(1));
    assertEquals(0x00ff00 & Colormap.JET.rgb(0.5), 0x00ff00);
    assertEquals(Colormap.VIRIDIS.rgb(0), Colormap.VIRIDIS.rgb(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> Colormap.parse("rainbow"));
  }

  private static BufferedImage checkerboard(int w, int h) {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        image.setRGB(x, y, ((x / 8 + y / 8) % 2 == 0) ? 0x202020 : 0xc0c0c0);
      }
    }
    return image;
  }

  /** A 4x6 map with a peak at (1, 4). */
  private static HeatMap peak() {
    float[] v = new float[24];
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 6; x++) {
        v[y * 6 + x] = (float) Math.exp(-((y - 1) * (y - 1) + (x - 4) * (x - 4)) / 2.0);
      }
    }
    return HeatMap.of(4, 6, v);
  }

  @Test
  void overlayIsClosedFormAtItsExtremes() {
    BufferedImage image = checkerboard(60, 40);
    HeatMap ones = HeatMap.of(2, 3, new float[] {1, 1, 1, 1, 1, 1});
    BufferedImage full = HeatMapImages.overlay(image, ones, ImageStyle.builder().optAlphaLimit(1).optColormap(Colormap.VIRIDIS).build());
    BufferedImage none = HeatMapImages.overlay(image, ones, ImageStyle.builder().optAlphaLimit(0).build());
    for (int y = 0; y < 40; y += 7) {
      for (int x = 0; x < 60; x += 7) {
        assertEquals(0xfde725, full.getRGB(x, y) & 0xffffff, "opacity 1 at value 1 shows the colormap's top colour");
        assertEquals(image.getRGB(x, y) & 0xffffff, none.getRGB(x, y) & 0xffffff, "alpha limit 0 leaves the image");
      }
    }
    // Opacity grows with the value: zero heat leaves the pixel as it was.
    BufferedImage half = HeatMapImages.overlay(image, HeatMap.of(1, 1, new float[] {0}), ImageStyle.defaults());
    assertEquals(image.getRGB(5, 5) & 0xffffff, half.getRGB(5, 5) & 0xffffff);
  }

  @ParameterizedTest
  @ValueSource(strings = {"jet-bilinear", "viridis-nearest-bar", "magma-lanczos", "turbo-bicubic-bar", "signed-reds"})
  void overlaysMatchGoldenImages(String name) throws Exception {
    String[] parts = name.split("-");
    ImageStyle.Builder style = ImageStyle.builder();
    HeatMap map = peak();
    if (parts[0].equals("signed")) {
      float[] v = map.values();
      for (int i = 0; i < v.length; i++) {
        v[i] = 2 * v[i] - 1;
      }
      map = HeatMap.of(4, 6, v);
      style.optColormap(Colormap.REDS);
    } else {
      style.optColormap(Colormap.parse(parts[0])).optResampling(Interpolation.parse(parts[1]));
    }
    style.optColorBar(name.endsWith("bar"));
    BufferedImage rendered = HeatMapImages.overlay(checkerboard(96, 64), map, style.build());
    GoldenImages.assertMatches("overlay-" + name, rendered, 2);
  }

  @Test
  void heatMapAloneAndGridMatchGoldenImages() throws Exception {
    BufferedImage alone = HeatMapImages.heatMap(peak(), 60, 40, ImageStyle.builder().optColormap(Colormap.INFERNO).optColorBar(true).build());
    GoldenImages.assertMatches("heatmap-inferno", alone, 2);
    BufferedImage tile = HeatMapImages.heatMap(peak(), 48, 32, ImageStyle.defaults());
    BufferedImage grid = HeatMapImages.grid(List.of(tile, tile, tile), List.of("cat 0.91", "dog 0.05", "a very long caption"), 2);
    // Columns are at least MIN_CAPTION_WIDTH wide, so that captions under small tiles stay readable.
    assertEquals(2 * (HeatMapImages.MIN_CAPTION_WIDTH + 6) + 6, grid.getWidth());
    assertTrue(grid.getHeight() > 2 * (32 + 12 + 6) + 6, "two rows of tiles and one caption line each: " + grid.getHeight());
    assertEquals(tile.getRGB(10, 10), grid.getRGB(6 + 10, 6 + 10));
  }

  @ParameterizedTest
  @EnumSource(Interpolation.class)
  void resizingKeepsConstantMapsConstant(Interpolation filter) {
    float[] v = new float[12];
    java.util.Arrays.fill(v, 0.25f);
    BufferedImage out = HeatMapImages.heatMap(HeatMap.of(3, 4, v), 37, 29, ImageStyle.builder().optColormap(Colormap.GRAY).optResampling(filter).build());
    for (int y = 0; y < 29; y++) {
      for (int x = 0; x < 37; x++) {
        assertEquals(Colormap.GRAY.rgb(0.25), out.getRGB(x, y) & 0xffffff);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"png", "bmp", "gif", "tiff"})
  void losslessFormatsRoundTrip(String format) {
    BufferedImage image = new BufferedImage(23, 17, BufferedImage.TYPE_INT_RGB);
    Random rng = new Random(1);
    for (int y = 0; y < 17; y++) {
      for (int x = 0; x < 23; x++) {
        // GIF holds 256 colours: draw from a small palette.
        image.setRGB(x, y, List.of(0x000000, 0xff0000, 0x00ff00, 0x0000ff, 0xffffff, 0x123456).get(rng.nextInt(6)));
      }
    }
    Path file = tmp.resolve("image." + format);
    Images.write(image, file, format);
    BufferedImage back = Images.read(file);
    for (int y = 0; y < 17; y++) {
      for (int x = 0; x < 23; x++) {
        assertEquals(image.getRGB(x, y) & 0xffffff, back.getRGB(x, y) & 0xffffff, format + " (" + x + ", " + y + ")");
      }
    }
  }

  @Test
  void jpegIsRead() throws Exception {
    BufferedImage image = new BufferedImage(32, 24, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 24; y++) {
      for (int x = 0; x < 32; x++) {
        image.setRGB(x, y, x < 16 ? 0xd02020 : 0x2040d0);
      }
    }
    Path file = tmp.resolve("image.jpg");
    // Commons Imaging cannot write JPEG: the JDK's ImageIO makes the test file.
    javax.imageio.ImageIO.write(image, "jpg", file.toFile());
    BufferedImage back = Images.read(file);
    assertEquals(32, back.getWidth());
    int left = back.getRGB(4, 12);
    int right = back.getRGB(28, 12);
    assertTrue((left >> 16 & 255) > 150 && (left & 255) < 90, Integer.toHexString(left));
    assertTrue((right & 255) > 150 && (right >> 16 & 255) < 90, Integer.toHexString(right));
  }

  @Test
  void corruptFilesGiveClearErrorsQuickly() throws Exception {
    BufferedImage image = checkerboard(40, 30);
    Path png = tmp.resolve("ok.png");
    Images.writePng(image, png);
    byte[] bytes = Files.readAllBytes(png);
    Random rng = new Random(5);
    List<byte[]> cases = new java.util.ArrayList<>();
    cases.add(new byte[0]);
    cases.add("not an image at all".getBytes());
    cases.add(java.util.Arrays.copyOf(bytes, bytes.length / 2));
    cases.add(java.util.Arrays.copyOf(bytes, 40));
    for (int i = 0; i < 20; i++) {
      byte[] flipped = bytes.clone();
      for (int k = 0; k < 8; k++) {
        flipped[8 + rng.nextInt(flipped.length - 8)] ^= (byte) (1 << rng.nextInt(8));
      }
      cases.add(flipped);
    }
    for (byte[] c : cases) {
      long start = System.nanoTime();
      try {
        BufferedImage decoded = Images.decode(c, "case.png");
        assertTrue(decoded.getWidth() > 0, "a decoded image has pixels");
      } catch (ImageFormatException e) {
        assertTrue(e.getMessage().contains("case.png"), e.getMessage());
      }
      assertTrue(System.nanoTime() - start < 60_000_000_000L, "a hang guard, not a speed claim: decoding returned");
    }
    ImageFormatException missing = assertThrows(ImageFormatException.class, () -> Images.read(tmp.resolve("absent.png")));
    assertTrue(missing.getMessage().contains("absent.png"), missing.getMessage());
  }

  @Test
  void greyPngsOf8And16BitsGiveTheSameBatchAsTheSamePictureInRgb() throws Exception {
    // A grey gradient stored three ways: 8-bit grey, 16-bit grey and RGB PNG. Resized to another size,
    // all three must give the same pixels (they once came out darker: linear light taken as levels).
    int w = 24;
    int h = 16;
    BufferedImage grey8 = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    BufferedImage grey16 = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
    BufferedImage rgb = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int v = 20 + 9 * x + y;
        grey8.getRaster().setSample(x, y, 0, v);
        grey16.getRaster().setSample(x, y, 0, v * 257);
        rgb.setRGB(x, y, v << 16 | v << 8 | v);
      }
    }
    ImagePreprocessor pre = ImagePreprocessor.builder().optSize(12, 8).build();
    float[] expected = pre.toBatch(List.of(Images.decode(png(rgb), "rgb.png"))).toFloats();
    for (BufferedImage grey : List.of(grey8, grey16)) {
      BufferedImage decoded = Images.decode(png(grey), "grey.png");
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          assertEquals(rgb.getRGB(x, y), decoded.getRGB(x, y), "pixel " + x + "," + y + " of the " + grey.getType() + " image");
        }
      }
      float[] got = pre.toBatch(List.of(decoded)).toFloats();
      assertArrayEquals(expected, got, 1e-6f);
    }
  }

  @Test
  void aTruncatedJpegIsAnErrorNamingTheFileAndAlphaIsDroppedByOneRule() throws Exception {
    byte[] photo = Files.readAllBytes(org.explain4j.testkit.TestData.image("grace_hopper.jpg"));
    assertEquals(517, Images.decode(photo, "grace_hopper.jpg").getWidth());
    for (int part : new int[] {3, 2}) {
      byte[] cut = java.util.Arrays.copyOf(photo, photo.length * (part - 1) / part);
      ImageFormatException e = assertThrows(ImageFormatException.class, () -> Images.decode(cut, "cut.jpg"));
      assertTrue(e.getMessage().startsWith("cut.jpg is a truncated JPEG"), e.getMessage());
    }
    // Alpha: the colour channels as stored, whatever the alpha (as TensorFlow's decode_png(channels=3) does).
    BufferedImage argb = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
    argb.setRGB(0, 0, 0x00c86432); // fully transparent (200, 100, 50)
    argb.setRGB(1, 0, 0x800a141e); // half transparent (10, 20, 30)
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    javax.imageio.ImageIO.write(argb, "png", out);
    BufferedImage decoded = Images.decode(out.toByteArray(), "alpha.png");
    assertEquals(0xc86432, decoded.getRGB(0, 0) & 0xffffff);
    assertEquals(0x0a141e, decoded.getRGB(1, 0) & 0xffffff);
  }

  private static byte[] png(BufferedImage image) throws java.io.IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    javax.imageio.ImageIO.write(image, "png", out);
    return out.toByteArray();
  }

  @Test
  void anImageDeclaringMorePixelsThanTheLimitIsRefusedFromItsHeaderAlone() throws Exception {
    // A PNG signature and header declaring 100000 x 50000 RGB pixels, followed by no pixel data at all:
    // refusing it must not need the pixels (decoding would fail on the missing data instead).
    java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
    png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'});
    java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(13).putInt(100_000).putInt(50_000).put(new byte[] {8, 2, 0, 0, 0});
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update("IHDR".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    crc.update(ihdr.array());
    png.write(ihdr.array());
    png.write(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    byte[] bytes = png.toByteArray();
    assertArrayEquals(new int[] {50_000, 100_000}, Images.size(bytes, "huge.png"));
    org.explain4j.exceptions.ImageTooLargeException e =
        assertThrows(org.explain4j.exceptions.ImageTooLargeException.class, () -> Images.decode(bytes, "huge.png"));
    assertEquals(100_000, e.width());
    assertEquals(50_000, e.height());
    assertEquals(Images.DEFAULT_MAX_PIXELS, e.maxPixels());
    assertTrue(e.getMessage().contains("huge.png is 100000x50000 (5000000000 pixels), over the limit of 134217728"), e.getMessage());
    // A real small image: within a limit it decodes, over a tighter one it is refused, JPEG as PNG.
    BufferedImage image = new BufferedImage(30, 20, BufferedImage.TYPE_INT_RGB);
    for (String format : List.of("png", "jpg")) {
      java.io.ByteArrayOutputStream encoded = new java.io.ByteArrayOutputStream();
      javax.imageio.ImageIO.write(image, format, encoded);
      byte[] small = encoded.toByteArray();
      assertEquals(30, Images.decode(small, "small." + format, 600).getWidth());
      assertThrows(org.explain4j.exceptions.ImageTooLargeException.class, () -> Images.decode(small, "small." + format, 599));
    }
  }

  @Test
  void preprocessingScalesNormalisesAndOrdersChannels() {
    BufferedImage image = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
    image.setRGB(0, 0, 0xff8000);
    image.setRGB(1, 0, 0x000000);
    InputBatch rgb = ImagePreprocessor.builder().build().toBatch(List.of(image));
    assertEquals("[1, 1, 2, 3]", rgb.shape().toString());
    InputBatch bgr = ImagePreprocessor.builder().optChannelOrder(ImagePreprocessor.ChannelOrder.BGR).optScale(1)
        .optMean(10, 20, 30).optStd(2, 4, 5).build().toBatch(List.of(image));
    InputBatch gray = ImagePreprocessor.builder().optGrayscale(true).optSize(4, 2).build().toBatch(List.of(image));
    assertEquals("[1, 2, 4, 1]", gray.shape().toString());
    float[] expectedRgb = {1f, 128 / 255f, 0, 0, 0, 0};
    float[] expectedBgr = {(0 - 10) / 2f, (128 - 20) / 4f, (255 - 30) / 5f, -5f, -5f, -6f};
    assertArrayClose(expectedRgb, values(rgb));
    assertArrayClose(expectedBgr, values(bgr));
  }

  @Test
  void preprocessorTakesItsSizeFromTheModelSignature() {
    Path model = org.explain4j.testkit.TestModels.cnn(tmp.resolve("cnn"), true);
    org.explain4j.model.ModelDescription description = org.explain4j.Explainer.builder().setModel(model).describe();
    InputBatch batch = ImagePreprocessor.forModel(description).build().toBatch(List.of(checkerboard(50, 40), checkerboard(20, 20)));
    assertEquals("[2, 16, 16, 3]", batch.shape().toString());
    Path mnist = org.explain4j.testkit.TestModels.sigmoid(tmp.resolve("gray"));
    InputBatch gray = ImagePreprocessor.forModel(org.explain4j.Explainer.builder().setModel(mnist).describe()).build()
        .toBatch(List.of(checkerboard(16, 16)));
    assertEquals("[1, 8, 8, 1]", gray.shape().toString(), "one channel models get grayscale");
  }

  private static float[] values(InputBatch batch) {
    return batch.toFloats();
  }

  private static void assertArrayClose(float[] expected, float[] actual) {
    assertEquals(expected.length, actual.length);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], 1e-6f, "value " + i);
    }
  }
}
