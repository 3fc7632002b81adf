package org.explain4j.exceptions;

/**
 * Thrown when an input does not fit the model or the request: a wrong shape or type, NaN or
 * infinite values, an empty or ragged batch, a target class out of range.
 */
public class InvalidInputException extends ExplainException {
  public InvalidInputException(String message) {
    super(message);
  }

  public InvalidInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
