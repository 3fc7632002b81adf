package org.explain4j.input;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.DataType;
import org.explain4j.exceptions.NpyFormatException;

class NpyReaderTest {
  @TempDir Path tmp;

  /** A .npy file written byte by byte from the format's specification, independently of NpyWriter. */
  private static byte[] npy(int major, String descr, String shape, byte[] data) {
    String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
    int preamble = major == 1 ? 10 : 12;
    int total = preamble + dict.length() + 1;
    String header = dict + " ".repeat((64 - total % 64) % 64) + "\n";
    ByteBuffer b = ByteBuffer.allocate(preamble + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
    if (major == 1) {
      b.putShort((short) header.length());
    } else {
      b.putInt(header.length());
    }
    b.put(header.getBytes(StandardCharsets.ISO_8859_1)).put(data);
    return b.array();
  }

  private static byte[] floats(ByteOrder order, float... values) {
    ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(order);
    for (float v : values) {
      b.putFloat(v);
    }
    return b.array();
  }

  @Test
  void readsFloatsIntsAndLongsInBothByteOrdersAndVersions() throws Exception {
    InputBatch f = NpyReader.parse(npy(1, "<f4", "(2, 3)", floats(ByteOrder.LITTLE_ENDIAN, 1, 2, 3, 4, 5, 6.5f)), "f");
    assertEquals("[2, 3]", f.shape().toString());
    assertEquals(DataType.DT_FLOAT, f.dataType());
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6.5f}, f.toFloats());
    InputBatch big = NpyReader.parse(npy(2, ">f4", "(1, 2)", floats(ByteOrder.BIG_ENDIAN, -1.5f, 7)), "big");
    assertEquals("[1, 2]", big.shape().toString());
    assertArrayEquals(new float[] {-1.5f, 7}, big.toFloats(), "big-endian values are swapped");
    ByteBuffer ints = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(3).putInt(-4);
    InputBatch i = NpyReader.parse(npy(3, "<i4", "(2,)", ints.array()), "i");
    assertEquals(DataType.DT_INT32, i.dataType());
    assertArrayEquals(new float[] {3, -4}, i.toFloats());
    ByteBuffer longs = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40).putLong(2);
    InputBatch l = NpyReader.parse(npy(1, "<i8", "(1, 2)", longs.array()), "l");
    assertEquals(DataType.DT_INT64, l.dataType());
    assertArrayEquals(new float[] {1L << 40, 2}, l.toFloats(), "2^40 is exact in a float");
    // The writer's files read back to the same values.
    Path file = tmp.resolve("x.npy");
    NpyWriter.write(file, new float[] {0.25f, -2f, 3f, 4f}, 2, 2);
    InputBatch back = NpyReader.read(file);
    assertArrayEquals(new float[] {0.25f, -2f, 3f, 4f}, back.toFloats());
    assertEquals("[2, 2]", back.shape().toString());
    assertArrayEquals(npy(1, "<f4", "(2, 2)", floats(ByteOrder.LITTLE_ENDIAN, 0.25f, -2f, 3f, 4f)),
        NpyWriter.floats(new float[] {0.25f, -2f, 3f, 4f}, 2, 2), "the writer writes the specification's bytes");
    ByteBuffer idBytes = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putInt(7).putInt(-1).putInt(1 << 20);
    assertArrayEquals(npy(1, "<i4", "(1, 3)", idBytes.array()), NpyWriter.ints(new int[] {7, -1, 1 << 20}, 1, 3),
        "int32 files too");
    Path ids = tmp.resolve("ids.npy");
    NpyWriter.write(ids, new int[] {7, -1, 1 << 20}, 3);
    InputBatch idsBack = NpyReader.read(ids);
    assertEquals(DataType.DT_INT32, idsBack.dataType());
    assertArrayEquals(new float[] {7, -1, 1 << 20}, idsBack.toFloats());
    assertThrows(IllegalArgumentException.class, () -> NpyWriter.ints(new int[3], 2, 2));
  }

  @Test
  void lyingOrUnsupportedHeadersAreRefusedWithTheReason() {
    byte[] six = floats(ByteOrder.LITTLE_ENDIAN, 1, 2, 3, 4, 5, 6);
    assertMessage(npy(1, "<f4", "(2, 4)", six), "says shape [2, 4]", "holds 24 bytes");
    assertMessage(npy(1, "<f8", "(2, 3)", six), "dtype '<f8' is not supported");
    assertMessage(npy(1, "<f4", "()", six), "scalar");
    assertMessage(npy(1, "<f4", "(2, -3)", six), "not a non-negative integer");
    assertMessage(npy(7, "<f4", "(2, 3)", six), "version 7");
    assertMessage("hello, world!".getBytes(StandardCharsets.US_ASCII), "not a .npy file");
    byte[] fortran = npy(1, "<f4", "(2, 3)", six);
    String text = new String(fortran, StandardCharsets.ISO_8859_1).replace("False", "True ");
    assertMessage(text.getBytes(StandardCharsets.ISO_8859_1), "Fortran");
    byte[] truncated = java.util.Arrays.copyOf(npy(1, "<f4", "(2, 3)", six), 30);
    assertMessage(truncated, "the header claims");
    // A shape whose count overflows a long is too large, not an arithmetic error.
    assertMessage(npy(1, "<f4", "(2, 9223372036854775807)", six), "is too large");
    assertMessage(npy(1, "<f4", "(4294967296, 4294967296)", six), "is too large");
  }

  private static void assertMessage(byte[] bytes, String... fragments) {
    NpyFormatException e = assertThrows(NpyFormatException.class, () -> NpyReader.parse(bytes, "case.npy"));
    assertTrue(e.getMessage().startsWith("case.npy"), e.getMessage());
    for (String fragment : fragments) {
      assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }
  }
}
