package org.explain4j.examples;

import org.explain4j.HeatMap;

/** Renders a heat map in the terminal with one character per cell group, darker to brighter. */
final class AsciiHeatMap {
  private static final String SHADES = " .:-=+*#%@";

  private AsciiHeatMap() {}

  /** One line per {@code step} rows, one character per {@code step} columns (the group's mean). */
  static String render(HeatMap map, int step) {
    StringBuilder sb = new StringBuilder();
    for (int y = 0; y < map.height(); y += step) {
      for (int x = 0; x < map.width(); x += step) {
        double sum = 0;
        int n = 0;
        for (int dy = 0; dy < step && y + dy < map.height(); dy++) {
          for (int dx = 0; dx < step && x + dx < map.width(); dx++) {
            sum += map.get(y + dy, x + dx);
            n++;
          }
        }
        double v = Math.max(0, Math.min(1, sum / n));
        sb.append(SHADES.charAt((int) Math.round(v * (SHADES.length() - 1))));
      }
      sb.append('\n');
    }
    return sb.toString();
  }
}
