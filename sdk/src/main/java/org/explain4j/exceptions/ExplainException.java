package org.explain4j.exceptions;

/**
 * The root of every exception explain4j throws for a bad input or a bad model: a model that cannot
 * be loaded or explained as asked (a bad layer, a missing gradient, a failed run), an input that
 * does not fit, an unreadable file. Catch this one type to tell such failures from bugs.
 */
public class ExplainException extends RuntimeException {
  public ExplainException(String message) {
    super(message);
  }

  public ExplainException(String message, Throwable cause) {
    super(message, cause);
  }
}
