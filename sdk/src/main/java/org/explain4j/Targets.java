package org.explain4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.explain4j.exceptions.InvalidInputException;
import org.explain4j.internal.graph.TargetPlan;

/**
 * Which output classes to explain for each item: the predicted one, the top k, fixed classes, or a
 * list per item. Immutable.
 */
public final class Targets {
  private final int topK;
  private final int[] fixed;
  private final List<int[]> perItem;

  private Targets(int topK, int[] fixed, List<int[]> perItem) {
    this.topK = topK;
    this.fixed = fixed;
    this.perItem = perItem;
  }

  /** The class with the highest score, for each item. */
  public static Targets predicted() {
    return topK(1);
  }

  /** The {@code k} classes with the highest scores, best first, for each item. */
  public static Targets topK(int k) {
    if (k < 1) {
      throw new IllegalArgumentException("topK needs k >= 1, got " + k);
    }
    return new Targets(k, null, null);
  }

  /** The same classes for every item. */
  public static Targets of(int... classes) {
    if (classes.length == 0) {
      throw new IllegalArgumentException("Targets.of needs at least one class index");
    }
    return new Targets(0, classes.clone(), null);
  }

  /** One list of classes per item, in batch order. */
  public static Targets perItem(List<int[]> classes) {
    List<int[]> copy = new ArrayList<>();
    for (int[] c : classes) {
      if (c.length == 0) {
        throw new IllegalArgumentException("Every item needs at least one target class; item " + copy.size() + " has none");
      }
      copy.add(c.clone());
    }
    return new Targets(0, null, List.copyOf(copy));
  }

  /** Whether the targets depend on the model's scores. */
  boolean fromPredictions() {
    return topK > 0;
  }

  /** How many targets the item with the most has, for a batch of {@code batch} items. */
  int ranks(int batch) {
    if (topK > 0) {
      return topK;
    }
    if (fixed != null) {
      return fixed.length;
    }
    if (perItem.size() != batch) {
      throw new InvalidInputException("Per-item targets: expected " + batch + " lists (one per item), got " + perItem.size());
    }
    return perItem.stream().mapToInt(c -> c.length).max().orElse(0);
  }

  /**
   * The targets of items {@code from..to} of a batch run on their own, padded to {@code size} items
   * with the last one's: per-item lists are cut, the others hold for any run.
   */
  Targets items(int from, int to, int size) {
    if (perItem == null) {
      return this;
    }
    List<int[]> part = new ArrayList<>(perItem.subList(from, to));
    while (part.size() < size) {
      part.add(perItem.get(to - 1));
    }
    return new Targets(0, null, List.copyOf(part));
  }

  /** For explicit targets, the class for each item at {@code rank}, or -1 where an item has fewer. */
  int[] explicitAt(int rank, int batch) {
    int[] out = new int[batch];
    for (int b = 0; b < batch; b++) {
      int[] c = fixed != null ? fixed : perItem.get(b);
      out[b] = rank < c.length ? c[rank] : -1;
    }
    return out;
  }

  /** Checks every explicit target against the number of classes. */
  void checkRange(int classes, int batch) {
    if (topK > classes) {
      throw new InvalidInputException("topK(" + topK + ") asks for more classes than the model has (" + classes + ")");
    }
    for (int r = 0; topK == 0 && r < ranks(batch); r++) {
      int[] at = explicitAt(r, batch);
      for (int b = 0; b < batch; b++) {
        if (at[b] >= classes || at[b] < -1 || (at[b] == -1 && r == 0)) {
          throw new InvalidInputException("Target class " + at[b] + " for item " + b
              + " is out of range: the model's output has " + classes + " classes (0.." + (classes - 1) + ")");
        }
      }
    }
  }

  /** The plan of session runs for a batch, its targets checked against the number of classes. */
  TargetPlan plan(int classes, int batch) {
    checkRange(classes, batch);
    int ranks = ranks(batch);
    return new TargetPlan() {
      @Override
      public int ranks() {
        return ranks;
      }

      @Override
      public boolean fromPredictions() {
        return Targets.this.fromPredictions();
      }

      @Override
      public int[] explicitAt(int rank) {
        return Targets.this.explicitAt(rank, batch);
      }
    };
  }

  @Override
  public String toString() {
    if (topK > 0) {
      return topK == 1 ? "predicted" : "top" + topK;
    }
    if (fixed != null) {
      return "classes " + Arrays.toString(fixed);
    }
    return "per-item " + perItem.stream().map(Arrays::toString).toList();
  }
}
