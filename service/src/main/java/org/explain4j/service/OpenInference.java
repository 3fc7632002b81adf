package org.explain4j.service;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.explain4j.Explanation;
import org.explain4j.HeatMap;
import org.explain4j.Provenance;
import org.explain4j.TargetExplanation;
import org.explain4j.input.InputBatch;
import org.explain4j.model.TensorSpec;
import org.tensorflow.proto.DataType;

/**
 * The Open Inference Protocol (KServe V2, Triton): server and model metadata, model readiness,
 * and {@code infer} with typed tensors; plus {@code explain}, the same request answered with
 * explanation tensors (the protocol has no explain API of its own; docs/service.md). One input per
 * request, the model's; {@code BYTES} elements are base64-encoded images.
 */
final class OpenInference {
  /** The explanation tensors {@code explain} can answer with, besides the model's output; the first five by default. */
  static final List<String> EXPLANATION_OUTPUTS = List.of("targets", "scores", "probabilities", "layer_maps", "heat_maps");
  private static final Set<String> DEFAULT_EXPLANATION = Set.of("targets", "scores", "probabilities", "layer_maps");
  private static final Set<String> REQUEST_KEYS = Set.of("id", "parameters", "inputs", "outputs");
  private static final Set<String> INPUT_KEYS = Set.of("name", "shape", "datatype", "parameters", "data");

  /** A parsed request: what the pipeline needs, and what the answer must echo or carry. */
  record Request(String id, Instances.Decoded decoded, RequestOptions options, Set<String> outputs, boolean explain) {}

  private OpenInference() {}

  static byte[] serverMetadata(Collection<ModelHost> models) {
    ModelHost any = models.iterator().next();
    String version = any.model().provenance(any.primary().options()).libraryVersion();
    return Responses.json(json -> {
      json.writeStartObject();
      json.writeStringField("name", "explain4j");
      json.writeStringField("version", version);
      json.writeArrayFieldStart("extensions");
      json.writeString("explain");
      json.writeEndArray();
      json.writeArrayFieldStart("models");
      for (ModelHost m : models) {
        json.writeString(m.name());
      }
      json.writeEndArray();
      json.writeEndObject();
    });
  }

  static byte[] modelMetadata(ModelHost host) {
    TensorSpec input = host.input();
    TensorSpec output = output(host);
    return Responses.json(json -> {
      json.writeStartObject();
      json.writeStringField("name", host.name());
      json.writeArrayFieldStart("versions");
      json.writeString("1");
      json.writeEndArray();
      json.writeStringField("platform", host.primary().config().model().toString().endsWith(".pb")
          ? "tensorflow_graphdef" : "tensorflow_savedmodel");
      json.writeArrayFieldStart("inputs");
      writeMetadataTensor(json, input.key(), datatype(input.dataType()), input.shape().asArray());
      json.writeEndArray();
      json.writeArrayFieldStart("outputs");
      writeMetadataTensor(json, output.key(), datatype(output.dataType()), output.shape().asArray());
      json.writeEndArray();
      json.writeObjectFieldStart("parameters");
      json.writeStringField("layer", host.primary().layer().name());
      json.writeStringField("method", host.primary().method());
      json.writeStringField("explain_outputs", String.join(",", EXPLANATION_OUTPUTS));
      json.writeEndObject();
      json.writeEndObject();
    });
  }

  static byte[] ready(String name, boolean ready) {
    return Responses.json(json -> {
      json.writeStartObject();
      json.writeStringField("name", name);
      json.writeBooleanField("ready", ready);
      json.writeEndObject();
    });
  }

  private static void writeMetadataTensor(JsonGenerator json, String name, String datatype, long[] shape) throws IOException {
    json.writeStartObject();
    writeHead(json, name, datatype, shape);
    json.writeEndObject();
  }

  /** A tensor's {@code name}, {@code datatype} and {@code shape} fields, as metadata and data tensors both start. */
  private static void writeHead(JsonGenerator json, String name, String datatype, long[] shape) throws IOException {
    json.writeStringField("name", name);
    json.writeStringField("datatype", datatype);
    json.writeArrayFieldStart("shape");
    for (long d : shape) {
      json.writeNumber(d);
    }
    json.writeEndArray();
  }

  private static TensorSpec output(ModelHost host) {
    return host.primary().model().outputs().get(0);
  }

  /** The protocol's name for a TensorFlow element type. */
  static String datatype(DataType type) {
    return switch (type) {
      case DT_FLOAT -> "FP32";
      case DT_DOUBLE -> "FP64";
      case DT_HALF -> "FP16";
      case DT_INT8 -> "INT8";
      case DT_INT16 -> "INT16";
      case DT_INT32 -> "INT32";
      case DT_INT64 -> "INT64";
      case DT_UINT8 -> "UINT8";
      case DT_UINT16 -> "UINT16";
      case DT_BOOL -> "BOOL";
      case DT_STRING -> "BYTES";
      default -> type.name();
    };
  }

  /** Parses an inference request for {@code host}: one input tensor, the model's. */
  static Request request(JsonNode body, ModelHost host, boolean explain, Instances.Decoder decoder) {
    unknownKeys(body, REQUEST_KEYS, "The request");
    String id = body.hasNonNull("id") ? body.get("id").asText() : null;
    JsonNode inputs = body.get("inputs");
    if (inputs == null || !inputs.isArray() || inputs.size() != 1) {
      throw HttpProblem.badRequest("\"inputs\" must be an array of one tensor, the model's input '" + host.input().key()
          + "'; got " + (inputs == null ? "none" : inputs.isArray() ? inputs.size() + " tensors" : "not an array"));
    }
    JsonNode tensor = inputs.get(0);
    unknownKeys(tensor, INPUT_KEYS, "Input 0");
    String name = text(tensor, "name");
    if (!name.equals(host.input().key())) {
      throw HttpProblem.badRequest("Input '" + name + "' is not this model's: its input is '" + host.input().key() + "'");
    }
    long[] shape = shape(tensor.get("shape"));
    String datatype = text(tensor, "datatype");
    List<JsonNode> data = new ArrayList<>();
    flatten(tensor.get("data"), data);
    long count = 1;
    for (long d : shape) {
      count *= d;
    }
    if (count != data.size()) {
      throw HttpProblem.badRequest("Input '" + name + "' has shape " + java.util.Arrays.toString(shape) + " (" + count
          + " elements) but " + data.size() + " data elements");
    }
    Instances.Decoded decoded = switch (datatype) {
      case "BYTES" -> bytes(shape, data, host, decoder);
      case "FP32", "FP64", "FP16" -> new Instances.Decoded(InputBatch.ofFloats(floats(data, datatype), shape), null);
      case "UINT8", "INT8", "UINT16", "INT16", "INT32", "INT64", "UINT32", "UINT64" ->
          new Instances.Decoded(InputBatch.ofLongs(longs(data, datatype), shape), null);
      default -> throw HttpProblem.badRequest("Input '" + name + "' has datatype " + datatype
          + "; this service takes FP32, FP64, FP16, the integer types, or BYTES (base64-encoded images)");
    };
    int batch = decoded.batch().batchSize();
    RequestOptions options = explain ? RequestOptions.parse(body.get("parameters"), batch) : RequestOptions.parse(null, 1);
    Set<String> outputs = requestedOutputs(body.get("outputs"), output(host).key(), explain);
    if (explain && outputs.contains("heat_maps")) {
      options = new RequestOptions(options.variant(), options.targets(), java.util.EnumSet.of(Output.LAYER_MAP, Output.HEAT_MAP),
          options.tokens());
    }
    return new Request(id, decoded, options, outputs, explain);
  }

  private static Instances.Decoded bytes(long[] shape, List<JsonNode> data, ModelHost host, Instances.Decoder decoder) {
    if (shape.length != 1) {
      throw HttpProblem.badRequest("A BYTES input holds one item per instance: shape [n], got " + java.util.Arrays.toString(shape));
    }
    if (host.model().takesText()) {
      // A raw-text model: the elements are the sentences themselves, as the protocol carries strings.
      List<String> texts = new ArrayList<>();
      for (int i = 0; i < data.size(); i++) {
        if (!data.get(i).isTextual()) {
          throw HttpProblem.badRequest("BYTES element " + i + " is not a string: expected a sentence");
        }
        texts.add(data.get(i).textValue());
      }
      return new Instances.Decoded(InputBatch.ofStrings(texts), null);
    }
    List<byte[]> encoded = new ArrayList<>();
    for (int i = 0; i < data.size(); i++) {
      if (!data.get(i).isTextual()) {
        throw HttpProblem.badRequest("BYTES element " + i + " is not a string: expected a base64-encoded image");
      }
      try {
        encoded.add(Base64.getMimeDecoder().decode(data.get(i).textValue()));
      } catch (IllegalArgumentException e) {
        throw HttpProblem.badRequest("BYTES element " + i + " is not base64 (" + e.getMessage() + ")");
      }
    }
    return Instances.encoded(encoded, host.input(), host.images(), decoder);
  }

  private static Set<String> requestedOutputs(JsonNode outputs, String modelOutput, boolean explain) {
    Set<String> known = new LinkedHashSet<>();
    known.add(modelOutput);
    if (explain) {
      known.addAll(EXPLANATION_OUTPUTS);
    }
    if (outputs == null) {
      Set<String> all = new LinkedHashSet<>();
      all.add(modelOutput);
      if (explain) {
        EXPLANATION_OUTPUTS.stream().filter(DEFAULT_EXPLANATION::contains).forEach(all::add);
      }
      return all;
    }
    if (!outputs.isArray()) {
      throw HttpProblem.badRequest("\"outputs\" must be an array of {\"name\": ...}");
    }
    Set<String> chosen = new LinkedHashSet<>();
    for (JsonNode o : outputs) {
      String name = o.isObject() ? text(o, "name") : o.asText();
      if (!known.contains(name)) {
        throw HttpProblem.badRequest("No output '" + name + "'; this " + (explain ? "explanation" : "model") + " has " + known);
      }
      chosen.add(name);
    }
    return chosen;
  }

  /** The response: the requested tensors, the request's id, and for explanations their provenance as parameters. */
  static byte[] response(ModelHost host, Request request, Outcome outcome, long maxBytes) {
    TensorSpec output = output(host);
    return Responses.json(json -> {
      json.writeStartObject();
      json.writeStringField("model_name", host.name());
      json.writeStringField("model_version", "1");
      if (request.id() != null) {
        json.writeStringField("id", request.id());
      }
      Explanation e = outcome.explanation();
      if (e != null) {
        writeProvenance(json, e.provenance().withModel(host.name()));
      }
      json.writeArrayFieldStart("outputs");
      if (request.outputs().contains(output.key())) {
        float[][] rows = outcome.outputs();
        float[] flat = new float[rows.length * (rows.length == 0 ? 0 : rows[0].length)];
        for (int i = 0; i < rows.length; i++) {
          System.arraycopy(rows[i], 0, flat, i * rows[i].length, rows[i].length);
        }
        writeTensor(json, output.key(), "FP32", new long[] {rows.length, rows.length == 0 ? 0 : rows[0].length}, flat);
      }
      if (e != null) {
        writeExplanation(json, e, request.outputs());
      }
      json.writeEndArray();
      json.writeEndObject();
    }, maxBytes);
  }

  private static void writeExplanation(JsonGenerator json, Explanation e, Set<String> outputs) throws IOException {
    int n = e.batchSize();
    int k = e.forItem(0).size();
    for (int item = 1; item < n; item++) {
      if (e.forItem(item).size() != k) {
        throw HttpProblem.badRequest("The V2 explain answer holds the same number of targets for every instance; instance " + item
            + " has " + e.forItem(item).size() + ", instance 0 has " + k + " (use V1 :explain for ragged targets)");
      }
    }
    for (String name : EXPLANATION_OUTPUTS) {
      if (!outputs.contains(name)) {
        continue;
      }
      switch (name) {
        case "targets" -> {
          float[] v = new float[n * k];
          fill(e, n, (t, at) -> v[at] = t.target());
          writeTensor(json, name, "INT32", new long[] {n, k}, v);
        }
        case "scores" -> {
          float[] v = new float[n * k];
          fill(e, n, (t, at) -> v[at] = t.score());
          writeTensor(json, name, "FP32", new long[] {n, k}, v);
        }
        case "probabilities" -> {
          float[] v = new float[n * k];
          fill(e, n, (t, at) -> v[at] = (float) t.probability().orElse(Double.NaN));
          writeTensor(json, name, "FP32", new long[] {n, k}, v);
        }
        case "layer_maps", "heat_maps" -> {
          boolean heat = name.equals("heat_maps");
          HeatMap first = heat ? e.forItem(0).get(0).heatMap() : e.forItem(0).get(0).layerMap();
          int size = first.values().length;
          float[] v = new float[n * k * size];
          fill(e, n, (t, at) -> System.arraycopy((heat ? t.heatMap() : t.layerMap()).values(), 0, v, at * size, size));
          writeTensor(json, name, "FP32", new long[] {n, k, first.height(), first.width()}, v);
        }
        default -> throw new IllegalStateException(name);
      }
    }
  }

  private interface Fill {
    void at(TargetExplanation t, int position);
  }

  private static void fill(Explanation e, int n, Fill f) {
    int at = 0;
    for (int item = 0; item < n; item++) {
      for (TargetExplanation t : e.forItem(item)) {
        f.at(t, at++);
      }
    }
  }

  private static void writeProvenance(JsonGenerator json, Provenance p) throws IOException {
    json.writeObjectFieldStart("parameters");
    json.writeStringField("schema", "explain4j.v2.explain/1");
    json.writeStringField("layer", p.layer());
    json.writeStringField("method", p.method());
    json.writeStringField("score", p.score().name().toLowerCase(Locale.ROOT));
    json.writeBooleanField("relu", p.relu());
    json.writeBooleanField("counterfactual", p.counterfactual());
    json.writeStringField("engine", p.engine());
    json.writeStringField("library_version", p.libraryVersion());
    json.writeStringField("tensorflow_version", p.tensorFlowVersion());
    json.writeEndObject();
  }

  private static void writeTensor(JsonGenerator json, String name, String datatype, long[] shape, float[] data) throws IOException {
    json.writeStartObject();
    writeHead(json, name, datatype, shape);
    json.writeArrayFieldStart("data");
    boolean ints = datatype.equals("INT32");
    for (float v : data) {
      if (Float.isNaN(v)) {
        json.writeNull(); // no probability (the model's output is not a distribution): JSON has no NaN
      } else if (ints) {
        json.writeNumber((int) v); // class indices, held exactly by a float
      } else {
        json.writeNumber(v);
      }
    }
    json.writeEndArray();
    json.writeEndObject();
  }

  private static void unknownKeys(JsonNode object, Set<String> known, String what) {
    if (object == null || !object.isObject()) {
      throw HttpProblem.badRequest(what + " must be a JSON object");
    }
    for (java.util.Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!known.contains(key)) {
        throw HttpProblem.badRequest(what + " has an unknown field \"" + key + "\"; the fields are " + new java.util.TreeSet<>(known));
      }
    }
  }

  private static String text(JsonNode object, String key) {
    JsonNode v = object.get(key);
    if (v == null || !v.isTextual()) {
      throw HttpProblem.badRequest("\"" + key + "\" must be a string" + (v == null ? ", and is missing" : ", got " + v));
    }
    return v.textValue();
  }

  private static long[] shape(JsonNode shape) {
    if (shape == null || !shape.isArray() || shape.isEmpty()) {
      throw HttpProblem.badRequest("\"shape\" must be a non-empty array of dimensions, the first the batch");
    }
    long[] out = new long[shape.size()];
    for (int i = 0; i < out.length; i++) {
      if (!shape.get(i).canConvertToLong() || shape.get(i).asLong() < 1) {
        throw HttpProblem.badRequest("\"shape\" dimension " + i + " must be a positive whole number, got " + shape.get(i));
      }
      out[i] = shape.get(i).asLong();
    }
    if (java.util.Arrays.stream(out).reduce(1, Math::multiplyExact) > Integer.MAX_VALUE) {
      throw HttpProblem.badRequest("\"shape\" " + java.util.Arrays.toString(out) + " holds more than " + Integer.MAX_VALUE + " elements");
    }
    return out;
  }

  /** Row-major elements of {@code data}, which may be flat or nested (the protocol allows both). */
  private static void flatten(JsonNode data, List<JsonNode> out) {
    if (data == null) {
      throw HttpProblem.badRequest("The input has no \"data\"");
    }
    if (data.isArray()) {
      for (JsonNode d : data) {
        flatten(d, out);
      }
    } else {
      out.add(data);
    }
  }

  private static float[] floats(List<JsonNode> data, String datatype) {
    float[] out = new float[data.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode d = data.get(i);
      if (!d.isNumber() || !Double.isFinite(d.doubleValue())) {
        throw HttpProblem.badRequest(datatype + " element " + i + " is " + d + ": expected a finite number");
      }
      out[i] = d.floatValue();
    }
    return out;
  }

  private static long[] longs(List<JsonNode> data, String datatype) {
    long[] out = new long[data.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode d = data.get(i);
      if (!d.canConvertToExactIntegral() || !d.isNumber()) {
        throw HttpProblem.badRequest(datatype + " element " + i + " is " + d + ": expected a whole number");
      }
      out[i] = d.asLong();
    }
    return out;
  }
}
