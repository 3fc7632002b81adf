package org.explain4j.render.raw;

import java.util.Locale;
import org.explain4j.Explanation;
import org.explain4j.HeatMap;
import org.explain4j.TargetExplanation;

/** Renders an {@link Explanation} as a plain-text table, one row per item and target. */
public final class TextTable {
  private TextTable() {}

  /** The table, headed by the layer, method and engine. */
  public static String render(Explanation e) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "layer %s, method %s%s, engine %s, signature %s%n", e.layer(), e.method(),
        e.provenance().counterfactual() ? " (counterfactual)" : "", e.engine(), e.signature()));
    String format = "%-5s %-7s %-20s %12s %12s %-9s %-14s %-22s %s%n";
    sb.append(String.format(Locale.ROOT, format, "item", "target", "label", "score", "probability", "map", "peak (row,col)", "method", "flags"));
    for (TargetExplanation t : e.targets()) {
      HeatMap map = t.layerMap();
      int peak = t.heatMap().argMax();
      sb.append(String.format(Locale.ROOT, format, t.item(), t.target(), abbreviate(t.label().orElse("-"), 20),
          String.format(Locale.ROOT, "%.5g", t.score()),
          t.probability().isPresent() ? String.format(Locale.ROOT, "%.5f", t.probability().getAsDouble()) : "-",
          map.height() + "x" + map.width(),
          "(" + peak / t.heatMap().width() + "," + peak % t.heatMap().width() + ")",
          abbreviate(t.method(), 22), t.allZero() ? "all-zero" : ""));
    }
    return sb.toString();
  }

  private static String abbreviate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "~";
  }
}
