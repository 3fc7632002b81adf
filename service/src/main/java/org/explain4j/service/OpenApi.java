package org.explain4j.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The service's OpenAPI 3 document, {@code GET /openapi.json}: a resource kept equal to the routes by a test. */
final class OpenApi {
  private static final byte[] DOCUMENT = resource("openapi.json");

  private OpenApi() {}

  static byte[] document() {
    return DOCUMENT;
  }

  /** A static resource the service serves (this document, the web page), from the jar. */
  static byte[] resource(String name) {
    try (InputStream in = OpenApi.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing from the service's jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
