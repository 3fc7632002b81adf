package org.explain4j.service;

/**
 * A request the service answers with an error status and a JSON body
 * {@code {"error": ..., "status": ...}}; {@code retryAfterSeconds} above zero adds a
 * {@code Retry-After} header (a full queue, a shutdown).
 */
final class HttpProblem extends RuntimeException {
  /** The status recorded for a client that closed its connection early (nginx's convention; never sent). */
  static final int CLIENT_CLOSED = 499;

  private final int status;
  private final int retryAfterSeconds;

  HttpProblem(int status, String message) {
    this(status, message, 0);
  }

  HttpProblem(int status, String message, int retryAfterSeconds) {
    super(message, null, false, false); // an answer, not a bug: no stack trace
    this.status = status;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  int status() {
    return status;
  }

  int retryAfterSeconds() {
    return retryAfterSeconds;
  }

  static HttpProblem badRequest(String message) {
    return new HttpProblem(400, message);
  }
}
