package org.explain4j;

import org.explain4j.input.InputBatch;
import org.explain4j.testkit.TestModels;

/** Inputs for the test models, as batches. */
public final class TestInputs {
  private TestInputs() {}

  /** A batch of random images for {@link TestModels#cnn}. */
  public static InputBatch images(int batch, long seed) {
    return InputBatch.ofFloats(TestModels.imageValues(batch, seed), batch, TestModels.H, TestModels.W, 3);
  }
}
