package org.explain4j;

/** Thrown when a model cannot be explained as asked: a bad layer, a missing gradient, a failed run. */
public class ExplainException extends RuntimeException {
  public ExplainException(String message) {
    super(message);
  }

  public ExplainException(String message, Throwable cause) {
    super(message, cause);
  }
}
