package org.explain4j.exceptions;

/** Thrown when an image file cannot be read or written: unknown format, corrupt or truncated data. */
public class ImageFormatException extends ExplainException {
  public ImageFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
