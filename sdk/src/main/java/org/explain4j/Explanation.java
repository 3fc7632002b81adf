package org.explain4j;

import java.util.List;

/**
 * The explanations of one batch: one {@link TargetExplanation} per item and target, ordered by
 * item and then by target rank, with how they were made. Immutable.
 */
public record Explanation(
    String signature, String layer, String method, String engine, int batchSize, List<TargetExplanation> targets,
    Provenance provenance, float[][] outputs) {

  /**
   * @param outputs the model's output for each item, {@code [batchSize][classes]}, as
   *     {@link Explainer#predict} returns it: the explanation's run computes it anyway
   */
  public Explanation {
    targets = List.copyOf(targets);
    if (outputs.length != batchSize) {
      throw new IllegalArgumentException("outputs has " + outputs.length + " rows for a batch of " + batchSize);
    }
    outputs = copy(outputs);
  }

  /** The model's output for each item, {@code [batchSize][classes]} (a copy). */
  @Override
  public float[][] outputs() {
    return copy(outputs);
  }

  /** The model's output for item {@code item} (a copy). */
  public float[] output(int item) {
    return outputs[item].clone();
  }

  private static float[][] copy(float[][] rows) {
    float[][] out = new float[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      out[i] = rows[i].clone();
    }
    return out;
  }

  /** The explanations of item {@code item}, in target order. */
  public List<TargetExplanation> forItem(int item) {
    if (item < 0 || item >= batchSize) {
      throw new IndexOutOfBoundsException("Item " + item + " is outside a batch of " + batchSize);
    }
    return targets.stream().filter(t -> t.item() == item).toList();
  }

  /** Item {@code item} alone, as the explanation of a batch of one (its targets have item 0). */
  public Explanation single(int item) {
    return items(item, item + 1);
  }

  /**
   * Items {@code from} (inclusive) to {@code to} (exclusive) as the explanation of a batch of their
   * own, numbered from 0: how a service hands each request its part of a merged batch.
   */
  public Explanation items(int from, int to) {
    if (from < 0 || to > batchSize || from >= to) {
      throw new IndexOutOfBoundsException("Items " + from + ".." + to + " are not a range of a batch of " + batchSize);
    }
    List<TargetExplanation> part = targets.stream().filter(t -> t.item() >= from && t.item() < to)
        .map(t -> t.withItem(t.item() - from)).toList();
    return new Explanation(signature, layer, method, engine, to - from, part, provenance,
        java.util.Arrays.copyOfRange(outputs, from, to));
  }

  /**
   * One of these targets alone, as the explanation of a batch of one (item 0, with its item's
   * outputs): what a renderer draws for a single map.
   */
  public Explanation alone(TargetExplanation target) {
    if (!targets.contains(target)) {
      throw new IllegalArgumentException("Target " + target.target() + " of item " + target.item() + " is not one of these");
    }
    return new Explanation(signature, layer, method, engine, 1, List.of(target.withItem(0)), provenance,
        new float[][] {outputs[target.item()]});
  }

  /** The first target's explanation of item {@code item}. */
  public TargetExplanation first(int item) {
    return forItem(item).get(0);
  }
}
