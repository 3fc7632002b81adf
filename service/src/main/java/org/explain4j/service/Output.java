package org.explain4j.service;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What an explanation response carries for each target, besides its class, label and scores. */
enum Output {
  /** The map at the layer's resolution (the default). */
  LAYER_MAP,
  /** The normalised map at the input's size. */
  HEAT_MAP,
  /** A PNG of the heat map over the input image, base64. */
  OVERLAY,
  /** An HTML fragment highlighting the tokens (text models). */
  HTML;

  String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Output parse(String name) {
    for (Output o : values()) {
      if (o.wireName().equals(name)) {
        return o;
      }
    }
    throw HttpProblem.badRequest("Unknown output '" + name + "'; expected one of "
        + Arrays.stream(values()).map(Output::wireName).collect(Collectors.joining(", ")));
  }
}
