package org.explain4j.input;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Writes float32 arrays as NumPy {@code .npy} files (version 1.0, little-endian, C order). */
public final class NpyWriter {
  private NpyWriter() {}

  /** The bytes of a {@code .npy} file holding {@code values} with {@code shape}. */
  public static byte[] floats(float[] values, long... shape) {
    String dims = Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", "));
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + (shape.length == 1 ? "," : "") + "), }";
    // Pad so that the data starts on a 64-byte boundary, as NumPy does, ending with a newline.
    int unpadded = 10 + dict.length() + 1;
    int padding = (64 - unpadded % 64) % 64;
    String header = dict + " ".repeat(padding) + "\n";
    ByteBuffer out = ByteBuffer.allocate(10 + header.length() + 4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    out.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
    out.putShort((short) header.length());
    out.put(header.getBytes(StandardCharsets.ISO_8859_1));
    out.asFloatBuffer().put(values);
    return out.array();
  }

  /** Writes a {@code .npy} file. */
  public static void write(Path file, float[] values, long... shape) throws IOException {
    Files.write(file, floats(values, shape));
  }
}
