package org.explain4j.exceptions;

/** Thrown when a {@code .npy} file cannot be read as an input batch: bad magic, header or size. */
public class NpyFormatException extends ExplainException {
  public NpyFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
