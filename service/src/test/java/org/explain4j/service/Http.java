package org.explain4j.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small HTTP client for the tests: JSON in, status and body out. */
final class Http {
  static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final URI base;
  private final String token;

  Http(URI base) {
    this(base, null);
  }

  Http(URI base, String token) {
    this.base = base;
    this.token = token;
  }

  record Reply(int status, byte[] body, HttpResponse<byte[]> response) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("Not JSON: " + new String(body), e);
      }
    }

    String text() {
      return new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  Reply get(String path) {
    return send(request(path).GET().build());
  }

  Reply post(String path, String json) {
    return post(path, json.getBytes(java.nio.charset.StandardCharsets.UTF_8), "application/json");
  }

  Reply post(String path, byte[] body, String contentType) {
    return send(request(path).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(120));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b;
  }

  private Reply send(HttpRequest request) {
    try {
      HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
      return new Reply(r.statusCode(), r.body(), r);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** {@code {"instances": [...], "parameters": {...}}} for images {@code [n, H, W, 3]} given flat. */
  static String instances(float[] values, int n, int h, int w, int c, String parameters) {
    StringBuilder sb = new StringBuilder("{\"instances\": [");
    int at = 0;
    for (int i = 0; i < n; i++) {
      sb.append(i > 0 ? "," : "").append('[');
      for (int y = 0; y < h; y++) {
        sb.append(y > 0 ? "," : "").append('[');
        for (int x = 0; x < w; x++) {
          sb.append(x > 0 ? "," : "").append('[');
          for (int k = 0; k < c; k++) {
            sb.append(k > 0 ? "," : "").append(values[at++]);
          }
          sb.append(']');
        }
        sb.append(']');
      }
      sb.append(']');
    }
    sb.append(']');
    if (parameters != null) {
      sb.append(", \"parameters\": ").append(parameters);
    }
    return sb.append('}').toString();
  }
}
