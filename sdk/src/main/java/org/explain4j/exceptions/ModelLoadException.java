package org.explain4j.exceptions;

/** Thrown when a SavedModel cannot be found, read or loaded with the requested tags and signature. */
public class ModelLoadException extends ExplainException {
  public ModelLoadException(String message) {
    super(message);
  }

  public ModelLoadException(String message, Throwable cause) {
    super(message, cause);
  }
}
