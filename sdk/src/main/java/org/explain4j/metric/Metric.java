package org.explain4j.metric;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.explain4j.exceptions.InvalidInputException;

/** The faithfulness metrics {@link Faithfulness} computes; names as the CLI takes them. */
public enum Metric {
  /** Area under the target's output as the most relevant pixels are set to the baseline, first to last: lower is better. */
  DELETION,
  /** Area under the target's output as the most relevant pixels are restored into a blurred copy: higher is better. */
  INSERTION,
  /**
   * ROAD: the output after removing a fraction of the pixels and imputing them from their
   * neighbours, most relevant first (MoRF, lower is better) and least relevant first (LeRF, higher
   * is better), averaged over the fractions.
   */
  ROAD,
  /** The output for the input multiplied by its normalised map, minus the output for the input: higher is better. */
  CONFIDENCE,
  /**
   * The pointing game (Zhang et al. 2016): 1 when the map's peak lies within a tolerance of a known
   * region of the explained class (an image box, a keyword position), else 0; the mean is the share of
   * hits. Needs {@link Regions}.
   */
  POINTING;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Comma-separated names, such as {@code "deletion,insertion"}. */
  public static Set<Metric> parse(String names) {
    EnumSet<Metric> out = EnumSet.noneOf(Metric.class);
    for (String name : names.split(",")) {
      String n = name.trim().toLowerCase(Locale.ROOT);
      Metric m = Arrays.stream(values()).filter(v -> v.wireName().equals(n)).findFirst().orElseThrow(() ->
          new InvalidInputException("Unknown metric '" + name.trim() + "'; expected some of "
              + Arrays.stream(values()).map(Metric::wireName).collect(Collectors.joining(", "))));
      out.add(m);
    }
    return out;
  }
}
