package org.explain4j.input;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.apache.commons.imaging.ImageFormat;
import org.apache.commons.imaging.ImageFormats;
import org.apache.commons.imaging.Imaging;
import org.explain4j.exceptions.ImageFormatException;
import org.explain4j.exceptions.ImageTooLargeException;

/**
 * Reads and writes images with Apache Commons Imaging (PNG, BMP, GIF, TIFF, JPEG reading), and
 * turns every failure into an {@link ImageFormatException} that names the file and the format.
 */
public final class Images {
  /**
   * The most pixels {@link #decode(byte[], String)} decodes (2^27, about 134 megapixels, 512 MiB
   * as RGB): a small file can declare a huge image, and decoding it would exhaust the heap.
   */
  public static final long DEFAULT_MAX_PIXELS = 1L << 27;

  private Images() {}

  /** Reads an image file. */
  public static BufferedImage read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new ImageFormatException("Cannot read image file " + file + ": " + e.getMessage(), e);
    }
    return decode(bytes, file.toString());
  }

  /** Decodes image bytes of at most {@link #DEFAULT_MAX_PIXELS}; {@code name} appears in error messages. */
  public static BufferedImage decode(byte[] bytes, String name) {
    return decode(bytes, name, DEFAULT_MAX_PIXELS);
  }

  /**
   * Decodes image bytes, refusing ({@link ImageTooLargeException}) an image whose header declares
   * more than {@code maxPixels} pixels before any pixel is decoded; {@code name} appears in error
   * messages. Runs on the caller's thread: its cost is bounded by the pixel limit, not by a clock.
   */
  public static BufferedImage decode(byte[] bytes, String name, long maxPixels) {
    int[] size = size(bytes, name);
    if ((long) size[0] * size[1] > maxPixels) {
      throw new ImageTooLargeException(name, size[1], size[0], maxPixels);
    }
    return decodeNow(bytes, name);
  }

  /**
   * {height, width} of encoded image bytes, read from the file's header (no pixel is decoded).
   * Throws {@link ImageFormatException} when no reader can make sense of the header.
   */
  public static int[] size(byte[] bytes, String name) {
    formatOf(bytes, name);
    try {
      java.awt.Dimension d = Imaging.getImageSize(bytes);
      if (d.width > 0 && d.height > 0) {
        return new int[] {d.height, d.width};
      }
    } catch (IOException | RuntimeException | StackOverflowError e) {
      // Commons Imaging reads baseline headers; the JDK's readers below know progressive JPEG too.
    }
    int[] size = sizeWithImageIo(bytes);
    if (size == null) {
      throw new ImageFormatException("Cannot read the dimensions of " + name + " from its header (corrupt or truncated?)", null);
    }
    return size;
  }

  private static int[] sizeWithImageIo(byte[] bytes) {
    try (javax.imageio.stream.ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      java.util.Iterator<javax.imageio.ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        return null;
      }
      javax.imageio.ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        int w = reader.getWidth(0);
        int h = reader.getHeight(0);
        return w > 0 && h > 0 ? new int[] {h, w} : null;
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static ImageFormat formatOf(byte[] bytes, String name) {
    ImageFormat format;
    try {
      format = Imaging.guessFormat(bytes);
    } catch (IOException | RuntimeException e) {
      throw new ImageFormatException("Cannot tell the format of " + name + ": " + e.getMessage(), e);
    }
    if (format == ImageFormats.UNKNOWN) {
      throw new ImageFormatException(name + " is not an image in a known format (expected PNG, JPEG, BMP, GIF or TIFF)", null);
    }
    return format;
  }

  private static BufferedImage decodeNow(byte[] bytes, String name) {
    ImageFormat format = formatOf(bytes, name);
    if (format == ImageFormats.JPEG && truncatedJpeg(bytes)) {
      throw new ImageFormatException(name + " is a truncated JPEG: its last scan has no end-of-image marker (FFD9), so part of"
          + " the picture is missing", null);
    }
    try {
      BufferedImage image = Imaging.getBufferedImage(bytes);
      if (image == null) {
        throw new ImageFormatException("Cannot decode " + name + " as " + format.getName(), null);
      }
      if (isGrey(image)) {
        // Commons Imaging keeps grey as 8-bit linear light, which loses dark levels (20 comes back 22):
        // the JDK's reader keeps the stored levels.
        BufferedImage stored = readWithImageIo(bytes);
        if (stored != null && stored.getWidth() == image.getWidth() && stored.getHeight() == image.getHeight()) {
          return fromImageIo(stored);
        }
      }
      return asRgb(image);
    } catch (IOException | RuntimeException | StackOverflowError e) {
      if (format == ImageFormats.JPEG) {
        // Commons Imaging decodes baseline JPEG only; the JDK's ImageIO also reads progressive JPEG.
        BufferedImage image = readWithImageIo(bytes);
        if (image != null) {
          return fromImageIo(image);
        }
      }
      throw new ImageFormatException("Cannot decode " + name + " as " + format.getName() + " (corrupt or truncated?): " + e.getMessage(), e);
    }
  }

  private static BufferedImage readWithImageIo(byte[] bytes) {
    try {
      return ImageIO.read(new ByteArrayInputStream(bytes));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * Whether a JPEG stops before its end: no end-of-image marker (FF D9) after the start of its last
   * scan (FF DA). Decoders fill the missing part with grey and say nothing; an explanation of that
   * picture would be an explanation of the filler. Inside a scan a data byte FF is always followed
   * by 00 (or a restart marker), so FF D9 there is the marker; thumbnails in APP segments come
   * before the first scan.
   */
  static boolean truncatedJpeg(byte[] bytes) {
    int lastScan = -1;
    for (int i = 2; i + 1 < bytes.length; i++) {
      if ((bytes[i] & 0xff) == 0xff && (bytes[i + 1] & 0xff) == 0xda) {
        lastScan = i;
      }
    }
    if (lastScan < 0) {
      return true;
    }
    for (int i = lastScan + 2; i + 1 < bytes.length; i++) {
      if ((bytes[i] & 0xff) == 0xff && (bytes[i + 1] & 0xff) == 0xd9) {
        return false;
      }
    }
    return true;
  }

  /**
   * The image as 8-bit RGB by one rule for every format and every path (the SDK, the CLI, the
   * service, Spark): the colours a viewer shows, with an alpha channel dropped (the colour channels
   * kept as stored, as TensorFlow's {@code decode_png(channels=3)} and PIL's {@code convert("RGB")}
   * do). Grey images keep their grey levels: Commons Imaging stores grey as linear light, which
   * {@code getRGB} turns back into the file's levels, whereas a Java2D copy into RGB would take
   * the linear values as they are and darken the picture (95 became 29).
   */
  static BufferedImage asRgb(BufferedImage image) {
    if (image.getType() == BufferedImage.TYPE_INT_RGB) {
      return image;
    }
    int w = image.getWidth();
    int h = image.getHeight();
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      image.getRGB(0, y, w, 1, row, 0, w);
      for (int x = 0; x < w; x++) {
        row[x] &= 0xffffff;
      }
      out.setRGB(0, y, w, 1, row, 0, w);
    }
    return out;
  }

  /**
   * An image the JDK's ImageIO decoded, as 8-bit RGB: ImageIO keeps grey samples as stored (8 or
   * 16 bits), so they are copied, scaled to 8 bits; other images follow {@link #asRgb}.
   */
  private static boolean isGrey(BufferedImage image) {
    java.awt.image.ColorModel cm = image.getColorModel();
    return cm.getColorSpace().getType() == java.awt.color.ColorSpace.TYPE_GRAY && !(cm instanceof java.awt.image.IndexColorModel);
  }

  private static BufferedImage fromImageIo(BufferedImage image) {
    if (!isGrey(image)) {
      return asRgb(image);
    }
    java.awt.image.ColorModel cm = image.getColorModel();
    int w = image.getWidth();
    int h = image.getHeight();
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    double max = (1L << cm.getComponentSize(0)) - 1;
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      image.getRaster().getSamples(0, y, w, 1, 0, row);
      for (int x = 0; x < w; x++) {
        int v = (int) Math.round(row[x] * 255.0 / max);
        row[x] = v << 16 | v << 8 | v;
      }
      out.setRGB(0, y, w, 1, row, 0, w);
    }
    return out;
  }

  /** The image encoded as PNG bytes. */
  public static byte[] encodePng(BufferedImage image) {
    try {
      return Imaging.writeImageToBytes(asRgb(image), ImageFormats.PNG);
    } catch (IOException | RuntimeException e) {
      throw new ImageFormatException("Cannot encode the image as PNG: " + e.getMessage(), e);
    }
  }

  /** Writes a PNG. */
  public static void writePng(BufferedImage image, Path file) {
    write(image, file, "png");
  }

  /** Writes an image in the format its extension names: png, bmp, gif or tif(f). */
  public static void write(BufferedImage image, Path file, String format) {
    ImageFormat imageFormat = switch (format.toLowerCase(Locale.ROOT)) {
      case "png" -> ImageFormats.PNG;
      case "bmp" -> ImageFormats.BMP;
      case "gif" -> ImageFormats.GIF;
      case "tif", "tiff" -> ImageFormats.TIFF;
      default -> throw new IllegalArgumentException("Cannot write images as '" + format + "': expected png, bmp, gif or tiff");
    };
    try (OutputStream out = Files.newOutputStream(file)) {
      Imaging.writeImage(asRgb(image), out, imageFormat);
    } catch (IOException | RuntimeException e) {
      throw new ImageFormatException("Cannot write " + file + " as " + format + ": " + e.getMessage(), e);
    }
  }

  /** The image resized to {@code w x h}, bilinear, with Java2D (the JDK's own, well-tested scaler). */
  public static BufferedImage resize(BufferedImage image, int w, int h) {
    if (image.getWidth() == w && image.getHeight() == h) {
      return image;
    }
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    java.awt.Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(image, 0, 0, w, h, null);
    } finally {
      g.dispose();
    }
    return out;
  }
}
