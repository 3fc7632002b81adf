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
    try {
      BufferedImage image = Imaging.getBufferedImage(bytes);
      if (image == null) {
        throw new ImageFormatException("Cannot decode " + name + " as " + format.getName(), null);
      }
      return image;
    } catch (IOException | RuntimeException | StackOverflowError e) {
      if (format == ImageFormats.JPEG) {
        // Commons Imaging decodes baseline JPEG only; the JDK's ImageIO also reads progressive JPEG.
        BufferedImage image = readWithImageIo(bytes);
        if (image != null) {
          return image;
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

  /** The image encoded as PNG bytes. */
  public static byte[] encodePng(BufferedImage image) {
    try {
      return Imaging.writeImageToBytes(toRgb(image), ImageFormats.PNG);
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
      Imaging.writeImage(toRgb(image), out, imageFormat);
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

  /** The image as 8-bit RGB, which every writer accepts. */
  static BufferedImage toRgb(BufferedImage image) {
    if (image.getType() == BufferedImage.TYPE_INT_RGB) {
      return image;
    }
    BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
    rgb.getGraphics().drawImage(image, 0, 0, null);
    return rgb;
  }
}
