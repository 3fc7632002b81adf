package org.explain4j.render;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.explain4j.Explanation;

/**
 * A formatted explanation: its format, media type, suggested file extension and bytes, beside the
 * explanation it shows. Immutable.
 */
public record Rendering(Format format, String mediaType, byte[] content, Explanation explanation) {

  /** The formats {@link Renderers#show} can produce. */
  public enum Format {
    AUTO("", ""), PNG("image/png", "png"), HTML("text/html; charset=utf-8", "html"), TEXT("text/plain; charset=utf-8", "txt"),
    JSON("application/json", "json"), CSV("text/csv; charset=utf-8", "csv");

    final String mediaType;
    final String extension;

    Format(String mediaType, String extension) {
      this.mediaType = mediaType;
      this.extension = extension;
    }

    /** The usual file extension, without the dot. */
    public String extension() {
      return extension;
    }

    /** Parses a name such as {@code "png"} or {@code "text"}. */
    public static Format parse(String name) {
      try {
        return valueOf(name.trim().toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("Unknown format '" + name + "': expected auto, png, html, text, json or csv", e);
      }
    }
  }

  public Rendering {
    content = content.clone();
  }

  @Override
  public byte[] content() {
    return content.clone();
  }

  /** The content as text (for the text formats). */
  public String text() {
    return new String(content, java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Writes the content to {@code file}. */
  public void writeTo(Path file) {
    try {
      Files.write(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
