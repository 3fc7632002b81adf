package org.explain4j.exceptions;

/**
 * Thrown when an image's header declares more pixels than the reader accepts; nothing was decoded.
 * Carries the declared size and the limit, so that a server can answer with both.
 */
public class ImageTooLargeException extends ImageFormatException {
  private final int width;
  private final int height;
  private final long maxPixels;

  public ImageTooLargeException(String name, int width, int height, long maxPixels) {
    super(name + " is " + width + "x" + height + " (" + ((long) width * height) + " pixels), over the limit of " + maxPixels
        + " pixels: send a smaller image", null);
    this.width = width;
    this.height = height;
    this.maxPixels = maxPixels;
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /** The limit the image is over. */
  public long maxPixels() {
    return maxPixels;
  }
}
