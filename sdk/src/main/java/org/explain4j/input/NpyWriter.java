package org.explain4j.input;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Writes float32 and int32 arrays as NumPy {@code .npy} files (version 1.0, little-endian, C order). */
public final class NpyWriter {
  private NpyWriter() {}

  /** The bytes of a {@code .npy} file holding {@code values} with {@code shape}. */
  public static byte[] floats(float[] values, long... shape) {
    ByteBuffer out = header("<f4", values.length, shape);
    out.asFloatBuffer().put(values);
    return out.array();
  }

  /** The bytes of a {@code .npy} file holding int32 {@code values} (token ids, say) with {@code shape}. */
  public static byte[] ints(int[] values, long... shape) {
    ByteBuffer out = header("<i4", values.length, shape);
    out.asIntBuffer().put(values);
    return out.array();
  }

  /** A buffer holding the header, positioned at the data. */
  private static ByteBuffer header(String descr, int count, long... shape) {
    if (Arrays.stream(shape).reduce(1, Math::multiplyExact) != count) {
      throw new IllegalArgumentException(count + " values do not fill shape " + Arrays.toString(shape));
    }
    String dims = Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", "));
    String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + dims + (shape.length == 1 ? "," : "") + "), }";
    // Pad so that the data starts on a 64-byte boundary, as NumPy does, ending with a newline.
    int unpadded = 10 + dict.length() + 1;
    int padding = (64 - unpadded % 64) % 64;
    String header = dict + " ".repeat(padding) + "\n";
    ByteBuffer out = ByteBuffer.allocate(10 + header.length() + 4 * count).order(ByteOrder.LITTLE_ENDIAN);
    out.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
    out.putShort((short) header.length());
    out.put(header.getBytes(StandardCharsets.ISO_8859_1));
    return out;
  }

  /** Writes a float32 {@code .npy} file. */
  public static void write(Path file, float[] values, long... shape) throws IOException {
    Files.write(file, floats(values, shape));
  }

  /** Writes an int32 {@code .npy} file. */
  public static void write(Path file, int[] values, long... shape) throws IOException {
    Files.write(file, ints(values, shape));
  }
}
