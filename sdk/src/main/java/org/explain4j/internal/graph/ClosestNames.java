package org.explain4j.internal.graph;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** Ranks candidate names by edit distance to a name that was not found. */
final class ClosestNames {
  private ClosestNames() {}

  /**
   * The candidates close to {@code wanted}, closest first, at most {@code limit}: within an edit
   * distance of a third of its length (at least 1) of the whole name or of one of its
   * {@code /}-separated parts. Empty when nothing is close: then a list of names would only mislead.
   */
  static List<String> of(String wanted, List<String> candidates, int limit) {
    String w = wanted.toLowerCase(Locale.ROOT);
    int threshold = Math.max(1, w.length() / 3);
    return candidates.stream()
        .filter(c -> nearness(w, c) <= threshold)
        .sorted(Comparator.comparingInt((String c) -> nearness(w, c)).thenComparing(c -> c))
        .limit(limit)
        .toList();
  }

  private static int nearness(String wanted, String candidate) {
    String c = candidate.toLowerCase(Locale.ROOT);
    int best = distance(wanted, c);
    for (String part : c.split("/")) {
      best = Math.min(best, distance(wanted, part));
    }
    return best;
  }

  /** Levenshtein distance. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
      }
      int[] t = previous;
      previous = current;
      current = t;
    }
    return previous[b.length()];
  }
}
