package org.explain4j.render.raw;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Locale;
import org.explain4j.Explanation;
import org.explain4j.Provenance;
import org.explain4j.HeatMap;
import org.explain4j.TargetExplanation;

/**
 * Writes an {@link Explanation} as JSON following the stable schema {@code explain4j.explanation/2}
 * documented in {@code docs/json-schema.md}: the maps at the layer's resolution and upsampled, each
 * with its shape, so that other tools can compare maps at the layer's resolution.
 */
public final class JsonFormatter {
  /** The schema identifier written into every document. */
  public static final String SCHEMA = "explain4j.explanation/2";
  private static final JsonFactory FACTORY = new JsonFactory();

  private JsonFormatter() {}

  /** The JSON document as a string; {@code model} names the model (its directory, say). */
  public static String toJson(Explanation explanation, String model) {
    StringWriter out = new StringWriter();
    try {
      write(explanation, model, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** Writes the JSON document to {@code out}, which stays open. */
  public static void write(Explanation explanation, String model, Writer out) throws IOException {
    try (JsonGenerator json = FACTORY.createGenerator(out)) {
      json.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
      json.writeStartObject();
      json.writeStringField("schema", SCHEMA);
      json.writeStringField("model", model);
      json.writeStringField("signature", explanation.signature());
      json.writeStringField("layer", explanation.layer());
      json.writeStringField("method", explanation.method());
      json.writeStringField("engine", explanation.engine());
      json.writeNumberField("batchSize", explanation.batchSize());
      writeProvenance(json, explanation.provenance());
      json.writeArrayFieldStart("explanations");
      for (TargetExplanation t : explanation.targets()) {
        json.writeStartObject();
        json.writeNumberField("item", t.item());
        json.writeNumberField("target", t.target());
        json.writeStringField("method", t.method());
        json.writeStringField("engine", t.engine());
        writeScores(json, t);
        json.writeObjectFieldStart("flags");
        json.writeBooleanField("allZero", t.allZero());
        json.writeBooleanField("nearlyFlat", t.nearlyFlat());
        json.writeEndObject();
        writeMap(json, "layerMap", t.layerMap());
        writeMap(json, "heatMap", t.heatMap());
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeEndObject();
    }
  }

  /** Writes a target's {@code label}, {@code score} and {@code probability} fields (null when absent), as this schema does. */
  public static void writeScores(JsonGenerator json, TargetExplanation t) throws IOException {
    if (t.label().isPresent()) {
      json.writeStringField("label", t.label().get());
    } else {
      json.writeNullField("label");
    }
    json.writeNumberField("score", t.score());
    if (t.probability().isPresent()) {
      json.writeNumberField("probability", t.probability().getAsDouble());
    } else {
      json.writeNullField("probability");
    }
  }

  /** Writes the {@code provenance} field as this schema does: other JSON writers (the service) share it. */
  public static void writeProvenance(JsonGenerator json, Provenance p) throws IOException {
    if (p == null) {
      json.writeNullField("provenance");
      return;
    }
    json.writeObjectFieldStart("provenance");
    json.writeStringField("model", p.model());
    json.writeStringField("signature", p.signature());
    json.writeArrayFieldStart("tags");
    for (String tag : p.tags()) {
      json.writeString(tag);
    }
    json.writeEndArray();
    json.writeStringField("input", p.input());
    json.writeStringField("output", p.output());
    json.writeStringField("layer", p.layer());
    json.writeStringField("layerOp", p.layerOp());
    json.writeStringField("layerKind", p.layerKind().name().toLowerCase(Locale.ROOT));
    json.writeStringField("method", p.method());
    json.writeStringField("score", p.score().name().toLowerCase(Locale.ROOT));
    json.writeBooleanField("relu", p.relu());
    json.writeBooleanField("counterfactual", p.counterfactual());
    json.writeStringField("interpolation", p.interpolation().name().toLowerCase(Locale.ROOT));
    json.writeObjectFieldStart("smoothing");
    json.writeBooleanField("eigen", p.eigenSmooth());
    json.writeBooleanField("augment", p.augmentSmooth());
    json.writeEndObject();
    json.writeObjectFieldStart("perturbation");
    json.writeNumberField("maxChannels", p.maxChannels());
    json.writeNumberField("inputsPerRun", p.inputsPerRun());
    json.writeEndObject();
    json.writeStringField("engine", p.engine());
    json.writeStringField("libraryVersion", p.libraryVersion());
    json.writeStringField("tensorFlowVersion", p.tensorFlowVersion());
    if (p.inGraphScaling() != null) {
      json.writeStringField("inGraphScaling", p.inGraphScaling());
    } else {
      json.writeNullField("inGraphScaling");
    }
    json.writeEndObject();
  }

  /** Writes a map field, {@code {"shape": [h, w], "values": [...]}}, as this schema does. */
  public static void writeMap(JsonGenerator json, String name, HeatMap map) throws IOException {
    json.writeObjectFieldStart(name);
    json.writeArrayFieldStart("shape");
    json.writeNumber(map.height());
    json.writeNumber(map.width());
    json.writeEndArray();
    json.writeArrayFieldStart("values");
    for (float v : map.values()) {
      json.writeNumber(v);
    }
    json.writeEndArray();
    json.writeEndObject();
  }
}
