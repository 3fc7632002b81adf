package org.explain4j.input;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.explain4j.exceptions.NpyFormatException;

/**
 * Reads NumPy {@code .npy} files (format versions 1 to 3) of float32, int32 or int64 values, in
 * C order, little- or big-endian, as an {@link InputBatch}. Every header field is checked against
 * the data: a file whose header lies about its shape or type fails with a message naming the
 * file, what the header says and what the file holds.
 */
public final class NpyReader {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([fiu])(\\d+)'");
  private static final Pattern ORDER = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");
  private static final long MAX_VALUES = Integer.MAX_VALUE - 16;

  private NpyReader() {}

  /** Reads a file. */
  public static InputBatch read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new NpyFormatException(file + ": cannot read (" + e.getMessage() + ")", e);
    }
    return parse(bytes, file.toString());
  }

  /** Parses {@code .npy} bytes; {@code name} appears in error messages. */
  public static InputBatch parse(byte[] bytes, String name) {
    if (bytes.length < 10 || !startsWithMagic(bytes)) {
      throw new NpyFormatException(name + ": not a .npy file (expected the magic bytes \\x93NUMPY, got "
          + Math.min(bytes.length, 6) + " other bytes)", null);
    }
    int major = bytes[6] & 255;
    ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long headerLength;
    int headerStart;
    if (major == 1) {
      headerLength = in.getShort(8) & 0xffff;
      headerStart = 10;
    } else if (major == 2 || major == 3) {
      if (bytes.length < 12) {
        throw new NpyFormatException(name + ": truncated header", null);
      }
      headerLength = in.getInt(8) & 0xffffffffL;
      headerStart = 12;
    } else {
      throw new NpyFormatException(name + ": unsupported .npy format version " + major + " (expected 1, 2 or 3)", null);
    }
    if (headerStart + headerLength > bytes.length) {
      throw new NpyFormatException(name + ": the header claims " + headerLength + " bytes but the file has "
          + (bytes.length - headerStart) + " after the preamble", null);
    }
    String header = new String(bytes, headerStart, (int) headerLength, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    Matcher descr = DESCR.matcher(header);
    Matcher order = ORDER.matcher(header);
    Matcher shapeMatch = SHAPE.matcher(header);
    if (!descr.find() || !order.find() || !shapeMatch.find()) {
      throw new NpyFormatException(name + ": malformed header (expected 'descr', 'fortran_order' and 'shape'): " + header.strip(), null);
    }
    if (order.group(1).equals("True")) {
      throw new NpyFormatException(name + ": Fortran-ordered arrays are not supported (expected fortran_order False)", null);
    }
    String kind = descr.group(2) + descr.group(3);
    int itemSize;
    switch (kind) {
      case "f4", "i4" -> itemSize = 4;
      case "i8" -> itemSize = 8;
      default -> throw new NpyFormatException(name + ": dtype '" + descr.group(1) + kind
          + "' is not supported (expected float32 '<f4', int32 '<i4' or int64 '<i8')", null);
    }
    long[] shape = parseShape(shapeMatch.group(1), name);
    long count = 1;
    for (long d : shape) {
      // Checked before multiplying: a dimension near Long.MAX_VALUE must not overflow the count.
      if (d != 0 && count > MAX_VALUES / d) {
        throw new NpyFormatException(name + ": the shape " + java.util.Arrays.toString(shape) + " is too large", null);
      }
      count *= d;
      if (count > MAX_VALUES) {
        throw new NpyFormatException(name + ": the shape " + java.util.Arrays.toString(shape) + " is too large", null);
      }
    }
    long dataStart = headerStart + headerLength;
    long expected = count * itemSize;
    long actual = bytes.length - dataStart;
    if (expected != actual) {
      throw new NpyFormatException(name + ": the header says shape " + java.util.Arrays.toString(shape) + " of " + kind
          + " (" + expected + " bytes of data), but the file holds " + actual + " bytes", null);
    }
    ByteBuffer data = ByteBuffer.wrap(bytes, (int) dataStart, (int) actual)
        .order(descr.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN).slice()
        .order(descr.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    int n = (int) count;
    return switch (kind) {
      case "f4" -> {
        float[] v = new float[n];
        data.asFloatBuffer().get(v);
        yield InputBatch.ofFloats(v, shape);
      }
      case "i4" -> {
        int[] v = new int[n];
        data.asIntBuffer().get(v);
        yield InputBatch.ofInts(v, shape);
      }
      default -> {
        long[] v = new long[n];
        data.asLongBuffer().get(v);
        yield InputBatch.ofLongs(v, shape);
      }
    };
  }

  private static long[] parseShape(String text, String name) {
    List<Long> dims = new ArrayList<>();
    for (String part : text.split(",")) {
      String p = part.strip();
      if (p.isEmpty()) {
        continue;
      }
      try {
        long d = Long.parseLong(p.endsWith("L") ? p.substring(0, p.length() - 1) : p);
        if (d < 0) {
          throw new NumberFormatException("negative");
        }
        dims.add(d);
      } catch (NumberFormatException e) {
        throw new NpyFormatException(name + ": shape entry '" + p + "' is not a non-negative integer", e);
      }
    }
    if (dims.isEmpty()) {
      throw new NpyFormatException(name + ": a scalar array has no batch dimension (expected a shape with at least one entry)", null);
    }
    return dims.stream().mapToLong(Long::longValue).toArray();
  }

  private static boolean startsWithMagic(byte[] bytes) {
    for (int i = 0; i < MAGIC.length; i++) {
      if (bytes[i] != MAGIC[i]) {
        return false;
      }
    }
    return true;
  }
}
