package org.explain4j.input;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.imageio.ImageIO;
import org.apache.commons.imaging.ImageFormat;
import org.apache.commons.imaging.ImageFormats;
import org.apache.commons.imaging.Imaging;
import org.explain4j.exceptions.ImageFormatException;

/**
 * Reads and writes images with Apache Commons Imaging (PNG, BMP, GIF, TIFF, JPEG reading), and
 * turns every failure into an {@link ImageFormatException} that names the file and the format.
 */
public final class Images {
  /** A decoder fed hostile data must not hang its caller. */
  private static final long DECODE_TIMEOUT_SECONDS = 10;
  private static final ExecutorService DECODER = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "explain4j-image-decoder");
    t.setDaemon(true);
    return t;
  });

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

  /** Decodes image bytes; {@code name} appears in error messages. */
  public static BufferedImage decode(byte[] bytes, String name) {
    return bounded(() -> decodeNow(bytes, name), name);
  }

  /**
   * {height, width} of encoded image bytes, read from the file's header where the format allows
   * (no pixels decoded), else by decoding.
   */
  public static int[] size(byte[] bytes, String name) {
    return bounded(() -> {
      try {
        java.awt.Dimension d = Imaging.getImageSize(bytes);
        return new int[] {d.height, d.width};
      } catch (IOException | RuntimeException e) {
        BufferedImage image = decodeNow(bytes, name);
        return new int[] {image.getHeight(), image.getWidth()};
      }
    }, name);
  }

  /** Runs {@code work} on the decoder thread, so that hostile data cannot hang the caller. */
  private static <T> T bounded(java.util.concurrent.Callable<T> work, String name) {
    Future<T> result = DECODER.submit(work);
    try {
      return result.get(DECODE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      result.cancel(true);
      throw new ImageFormatException("Decoding " + name + " took over " + DECODE_TIMEOUT_SECONDS + " s: the file is probably corrupt", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImageFormatException("Interrupted while decoding " + name, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof ImageFormatException f) {
        throw f;
      }
      throw new ImageFormatException("Cannot decode " + name + ": " + cause, cause);
    }
  }

  private static BufferedImage decodeNow(byte[] bytes, String name) {
    ImageFormat format;
    try {
      format = Imaging.guessFormat(bytes);
    } catch (IOException | RuntimeException e) {
      throw new ImageFormatException("Cannot tell the format of " + name + ": " + e.getMessage(), e);
    }
    if (format == ImageFormats.UNKNOWN) {
      throw new ImageFormatException(name + " is not an image in a known format (expected PNG, JPEG, BMP, GIF or TIFF)", null);
    }
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
