package org.explain4j.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.explain4j.exceptions.InvalidInputException;
import org.explain4j.input.InputSource;
import org.explain4j.metric.Regions;

/**
 * Reads the pointing game's regions from CSV. Boxes: header {@code item,class,x0,y0,x1,y1}, corners
 * in the pixels of the image file as read (x0, y0 the top-left pixel, x1, y1 one past the
 * bottom-right), scaled to the map when played; for an {@code .npy} input, its own pixels.
 * Keywords: header {@code item,class,position}, one token position per row. An item is a file's
 * name (with or without its extension) or a 0-based position in the input order; a class is an index or
 * {@code *} for any explained class. Blank lines and lines starting with {@code #} are skipped.
 */
final class RegionsFile {
  static final String BOX_HEADER = "item,class,x0,y0,x1,y1";
  static final String KEYWORD_HEADER = "item,class,position";

  private RegionsFile() {}

  /** The regions in {@code file}, for {@code items} in input order. */
  static Regions read(Path file, boolean keywords, List<InputSource.Item> items) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    String header = keywords ? KEYWORD_HEADER : BOX_HEADER;
    Map<String, Integer> byName = new HashMap<>();
    for (int i = 0; i < items.size(); i++) {
      byName.put(items.get(i).name(), i);
    }
    Regions.Builder regions = Regions.builder();
    boolean headerSeen = false;
    for (int n = 0; n < lines.size(); n++) {
      String line = lines.get(n).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String where = file + " line " + (n + 1);
      if (!headerSeen) {
        if (!line.replace(" ", "").equals(header)) {
          throw new InvalidInputException(where + ": expected the header '" + header + "', got '" + line + "'");
        }
        headerSeen = true;
        continue;
      }
      String[] f = line.split(",", -1);
      if (f.length != header.split(",").length) {
        throw new InvalidInputException(where + ": expected " + header.split(",").length + " fields (" + header + "), got " + f.length);
      }
      int item = item(f[0].strip(), byName, items.size(), where);
      int target = f[1].strip().equals("*") ? Regions.ANY_CLASS : integer(f[1], "class", where);
      if (keywords) {
        regions.addPosition(item, target, integer(f[2], "position", where));
        continue;
      }
      java.awt.image.BufferedImage image = items.get(item).image();
      double x0 = number(f[2], where);
      double y0 = number(f[3], where);
      double x1 = number(f[4], where);
      double y1 = number(f[5], where);
      if (image == null) {
        regions.addBox(item, target, x0, y0, x1, y1);
      } else {
        regions.addBox(item, target, x0, y0, x1, y1, image.getWidth(), image.getHeight());
      }
    }
    if (!headerSeen) {
      throw new InvalidInputException(file + ": no regions; expected the header '" + header + "' and a row per region");
    }
    return regions.build();
  }

  private static int item(String field, Map<String, Integer> byName, int count, String where) {
    Integer named = byName.get(field);
    if (named == null && field.lastIndexOf('.') > 0) {
      named = byName.get(field.substring(0, field.lastIndexOf('.')));   // a file name with its extension
    }
    if (named != null) {
      return named;
    }
    try {
      int i = Integer.parseInt(field);
      if (i >= 0 && i < count) {
        return i;
      }
    } catch (NumberFormatException e) {
      // neither a name nor a position: reported below
    }
    List<String> names = byName.keySet().stream().sorted().limit(5).toList();
    throw new InvalidInputException(where + ": no item '" + field + "'; items are positions 0.." + (count - 1)
        + " or names such as " + String.join(", ", names));
  }

  private static int integer(String field, String what, String where) {
    try {
      return Integer.parseInt(field.strip());
    } catch (NumberFormatException e) {
      throw new InvalidInputException(where + ": the " + what + " must be a whole number" + (what.equals("class") ? " or *" : "")
          + ", got '" + field.strip() + "'");
    }
  }

  private static double number(String field, String where) {
    try {
      return Double.parseDouble(field.strip());
    } catch (NumberFormatException e) {
      throw new InvalidInputException(where + ": a box corner must be a number, got '" + field.strip() + "'");
    }
  }
}
