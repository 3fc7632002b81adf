package org.explain4j.service;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.explain4j.input.ImagePreprocessor;
import org.explain4j.input.InputBatch;
import org.explain4j.model.TensorSpec;
import org.tensorflow.proto.DataType;

/**
 * A request's {@code instances} as one input batch. Each instance is a nested array of numbers
 * (pixels, features, token ids: whole numbers become integers for integer inputs), or an encoded
 * image {@code {"b64": "..."}} as TF Serving accepts, decoded in the graph for a string input or
 * here, with the model's preprocessing, for a numeric one.
 */
final class Instances {
  /** The batch, and the decoded images when the instances were images (for overlays). */
  record Decoded(InputBatch batch, List<BufferedImage> images) {}

  /** Decodes one encoded image (the service bounds how many at once, and their size). */
  interface Decoder {
    BufferedImage decode(byte[] bytes, String name);
  }

  private Instances() {}

  /**
   * The instances of a V1 body, in any of the forms KServe V1 and TF Serving's REST API accept:
   * {@code {"instances": [...]}} (row form), with each instance a value, an encoded image
   * {@code {"b64": ...}}, or an object naming the input ({@code {"image": [...]}} or
   * {@code {"image": {"b64": ...}}}); or {@code {"inputs": [...]}} / {@code {"inputs": {"image": [...]}}}
   * (columnar form, one input).
   */
  static Decoded parse(JsonNode body, TensorSpec input, ImagePreprocessor images, Decoder decoder) {
    return parseRows(rows(body, input), input, images, decoder);
  }

  /** Whether a body uses the columnar {@code inputs} form (TF Serving answers it with {@code outputs}). */
  static boolean columnar(JsonNode body) {
    return !body.has("instances") && body.has("inputs");
  }

  /** The body's instances as a JSON array of rows, whatever its form. */
  private static JsonNode rows(JsonNode body, TensorSpec input) {
    JsonNode instances = body.get("instances");
    if (instances == null) {
      JsonNode inputs = body.get("inputs");
      if (inputs == null) {
        throw HttpProblem.badRequest("The request has neither \"instances\" nor \"inputs\"; expected {\"instances\": [...]} or"
            + " {\"inputs\": [...]}");
      }
      return inputs.isObject() ? named(inputs, input, "\"inputs\"") : inputs;
    }
    if (!instances.isArray() || instances.isEmpty()) {
      return instances;
    }
    // TF Serving's named instances: [{"image": ...}, ...] for a model whose input is named "image".
    boolean named = instances.get(0).isObject() && !instances.get(0).has("b64");
    if (!named) {
      return instances;
    }
    com.fasterxml.jackson.databind.node.ArrayNode rows = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
    for (int i = 0; i < instances.size(); i++) {
      JsonNode row = instances.get(i);
      if (!row.isObject() || row.has("b64")) {
        throw HttpProblem.badRequest("Instance " + i + " is " + describe(row) + " but instance 0 names its input: every instance must"
            + " have the same form");
      }
      rows.add(named(row, input, "instance " + i));
    }
    return rows;
  }

  /** The value of the one input an object names; the name must be the model's input. */
  private static JsonNode named(JsonNode object, TensorSpec input, String what) {
    java.util.Iterator<String> names = object.fieldNames();
    String name = names.hasNext() ? names.next() : null;
    if (name == null || names.hasNext()) {
      throw HttpProblem.badRequest(what + " must name one input, the model's '" + input.key() + "'; got " + abbreviate(object));
    }
    if (!name.equals(input.key())) {
      throw HttpProblem.badRequest(what + " names the input '" + name + "'; this model's input is '" + input.key() + "'");
    }
    return object.get(name);
  }

  private static Decoded parseRows(JsonNode instances, TensorSpec input, ImagePreprocessor images, Decoder decoder) {
    if (!instances.isArray() || instances.isEmpty()) {
      throw HttpProblem.badRequest("\"instances\" must be a non-empty array, got " + describe(instances));
    }
    if (instances.get(0).isTextual()) {
      return texts(instances, input);
    }
    boolean encoded = instances.get(0).isObject();
    for (int i = 0; i < instances.size(); i++) {
      if (instances.get(i).isObject() != encoded) {
        throw HttpProblem.badRequest("Instance " + i + " is " + describe(instances.get(i)) + " but instance 0 is "
            + describe(instances.get(0)) + ": every instance must have the same form");
      }
    }
    return encoded ? images(instances, input, images, decoder) : numbers(instances, input);
  }

  /** Sentences for a model that takes raw text: every instance a JSON string. */
  private static Decoded texts(JsonNode instances, TensorSpec input) {
    if (input.dataType() != DataType.DT_STRING) {
      throw HttpProblem.badRequest("Instance 0 is a string, but the model's input '" + input.key() + "' is " + input.dataType()
          + " " + input.shape() + ": send numbers (or {\"b64\": ...} images)");
    }
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < instances.size(); i++) {
      if (!instances.get(i).isTextual()) {
        throw HttpProblem.badRequest("Instance " + i + " is " + describe(instances.get(i)) + " but instance 0 is a string: every"
            + " instance must have the same form");
      }
      texts.add(instances.get(i).textValue());
    }
    return new Decoded(InputBatch.ofStrings(texts), null);
  }

  /** Encoded image bytes as one instance (a raw upload). */
  static Decoded image(byte[] bytes, TensorSpec input, ImagePreprocessor images, Decoder decoder) {
    return fromEncoded(List.of(bytes), input, images, decoder);
  }

  private static Decoded images(JsonNode instances, TensorSpec input, ImagePreprocessor images, Decoder decoder) {
    List<byte[]> encoded = new ArrayList<>();
    for (int i = 0; i < instances.size(); i++) {
      JsonNode b64 = instances.get(i).get("b64");
      if (b64 == null || !b64.isTextual() || instances.get(i).size() != 1) {
        throw HttpProblem.badRequest("Instance " + i + " is an object but not {\"b64\": \"<base64 image>\"}: " + abbreviate(instances.get(i)));
      }
      try {
        encoded.add(Base64.getMimeDecoder().decode(b64.textValue()));
      } catch (IllegalArgumentException e) {
        throw HttpProblem.badRequest("Instance " + i + ": b64 is not base64 (" + e.getMessage() + ")");
      }
    }
    return fromEncoded(encoded, input, images, decoder);
  }

  /** Encoded images as instances: decoded in the graph for a string input, else here with the model's preprocessing. */
  static Decoded encoded(List<byte[]> encoded, TensorSpec input, ImagePreprocessor images, Decoder decoder) {
    return fromEncoded(encoded, input, images, decoder);
  }

  private static Decoded fromEncoded(List<byte[]> encoded, TensorSpec input, ImagePreprocessor images, Decoder decoder) {
    List<BufferedImage> decoded = new ArrayList<>();
    for (int i = 0; i < encoded.size(); i++) {
      decoded.add(decoder.decode(encoded.get(i), "instance " + i));
    }
    if (input.dataType() == DataType.DT_STRING) {
      // The graph decodes the bytes itself; the decoded copies only serve the overlays.
      return new Decoded(InputBatch.ofEncoded(encoded), decoded);
    }
    if (input.shape().numDimensions() != 4 && input.shape().numDimensions() != 3) {
      throw HttpProblem.badRequest("The model's input '" + input.key() + "' is " + input.dataType() + " " + input.shape()
          + ", not an image: send the values as nested arrays");
    }
    return new Decoded(images.toBatch(decoded), decoded);
  }

  private static Decoded numbers(JsonNode instances, TensorSpec input) {
    if (input.dataType() == DataType.DT_STRING) {
      throw HttpProblem.badRequest("The model's input '" + input.key() + "' takes encoded images: send instances as {\"b64\": \"...\"}");
    }
    List<Long> itemShape = new ArrayList<>();
    for (JsonNode n = instances.get(0); n.isArray(); n = n.get(0)) {
      if (n.isEmpty()) {
        throw HttpProblem.badRequest("Instance 0 holds an empty array: expected numbers");
      }
      itemShape.add((long) n.size());
    }
    long itemSize = itemShape.stream().reduce(1L, (a, b) -> a * b);
    if (itemSize * instances.size() > Integer.MAX_VALUE) {
      throw HttpProblem.badRequest("The instances hold more than " + Integer.MAX_VALUE + " values");
    }
    double[] values = new double[(int) (itemSize * instances.size())];
    int[] at = {0};
    boolean[] whole = {true};
    for (int i = 0; i < instances.size(); i++) {
      flatten(instances.get(i), itemShape, 0, values, at, whole, i);
    }
    long[] shape = new long[itemShape.size() + 1];
    shape[0] = instances.size();
    for (int d = 0; d < itemShape.size(); d++) {
      shape[d + 1] = itemShape.get(d);
    }
    boolean integers = input.dataType() == DataType.DT_INT32 || input.dataType() == DataType.DT_INT64;
    if (integers && whole[0]) {
      long[] longs = new long[values.length];
      for (int i = 0; i < values.length; i++) {
        longs[i] = (long) values[i];
      }
      return new Decoded(InputBatch.ofLongs(longs, shape), null);
    }
    float[] floats = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      floats[i] = (float) values[i];
    }
    return new Decoded(InputBatch.ofFloats(floats, shape), null);
  }

  private static void flatten(JsonNode node, List<Long> shape, int depth, double[] out, int[] at, boolean[] whole, int instance) {
    if (depth == shape.size()) {
      if (!node.isNumber()) {
        throw HttpProblem.badRequest("Instance " + instance + " holds " + describe(node) + " where a number was expected");
      }
      double v = node.doubleValue();
      if (!Double.isFinite(v)) {
        throw HttpProblem.badRequest("Instance " + instance + " holds " + v + " (value " + (at[0] % Math.max(1, size(shape)))
            + " of the instance): expected finite numbers");
      }
      whole[0] &= node.isIntegralNumber() || v == Math.rint(v);
      out[at[0]++] = v;
      return;
    }
    if (!node.isArray() || node.size() != shape.get(depth)) {
      throw HttpProblem.badRequest("Instance " + instance + " is not of shape " + shape + " (the shape of instance 0): at depth "
          + depth + " found " + describe(node) + (node.isArray() ? " of length " + node.size() : ""));
    }
    for (JsonNode child : node) {
      flatten(child, shape, depth + 1, out, at, whole, instance);
    }
  }

  private static long size(List<Long> shape) {
    return shape.stream().reduce(1L, (a, b) -> a * b);
  }

  private static String describe(JsonNode n) {
    return switch (n.getNodeType()) {
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL, MISSING -> "null";
      default -> n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    };
  }

  private static String abbreviate(JsonNode n) {
    String s = n.toString();
    return s.length() > 80 ? s.substring(0, 77) + "..." : s;
  }
}
