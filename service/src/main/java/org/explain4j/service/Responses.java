package org.explain4j.service;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.explain4j.Explanation;
import org.explain4j.TargetExplanation;
import org.explain4j.input.InputBatch;
import org.explain4j.render.Renderers;
import org.explain4j.render.Rendering;
import org.explain4j.render.ShowOptions;
import org.explain4j.render.raw.JsonFormatter;

/**
 * The JSON bodies the service answers with (schema in {@code docs/service.md}): predictions, and
 * explanations with the maps and renderings a request asked for.
 */
final class Responses {
  /** The version of the explanation response schema, written into every explanation response. */
  static final String SCHEMA = "explain4j.service.explain/2";
  private static final JsonFactory FACTORY = new JsonFactory();

  private Responses() {}

  interface Body {
    void write(JsonGenerator json) throws IOException;
  }

  static byte[] json(Body body) {
    return json(body, Long.MAX_VALUE);
  }

  /** The body, or 400 naming the bound as soon as it grows past {@code maxBytes} (nothing larger is held). */
  static byte[] json(Body body, long maxBytes) {
    CappedBuffer out = new CappedBuffer(maxBytes);
    try (JsonGenerator json = FACTORY.createGenerator(out)) {
      body.write(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** A byte buffer that refuses to grow past a bound: the service's response size cap. */
  static final class CappedBuffer extends ByteArrayOutputStream {
    private final long maxBytes;

    CappedBuffer(long maxBytes) {
      this.maxBytes = maxBytes;
    }

    @Override
    public void write(int b) {
      ensure(1);
      super.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      ensure(len);
      super.write(b, off, len);
    }

    private void ensure(int more) {
      if (count + (long) more > maxBytes) {
        throw HttpProblem.badRequest("The answer would be over " + maxBytes + " bytes (the service's --max-response-bytes):"
            + " ask for fewer instances, targets or outputs per request");
      }
    }
  }

  static byte[] error(int status, String message) {
    return json(json -> {
      json.writeStartObject();
      json.writeStringField("error", message == null ? "error" : message);
      json.writeNumberField("status", status);
      json.writeEndObject();
    });
  }

  /** {@code {"predictions": [...]}}, or {@code {"outputs": [...]}} for a request in TF Serving's columnar form. */
  static byte[] predictions(float[][] outputs, long maxBytes, boolean columnar) {
    return json(json -> {
      json.writeStartObject();
      writePredictions(json, outputs, columnar ? "outputs" : "predictions");
      json.writeEndObject();
    }, maxBytes);
  }

  /**
   * An explanation response; {@code input} and {@code images} (null when the instances were not
   * images) serve the overlay and HTML renderings.
   */
  static byte[] explanations(String model, Outcome outcome, Set<Output> outputs, InputBatch input,
      List<BufferedImage> images, List<List<String>> tokens, long maxBytes) {
    Explanation e = outcome.explanation();
    return json(json -> {
      json.writeStartObject();
      json.writeStringField("schema", SCHEMA);
      json.writeStringField("model", model);
      writePredictions(json, outcome.outputs());
      json.writeArrayFieldStart("explanations");
      for (int item = 0; item < e.batchSize(); item++) {
        json.writeStartObject();
        json.writeNumberField("instance", item);
        json.writeArrayFieldStart("targets");
        for (TargetExplanation t : e.forItem(item)) {
          writeTarget(json, t, outputs);
          if (outputs.contains(Output.OVERLAY) || outputs.contains(Output.HTML)) {
            Explanation one = e.alone(t);
            if (outputs.contains(Output.OVERLAY)) {
              json.writeStringField("overlay", Base64.getEncoder().encodeToString(overlay(one, input.item(item),
                  images == null ? null : images.get(item))));
            }
            if (outputs.contains(Output.HTML)) {
              json.writeStringField("html", html(one, input.item(item), tokens == null ? null : tokens.get(item)));
            }
          }
          json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
      }
      json.writeEndArray();
      // The served model's name, not the server's path to it: clients need not know the file system.
      JsonFormatter.writeProvenance(json, e.provenance().withModel(model));
      json.writeEndObject();
    }, maxBytes);
  }

  /** The overlay PNG of one item's explanation over its image (or its input drawn as one). */
  static byte[] overlay(Explanation one, InputBatch item, BufferedImage image) {
    ShowOptions.Builder options = ShowOptions.builder().optFormat(Rendering.Format.PNG);
    if (image != null) {
      options.optImages(List.of(image));
    }
    return Renderers.render(one, item, options.build()).content();
  }

  private static String html(Explanation one, InputBatch item, List<String> tokens) {
    ShowOptions.Builder options = ShowOptions.builder().optFormat(Rendering.Format.HTML);
    if (tokens != null) {
      options.optTokens(List.of(tokens));
    }
    return Renderers.render(one, item, options.build()).text();
  }

  private static void writePredictions(JsonGenerator json, float[][] outputs) throws IOException {
    writePredictions(json, outputs, "predictions");
  }

  private static void writePredictions(JsonGenerator json, float[][] outputs, String field) throws IOException {
    json.writeArrayFieldStart(field);
    for (float[] row : outputs) {
      json.writeStartArray();
      for (float v : row) {
        json.writeNumber(v);
      }
      json.writeEndArray();
    }
    json.writeEndArray();
  }

  /** Writes a target's fields; the caller closes the object (after any renderings). */
  private static void writeTarget(JsonGenerator json, TargetExplanation t, Set<Output> outputs) throws IOException {
    json.writeStartObject();
    json.writeNumberField("target", t.target());
    JsonFormatter.writeScores(json, t);
    json.writeStringField("method", t.method());
    json.writeBooleanField("allZero", t.allZero());
    json.writeBooleanField("nearlyFlat", t.nearlyFlat());
    if (outputs.contains(Output.LAYER_MAP)) {
      JsonFormatter.writeMap(json, "layerMap", t.layerMap());
    }
    if (outputs.contains(Output.HEAT_MAP)) {
      JsonFormatter.writeMap(json, "heatMap", t.heatMap());
    }
  }
}
