package org.explain4j;

import org.tensorflow.ndarray.Shape;

/** Checks a batch against a signature input: TensorFlow itself does not check feeds' shapes. */
final class InputChecks {
  private InputChecks() {}

  static void check(TensorSpec spec, InputBatch in) {
    if (in.dataType() != spec.dataType()) {
      throw new IllegalArgumentException("Input '" + spec.key() + "' expects " + spec.dataType() + ", got " + in.dataType());
    }
    Shape expected = spec.shape();
    Shape got = in.shape();
    if (!expected.isUnknown()) {
      if (expected.numDimensions() != got.numDimensions()) {
        throw new IllegalArgumentException("Input '" + spec.key() + "' expects rank " + expected.numDimensions()
            + " " + expected + ", got rank " + got.numDimensions() + " " + got);
      }
      for (int i = 0; i < expected.numDimensions(); i++) {
        if (expected.get(i) >= 0 && expected.get(i) != got.get(i)) {
          throw new IllegalArgumentException("Input '" + spec.key() + "' expects shape " + expected + ", got " + got
              + " (dimension " + i + " is " + got.get(i) + ", expected " + expected.get(i) + ")");
        }
      }
    }
    if (in.batchSize() == 0) {
      throw new IllegalArgumentException("Input '" + spec.key() + "' is an empty batch " + got + ": expected at least one item");
    }
    long bad = in.firstNonFinite();
    if (bad >= 0) {
      throw new IllegalArgumentException("Input '" + spec.key() + "' item " + bad / in.itemSize()
          + " holds a NaN or infinite value (flat index " + bad + "): expected finite numbers");
    }
  }
}
