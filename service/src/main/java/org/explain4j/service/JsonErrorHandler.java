package org.explain4j.service;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own answers (a request line or headers too long, a malformed request, a timeout) as the
 * service's JSON error body instead of Jetty's HTML page, with a fixed text per status: Jetty's
 * messages and exceptions never reach the client.
 */
final class JsonErrorHandler extends ErrorHandler {
  private static final HttpField JSON = new HttpField(HttpHeader.CONTENT_TYPE, "application/json");

  @Override
  protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
      Callback callback) {
    response.getHeaders().put(JSON);
    response.write(true, ByteBuffer.wrap(Responses.error(code, text(code))), callback);
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(JSON);
    return ByteBuffer.wrap(Responses.error(status, text(status)));
  }

  /** What a client can do about each container-level status. */
  static String text(int status) {
    return switch (status) {
      case 400 -> "Malformed HTTP request";
      case 408 -> "The request did not arrive in time";
      case 413 -> "The request is too large";
      case 414 -> "The request's URI is too long";
      case 431 -> "The request's headers are too large";
      case 500 -> "Internal error; the server's log has the details";
      case 501 -> "This HTTP method or feature is not implemented";
      case 505 -> "This HTTP version is not supported; use HTTP/1.1";
      default -> {
        String reason = HttpStatus.getMessage(status);
        yield reason == null ? "HTTP " + status : reason;
      }
    };
  }
}
