package org.explain4j.service;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.explain4j.model.ScoreKind;

/**
 * A request's {@code parameters} (or, for a raw image upload, its query string): the explainer
 * variant, the targets, and what to put in the response.
 */
record RequestOptions(Variant variant, TargetChoice targets, Set<Output> outputs, List<List<String>> tokens) {
  private static final Set<String> KNOWN = Set.of("method", "layer", "targets", "top_k", "score", "relu",
      "counterfactual", "eigen_smooth", "aug_smooth", "channels", "output", "tokens");

  /** Parses a request's {@code parameters} object (null: all defaults) for {@code instances} instances. */
  static RequestOptions parse(JsonNode p, int instances) {
    if (p == null || p.isNull()) {
      return new RequestOptions(Variant.DEFAULT, TargetChoice.PREDICTED, EnumSet.of(Output.LAYER_MAP), null);
    }
    if (!p.isObject()) {
      throw HttpProblem.badRequest("parameters must be a JSON object, got " + p.getNodeType().name().toLowerCase(Locale.ROOT));
    }
    for (Iterator<String> names = p.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!KNOWN.contains(name)) {
        throw HttpProblem.badRequest("Unknown parameter '" + name + "'; expected some of " + new java.util.TreeSet<>(KNOWN));
      }
    }
    Variant variant = new Variant(text(p, "layer"), methods(p.get("method")), score(text(p, "score")),
        bool(p, "relu"), bool(p, "counterfactual"), bool(p, "eigen_smooth"), bool(p, "aug_smooth"), channels(p.get("channels")));
    TargetChoice targets = targets(p.get("targets"), p.get("top_k"), instances);
    Set<Output> outputs = outputs(p.get("output"));
    List<List<String>> tokens = tokens(p.get("tokens"), instances);
    return new RequestOptions(variant, targets, outputs, tokens);
  }

  /** The options of a raw image upload, from its query string (repeated {@code target} and {@code output} allowed). */
  static RequestOptions fromQuery(Map<String, List<String>> query) {
    com.fasterxml.jackson.databind.node.ObjectNode p = Json.MAPPER.createObjectNode();
    query.forEach((key, values) -> {
      switch (key) {
        case "target" -> values.forEach(v -> p.withArray("targets").add(integer("target", v)));
        case "top_k" -> p.put("top_k", integer(key, values.get(0)));
        case "relu", "counterfactual", "eigen_smooth", "aug_smooth" -> p.put(key, Boolean.parseBoolean(values.get(0)));
        case "channels" -> p.put(key, integer(key, values.get(0)));
        case "output" -> values.forEach(v -> p.withArray("output").add(v));
        default -> p.put(key, values.get(0));
      }
    });
    return parse(p, 1);
  }

  private static int integer(String name, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw HttpProblem.badRequest(name + " must be an integer, got '" + value + "'");
    }
  }

  private static String text(JsonNode p, String name) {
    JsonNode v = p.get(name);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual() && !v.isIntegralNumber()) {
      throw HttpProblem.badRequest("parameters." + name + " must be a string, got " + v);
    }
    return v.asText();
  }

  private static Boolean bool(JsonNode p, String name) {
    JsonNode v = p.get(name);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isBoolean()) {
      throw HttpProblem.badRequest("parameters." + name + " must be true or false, got " + v);
    }
    return v.booleanValue();
  }

  private static Integer channels(JsonNode v) {
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isIntegralNumber() || v.intValue() < 0) {
      throw HttpProblem.badRequest("parameters.channels must be 0 (all) or a positive number of channels, got " + v);
    }
    return v.intValue();
  }

  private static String methods(JsonNode v) {
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isTextual()) {
      return v.textValue();
    }
    if (v.isArray() && v.size() > 0) {
      List<String> names = new ArrayList<>();
      v.forEach(m -> {
        if (!m.isTextual()) {
          throw HttpProblem.badRequest("parameters.method must hold method names, got " + m);
        }
        names.add(m.textValue());
      });
      return String.join(",", names);
    }
    throw HttpProblem.badRequest("parameters.method must be a method name or a list of them, got " + v);
  }

  private static ScoreKind score(String name) {
    if (name == null) {
      return null;
    }
    try {
      return ScoreKind.valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw HttpProblem.badRequest("parameters.score must be 'logit' or 'output', got '" + name + "'");
    }
  }

  private static TargetChoice targets(JsonNode targets, JsonNode topK, int instances) {
    if (targets != null && topK != null) {
      throw HttpProblem.badRequest("Give parameters.targets or parameters.top_k, not both");
    }
    if (topK != null) {
      if (!topK.isIntegralNumber()) {
        throw HttpProblem.badRequest("parameters.top_k must be an integer, got " + topK);
      }
      return TargetChoice.top(topK.intValue());
    }
    if (targets == null || targets.isNull()) {
      return TargetChoice.PREDICTED;
    }
    if (!targets.isArray() || targets.isEmpty()) {
      throw HttpProblem.badRequest("parameters.targets must be a non-empty list of class indices, or one list per instance");
    }
    if (targets.get(0).isArray()) {
      if (targets.size() != instances) {
        throw HttpProblem.badRequest("parameters.targets has " + targets.size() + " lists for " + instances + " instances");
      }
      List<int[]> rows = new ArrayList<>();
      for (JsonNode row : targets) {
        rows.add(classes(row));
      }
      if (rows.stream().mapToInt(r -> r.length).distinct().count() > 1) {
        throw HttpProblem.badRequest("parameters.targets must name as many classes for every instance");
      }
      return TargetChoice.perInstance(rows);
    }
    return TargetChoice.same(classes(targets), instances);
  }

  private static int[] classes(JsonNode row) {
    if (!row.isArray() || row.isEmpty()) {
      throw HttpProblem.badRequest("parameters.targets lists must be non-empty lists of class indices, got " + row);
    }
    int[] out = new int[row.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode c = row.get(i);
      if (!c.isIntegralNumber() || c.longValue() < 0 || c.longValue() > Integer.MAX_VALUE) {
        throw HttpProblem.badRequest("Class indices must be non-negative integers, got " + c);
      }
      out[i] = c.intValue();
    }
    return out;
  }

  private static Set<Output> outputs(JsonNode v) {
    if (v == null || v.isNull()) {
      return EnumSet.of(Output.LAYER_MAP);
    }
    EnumSet<Output> out = EnumSet.noneOf(Output.class);
    if (v.isTextual()) {
      out.add(Output.parse(v.textValue()));
    } else if (v.isArray()) {
      v.forEach(o -> out.add(Output.parse(o.asText())));
    } else {
      throw HttpProblem.badRequest("parameters.output must be an output name or a list of them, got " + v);
    }
    return out;
  }

  private static List<List<String>> tokens(JsonNode v, int instances) {
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isArray() || v.size() != instances) {
      throw HttpProblem.badRequest("parameters.tokens must hold one list of tokens per instance (" + instances + ")");
    }
    List<List<String>> out = new ArrayList<>();
    for (JsonNode row : v) {
      List<String> tokens = new ArrayList<>();
      row.forEach(t -> tokens.add(t.asText()));
      out.add(tokens);
    }
    return out;
  }
}
