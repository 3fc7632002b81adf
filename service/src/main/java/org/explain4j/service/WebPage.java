package org.explain4j.service;

/**
 * {@code GET /}: one self-contained page (no CDN, no build step) that calls the service's own V1
 * endpoints: choose a model, drop an image (or type token ids), pick methods and a target, see the
 * overlays side by side with labels and probabilities, download the JSON.
 */
final class WebPage {
  private static final byte[] HTML = OpenApi.resource("page.html");

  private WebPage() {}

  static byte[] html() {
    return HTML;
  }
}
