package org.explain4j.input;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Ranges of items, checked against values written out by hand. */
class InputBatchTest {
  @Test
  void aRangeOfItemsKeepsTheirValuesAndShape() {
    InputBatch floats = InputBatch.ofFloats(new float[] {0, 1, 2, 3, 4, 5, 6, 7}, 4, 2);
    InputBatch middle = floats.items(1, 3);
    assertEquals("[2, 2]", middle.shape().toString());
    assertArrayEquals(new float[] {2, 3, 4, 5}, middle.toFloats());
    assertArrayEquals(new float[] {6, 7}, floats.item(3).toFloats());
    InputBatch ints = InputBatch.ofInts(new int[] {9, 8, 7}, 3, 1);
    assertArrayEquals(new float[] {8, 7}, ints.items(1, 3).toFloats());
    InputBatch encoded = InputBatch.ofEncoded(List.of(new byte[] {1}, new byte[] {2}, new byte[] {3}));
    assertEquals(2, encoded.items(0, 2).batchSize());
    assertArrayEquals(new byte[] {3}, encoded.items(2, 3).encodedItems().get(0));
    assertThrows(IndexOutOfBoundsException.class, () -> floats.items(2, 5));
    assertThrows(IndexOutOfBoundsException.class, () -> floats.items(2, 2));
    assertThrows(IndexOutOfBoundsException.class, () -> floats.item(-1));
  }
}
