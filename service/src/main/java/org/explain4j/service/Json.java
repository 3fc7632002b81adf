package org.explain4j.service;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The service's one JSON mapper: request bodies are read as trees. */
final class Json {
  /**
   * NaN and Infinity are accepted by the parser so that an instance holding them is refused with a
   * message naming the value, not as malformed JSON; nesting is bounded against stack exhaustion.
   */
  static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .build();

  static {
    MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
  }

  private Json() {}

  /** The body as a JSON object, or a 400 naming what is wrong with it. */
  static JsonNode parseObject(byte[] body) {
    if (body.length == 0) {
      throw HttpProblem.badRequest("The request body is empty; expected a JSON object such as {\"instances\": [...]}");
    }
    JsonNode root;
    try (JsonParser parser = MAPPER.getFactory().createParser(body)) {
      root = MAPPER.readTree(parser);
      if (parser.nextToken() != null) {
        throw HttpProblem.badRequest("Malformed JSON: unexpected content after the top-level value");
      }
    } catch (java.io.IOException e) {
      throw HttpProblem.badRequest("Malformed JSON: " + firstLine(e.getMessage()));
    }
    if (root == null || !root.isObject()) {
      throw HttpProblem.badRequest("The request body must be a JSON object such as {\"instances\": [...]}");
    }
    return root;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
