package org.explain4j.internal.tf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/** The zero-copy path: a tensor's native address is found, and the values are there. */
class FloatReadsTest {

  /** A pointer onto memory the test does not own. */
  private static final class At extends FloatPointer {
    At(long address, long size) {
      super((Pointer) null);
      this.address = address;
      this.limit = size;
      this.capacity = size;
    }
  }

  @Test
  void theTensorsAddressHoldsItsValues() {
    float[] values = {1.5f, -2f, 3.25f, 0f, 7f, -0.5f};
    try (TFloat32 t = TFloat32.tensorOf(Shape.of(2, 3), DataBuffers.of(values, true, false))) {
      long address = FloatReads.address(t);
      assertNotEquals(0, address, "the address path is taken on the class path");
      float[] read = new float[values.length];
      new At(address, values.length).get(read);
      assertArrayEquals(values, read);
      assertArrayEquals(values, FloatReads.copy(t));
    }
  }
}
