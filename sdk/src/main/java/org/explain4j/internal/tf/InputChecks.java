package org.explain4j.internal.tf;

import java.util.List;
import java.util.Map;
import org.explain4j.exceptions.InvalidInputException;
import org.tensorflow.ndarray.Shape;
import org.explain4j.input.InputBatch;
import org.explain4j.model.TensorSpec;

/** Checks a batch against a signature input: TensorFlow itself does not check feeds' shapes. */
public final class InputChecks {
  private InputChecks() {}

  /** Inputs made ready for a run: in the signature's element types, checked, with their shared batch size. */
  public record Prepared(Map<String, InputBatch> inputs, int batch) {}

  /** {@link #conform} then {@link #validate}: what every run does with the inputs it is given. */
  public static Prepared prepare(List<TensorSpec> specs, Map<String, InputBatch> inputs) {
    return prepare(specs, inputs, false);
  }

  /**
   * As {@link #prepare(List, Map)}; with {@code anyBatch}, a batch size other than the one the
   * signature fixes passes, for callers that cut the batch into runs of that size.
   */
  public static Prepared prepare(List<TensorSpec> specs, Map<String, InputBatch> inputs, boolean anyBatch) {
    Map<String, InputBatch> conformed = conform(specs, inputs);
    return new Prepared(conformed, validate(specs, conformed, anyBatch));
  }

  /**
   * The inputs in the element types the signature declares ({@link InputBatch#as}): float pixels
   * fed to a uint8 input, say. Inputs the signature does not name are left for
   * {@link #validate} to refuse.
   */
  public static Map<String, InputBatch> conform(List<TensorSpec> specs, Map<String, InputBatch> inputs) {
    Map<String, InputBatch> out = new java.util.LinkedHashMap<>(inputs);
    for (TensorSpec spec : specs) {
      InputBatch in = inputs.get(spec.key());
      // What cannot be converted is left as it is, for check() to say what was expected.
      if (in != null && in.dataType() != spec.dataType() && in.canFeedAs(spec.dataType())) {
        out.put(spec.key(), in.as(spec.dataType()));
      }
    }
    return out;
  }

  /** Checks every input against the signature's inputs and returns the batch size they share. */
  public static int validate(List<TensorSpec> specs, Map<String, InputBatch> inputs) {
    return validate(specs, inputs, false);
  }

  private static int validate(List<TensorSpec> specs, Map<String, InputBatch> inputs, boolean anyBatch) {
    for (String key : inputs.keySet()) {
      if (specs.stream().noneMatch(s -> s.key().equals(key))) {
        throw new InvalidInputException("Unknown input '" + key + "'; the signature's inputs are "
            + specs.stream().map(TensorSpec::key).toList());
      }
    }
    int batch = -1;
    for (TensorSpec spec : specs) {
      InputBatch in = inputs.get(spec.key());
      if (in == null) {
        throw new InvalidInputException("Missing input '" + spec.key() + "' (" + spec.dataType() + " " + spec.shape() + ")");
      }
      check(spec, in, anyBatch);
      if (batch >= 0 && in.batchSize() != batch) {
        throw new InvalidInputException("Inputs disagree on the batch size: " + batch + " and " + in.batchSize()
            + " (input '" + spec.key() + "')");
      }
      batch = in.batchSize();
    }
    return batch;
  }

  /** Checks one batch against one signature input. */
  public static void check(TensorSpec spec, InputBatch in) {
    check(spec, in, false);
  }

  private static void check(TensorSpec spec, InputBatch in, boolean anyBatch) {
    if (in.dataType() != spec.dataType()) {
      throw new InvalidInputException("Input '" + spec.key() + "' expects " + spec.dataType() + ", got " + in.dataType());
    }
    Shape expected = spec.shape();
    Shape got = in.shape();
    if (!expected.isUnknown()) {
      if (expected.numDimensions() != got.numDimensions()) {
        throw new InvalidInputException("Input '" + spec.key() + "' expects rank " + expected.numDimensions()
            + " " + expected + ", got rank " + got.numDimensions() + " " + got);
      }
      for (int i = anyBatch ? 1 : 0; i < expected.numDimensions(); i++) {
        if (expected.get(i) >= 0 && expected.get(i) != got.get(i)) {
          throw new InvalidInputException("Input '" + spec.key() + "' expects shape " + expected + ", got " + got
              + " (dimension " + i + " is " + got.get(i) + ", expected " + expected.get(i) + ")");
        }
      }
    }
    if (in.batchSize() == 0) {
      throw new InvalidInputException("Input '" + spec.key() + "' is an empty batch " + got + ": expected at least one item");
    }
    long bad = in.firstNonFinite();
    if (bad >= 0) {
      throw new InvalidInputException("Input '" + spec.key() + "' item " + bad / in.itemSize()
          + " holds a NaN or infinite value (flat index " + bad + "): expected finite numbers");
    }
  }
}
