package org.explain4j.input;

/** Thrown when a {@code .npy} file cannot be read as an input batch: bad magic, header or size. */
public class NpyFormatException extends IllegalArgumentException {
  public NpyFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
