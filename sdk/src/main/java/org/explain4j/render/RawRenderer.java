package org.explain4j.render;

import java.nio.charset.StandardCharsets;
import org.explain4j.Explanation;
import org.explain4j.input.InputBatch;
import org.explain4j.render.raw.CsvFormatter;
import org.explain4j.render.raw.JsonFormatter;
import org.explain4j.render.raw.TextTable;

/** The formats that need nothing but the explanation: JSON, CSV and a text table. */
final class RawRenderer implements Renderer {
  private final Rendering.Format format;

  RawRenderer(Rendering.Format format) {
    this.format = format;
  }

  @Override
  public Rendering.Format format() {
    return format;
  }

  @Override
  public byte[] render(Explanation explanation, InputBatch input, ShowOptions options) {
    String text = switch (format) {
      case JSON -> JsonFormatter.toJson(explanation, options.modelName());
      case CSV -> CsvFormatter.toCsv(explanation);
      default -> TextTable.render(explanation) + tokensLine(options);
    };
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** The tokens explained, where the options carry them (a raw-text model's own words), as one line per item. */
  private static String tokensLine(ShowOptions options) {
    if (options.tokens() == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    for (java.util.List<String> item : options.tokens()) {
      sb.append("tokens: ").append(String.join(" ", item.stream().filter(t -> !t.isEmpty()).toList())).append('\n');
    }
    return sb.toString();
  }
}
