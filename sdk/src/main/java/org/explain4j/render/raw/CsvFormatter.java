package org.explain4j.render.raw;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.explain4j.Explanation;
import org.explain4j.HeatMap;
import org.explain4j.TargetExplanation;

/**
 * Writes an {@link Explanation} as CSV in long format: one row per map cell, with the columns
 * {@code item,target,label,score,probability,map,row,col,value,method}; {@code map} is {@code layer} (the
 * map at the layer's resolution) or {@code heat} (the normalised, upsampled map).
 */
public final class CsvFormatter {
  static final String[] HEADER = {"item", "target", "label", "score", "probability", "map", "row", "col", "value", "method"};

  private CsvFormatter() {}

  /** The CSV document as a string. */
  public static String toCsv(Explanation explanation) {
    StringWriter out = new StringWriter();
    try {
      write(explanation, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** Writes the CSV document to {@code out}, which stays open. */
  public static void write(Explanation explanation, Writer out) throws IOException {
    CSVPrinter csv = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setHeader(HEADER).setRecordSeparator('\n').get());
    for (TargetExplanation t : explanation.targets()) {
      writeMap(csv, t, "layer", t.layerMap());
      writeMap(csv, t, "heat", t.heatMap());
    }
    csv.flush();
  }

  private static void writeMap(CSVPrinter csv, TargetExplanation t, String name, HeatMap map) throws IOException {
    String label = t.label().orElse("");
    String probability = t.probability().isPresent() ? Double.toString(t.probability().getAsDouble()) : "";
    float[] values = map.values();
    for (int y = 0; y < map.height(); y++) {
      for (int x = 0; x < map.width(); x++) {
        csv.printRecord(t.item(), t.target(), label, t.score(), probability, name, y, x, values[y * map.width() + x], t.method());
      }
    }
  }
}
