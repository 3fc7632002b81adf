package org.explain4j.format.image;

/** Thrown when an image file cannot be read or written: unknown format, corrupt or truncated data. */
public class ImageFormatException extends RuntimeException {
  public ImageFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
