package org.explain4j.metric;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.explain4j.HeatMap;
import org.explain4j.exceptions.InvalidInputException;

/**
 * Where the evidence for a class is known to lie, for the pointing game (Zhang et al. 2016): boxes
 * on an image's map, or keyword positions in a token sequence. Regions belong to an item (its
 * position in the evaluated batch) and to one class or to {@link #ANY_CLASS}.
 *
 * <p>Coordinates are those of the map, which for the metrics is the model's input, or those of an
 * image of a given size, scaled to the map when played: a box spans {@code [x0, x1) x [y0, y1)}
 * with pixel {@code (x, y)} covering {@code [x, x+1) x [y, y+1)}, so integer boxes hold whole
 * pixels and scaled boxes may hold parts. Token position {@code p} is the box
 * {@code [p, p+1) x [0, 1)} of a sequence's one-row map.
 *
 * <pre>{@code
 * Regions regions = Regions.builder()
 *     .addBox(0, 208, 40, 12, 170, 190)   // item 0, class 208: x0, y0, x1, y1
 *     .addPosition(1, Regions.ANY_CLASS, 7)
 *     .build();
 * }</pre>
 */
public final class Regions {
  /** The class of regions that hold for every explained class of their item. */
  public static final int ANY_CLASS = -1;

  /** A box in map coordinates; empty boxes are refused. */
  public record Box(double x0, double y0, double x1, double y1) {
    public Box {
      if (!(x0 < x1 && y0 < y1) || !Double.isFinite(x0 + y0 + x1 + y1)) {
        throw new InvalidInputException("A box needs x0 < x1 and y0 < y1, finite, got (" + x0 + ", " + y0 + ", " + x1 + ", " + y1 + ")");
      }
    }

    /** The distance from point (x, y) to the box; 0 inside it. */
    double distance(double x, double y) {
      double dx = Math.max(0, Math.max(x0 - x, x - x1));
      double dy = Math.max(0, Math.max(y0 - y, y - y1));
      return Math.hypot(dx, dy);
    }
  }

  private record Key(int item, int target) {}

  /** A box in the coordinates of an image {@code width x height}, or of the map when they are 0. */
  private record Placed(Box box, double width, double height) {
    Box onMap(HeatMap map) {
      if (width == 0) {
        return box;
      }
      double sx = map.width() / width;
      double sy = map.height() / height;
      return new Box(box.x0() * sx, box.y0() * sy, box.x1() * sx, box.y1() * sy);
    }
  }

  private final Map<Key, List<Placed>> boxes;
  private final boolean tokens;

  private Regions(Map<Key, List<Placed>> boxes, boolean tokens) {
    this.boxes = boxes;
    this.tokens = tokens;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Whether any region holds for {@code target} on {@code item}. */
  public boolean covers(int item, int target) {
    return boxes.containsKey(new Key(item, target)) || boxes.containsKey(new Key(item, ANY_CLASS));
  }

  /** Whether the regions are token positions (else image boxes). */
  public boolean tokens() {
    return tokens;
  }

  /** The items and classes that have regions, for messages: {@code "0:208, 1:any"}. */
  public String describe() {
    List<String> keys = new ArrayList<>();
    for (Key k : boxes.keySet()) {
      keys.add(k.item() + ":" + (k.target() == ANY_CLASS ? "any" : Integer.toString(k.target())));
    }
    return keys.size() <= 8 ? String.join(", ", keys) : String.join(", ", keys.subList(0, 8)) + ", ... (" + keys.size() + " in all)";
  }

  /**
   * The pointing game's verdict on one map: whether the centre of its peak cell lies within
   * {@code tolerance} (in map cells) of a region of the item's target. A flat map has no peak and
   * misses.
   *
   * @throws InvalidInputException when the item has no region for the target, or the regions are
   *     token positions and the map is not one row
   */
  public boolean hit(int item, int target, HeatMap map, double tolerance) {
    if (!covers(item, target)) {
      throw new InvalidInputException("No region for item " + item + ", class " + target + "; regions exist for " + describe());
    }
    if (tokens && map.height() != 1) {
      throw new InvalidInputException("Keyword positions need a token map (one row), got a " + map.height() + "x" + map.width() + " map");
    }
    if (map.max() == map.min()) {
      return false;
    }
    int peak = map.argMax();
    double x = peak % map.width() + 0.5;
    double y = peak / map.width() + 0.5;
    List<Placed> all = new ArrayList<>(boxes.getOrDefault(new Key(item, target), List.of()));
    all.addAll(boxes.getOrDefault(new Key(item, ANY_CLASS), List.of()));
    return all.stream().anyMatch(b -> b.onMap(map).distance(x, y) <= tolerance);
  }

  /**
   * The default tolerance on a map whose longer side is {@code side}: Zhang et al.'s 15 pixels on
   * 224-pixel images, scaled to the map, for boxes; 0 for token positions (the peak must be a keyword).
   */
  public double defaultTolerance(int side) {
    return tokens ? 0 : 15.0 * side / 224;
  }

  /** Collects regions; boxes and token positions do not mix. */
  public static final class Builder {
    private final Map<Key, List<Placed>> boxes = new LinkedHashMap<>();
    private final TreeSet<String> kinds = new TreeSet<>();

    /** A box {@code [x0, x1) x [y0, y1)} on {@code item}'s map for {@code target} (or {@link #ANY_CLASS}). */
    public Builder addBox(int item, int target, double x0, double y0, double x1, double y1) {
      return add(item, target, new Placed(new Box(x0, y0, x1, y1), 0, 0), "boxes");
    }

    /**
     * A box given in the pixels of an image {@code width x height} (the photo as annotated), scaled
     * to the map it is played on.
     */
    public Builder addBox(int item, int target, double x0, double y0, double x1, double y1, double width, double height) {
      if (!(width > 0 && height > 0) || !Double.isFinite(width + height)) {
        throw new InvalidInputException("The annotated image's size must be positive, got " + width + "x" + height);
      }
      return add(item, target, new Placed(new Box(x0, y0, x1, y1), width, height), "boxes");
    }

    /** A keyword at token {@code position} of {@code item} for {@code target} (or {@link #ANY_CLASS}). */
    public Builder addPosition(int item, int target, int position) {
      if (position < 0) {
        throw new InvalidInputException("A token position is 0 or more, got " + position);
      }
      return add(item, target, new Placed(new Box(position, 0, position + 1, 1), 0, 0), "positions");
    }

    private Builder add(int item, int target, Placed box, String kind) {
      if (item < 0 || target < ANY_CLASS) {
        throw new InvalidInputException("A region needs an item of 0 or more and a class of 0 or more (or ANY_CLASS), got item "
            + item + ", class " + target);
      }
      kinds.add(kind);
      if (kinds.size() > 1) {
        throw new InvalidInputException("Regions are either image boxes or token positions, not both");
      }
      boxes.computeIfAbsent(new Key(item, target), k -> new ArrayList<>()).add(box);
      return this;
    }

    public Regions build() {
      if (boxes.isEmpty()) {
        throw new InvalidInputException("No regions: add at least one box or token position");
      }
      Map<Key, List<Placed>> copy = new LinkedHashMap<>();
      boxes.forEach((k, v) -> copy.put(k, List.copyOf(v)));
      return new Regions(copy, kinds.contains("positions"));
    }
  }
}
