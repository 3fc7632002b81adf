package org.explain4j.internal.explain;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.explain4j.exceptions.InvalidInputException;
import org.explain4j.input.InputBatch;
import org.explain4j.model.TensorSpec;

/**
 * Runs a model whose signature fixes the batch size (frozen graphs and single-image serving
 * signatures often declare {@code [1, H, W, 3]}) in runs of exactly that size: a batch is cut
 * into runs, the last one is padded with copies of its last item, and the padding's results are
 * dropped. Every other model runs its batch as given.
 */
public final class FixedBatchRuns {
  private FixedBatchRuns() {}

  /** The batch size every input's signature fixes (its first dimension), or 0 when one is free or they differ. */
  public static int of(List<TensorSpec> inputs) {
    int fixed = 0;
    for (TensorSpec spec : inputs) {
      long first = spec.shape().isUnknown() || spec.shape().numDimensions() == 0 ? -1 : spec.shape().get(0);
      if (first <= 0 || fixed != 0 && first != fixed) {
        return 0;
      }
      fixed = (int) first;
    }
    return fixed;
  }

  /** The items the inputs share, or an exception naming the two that disagree. */
  public static int batchOf(Map<String, InputBatch> inputs) {
    int batch = -1;
    for (Map.Entry<String, InputBatch> e : inputs.entrySet()) {
      if (batch >= 0 && e.getValue().batchSize() != batch) {
        throw new InvalidInputException("Inputs disagree on the batch size: " + batch + " and " + e.getValue().batchSize()
            + " (input '" + e.getKey() + "')");
      }
      batch = e.getValue().batchSize();
    }
    return batch;
  }

  /** Whether a batch of {@code batch} items must be cut or padded for a model that fixes {@code fixed}. */
  public static boolean needed(int fixed, int batch) {
    return fixed > 0 && batch > 0 && batch != fixed;
  }

  /** Predicts in runs of {@code fixed} items: the outputs in input order. */
  public static float[] predict(Map<String, InputBatch> inputs, int fixed, Function<Map<String, InputBatch>, float[]> run) {
    int batch = batchOf(inputs);
    return joinRuns(batch, fixed, from -> run.apply(slice(inputs, from, Math.min(batch, from + fixed), fixed)));
  }

  /**
   * The results of runs of {@code fixed} items over a batch of {@code batch}, in input order:
   * {@code run} takes a run's first item and returns the same number of values for each of its
   * {@code fixed} items; the padding's values are dropped.
   */
  public static float[] joinRuns(int batch, int fixed, IntFunction<float[]> run) {
    float[] out = null;
    for (int from = 0; from < batch; from += fixed) {
      float[] values = run.apply(from);
      int perItem = values.length / fixed;
      if (out == null) {
        out = new float[batch * perItem];
      }
      System.arraycopy(values, 0, out, from * perItem, (Math.min(batch, from + fixed) - from) * perItem);
    }
    return out;
  }

  /** Items {@code from..to} of every input, padded to {@code size} items with copies of the last. */
  public static Map<String, InputBatch> slice(Map<String, InputBatch> inputs, int from, int to, int size) {
    Map<String, InputBatch> out = new LinkedHashMap<>();
    inputs.forEach((key, batch) -> out.put(key, slice(batch, from, to, size)));
    return out;
  }

  public static InputBatch slice(InputBatch batch, int from, int to, int size) {
    if (from == 0 && to == batch.batchSize() && to == size) {
      return batch;
    }
    InputBatch part = batch.items(from, to);
    if (to - from == size) {
      return part;
    }
    List<InputBatch> padded = new ArrayList<>(List.of(part));
    padded.addAll(Collections.nCopies(size - (to - from), batch.item(to - 1)));
    return InputBatch.concat(padded);
  }
}
