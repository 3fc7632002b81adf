package org.explain4j.input;

import java.util.Arrays;
import java.util.List;
import org.explain4j.exceptions.InvalidInputException;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat16;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TUint8;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;

/**
 * A batch of model inputs held in Java memory: a flat array of values and its shape, the first
 * dimension being the batch. Immutable; a TensorFlow tensor is made from it for each run and
 * closed afterwards.
 */
public final class InputBatch {
  private final DataType dataType;
  private final long[] shape;
  private final float[] floats;
  private final int[] ints;
  private final long[] longs;
  /** Encoded items (image files' bytes) for DT_STRING inputs, else null. */
  private final byte[][] encoded;

  private InputBatch(DataType dataType, long[] shape, float[] floats, int[] ints, long[] longs, int length) {
    if (shape.length == 0) {
      throw new InvalidInputException("An input batch needs at least one dimension (the batch), got a scalar");
    }
    long count = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new InvalidInputException("Input dimensions must be known and non-negative, got " + Arrays.toString(shape));
      }
      count *= d;
    }
    if (count != length) {
      throw new InvalidInputException("Shape " + Arrays.toString(shape) + " holds " + count
          + " values, but " + length + " were given");
    }
    this.dataType = dataType;
    this.shape = shape.clone();
    this.floats = floats;
    this.ints = ints;
    this.longs = longs;
    this.encoded = null;
  }

  private InputBatch(byte[][] encoded) {
    this.dataType = DataType.DT_STRING;
    this.shape = new long[] {encoded.length};
    this.floats = null;
    this.ints = null;
    this.longs = null;
    this.encoded = encoded;
  }

  /**
   * A batch of encoded items for a {@code DT_STRING} input {@code [batch]}: image files' bytes (PNG,
   * JPEG...) for models that decode in the graph, as many serving signatures do. The arrays are copied.
   */
  public static InputBatch ofEncoded(List<byte[]> items) {
    return new InputBatch(items.stream().map(byte[]::clone).toArray(byte[][]::new));
  }

  /** Sentences for a model that takes raw text (a string input it splits and looks up itself), as UTF-8. */
  public static InputBatch ofStrings(List<String> texts) {
    return ofEncoded(texts.stream().map(t -> t.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toList());
  }

  /** The encoded items (copies), or null for a numeric batch. */
  public List<byte[]> encodedItems() {
    return encoded == null ? null : java.util.Arrays.stream(encoded).map(byte[]::clone).toList();
  }

  /** A float32 batch; the array is copied. */
  public static InputBatch ofFloats(float[] values, long... shape) {
    return new InputBatch(DataType.DT_FLOAT, shape, values.clone(), null, null, values.length);
  }

  /** An int32 batch (token ids, for example); the array is copied. */
  public static InputBatch ofInts(int[] values, long... shape) {
    return new InputBatch(DataType.DT_INT32, shape, null, values.clone(), null, values.length);
  }

  /** An int64 batch; the array is copied. */
  public static InputBatch ofLongs(long[] values, long... shape) {
    return new InputBatch(DataType.DT_INT64, shape, null, null, values.clone(), values.length);
  }

  /** A batch of images {@code [batch][height][width][channels]}. */
  public static InputBatch of(float[][][][] images) {
    int b = images.length;
    int h = b == 0 ? 0 : images[0].length;
    int w = h == 0 ? 0 : images[0][0].length;
    int c = w == 0 ? 0 : images[0][0][0].length;
    float[] flat = new float[b * h * w * c];
    int i = 0;
    for (float[][][] image : images) {
      checkLength(image.length, h, "rows");
      for (float[][] row : image) {
        checkLength(row.length, w, "columns");
        for (float[] pixel : row) {
          checkLength(pixel.length, c, "channels");
          System.arraycopy(pixel, 0, flat, i, c);
          i += c;
        }
      }
    }
    return new InputBatch(DataType.DT_FLOAT, new long[] {b, h, w, c}, flat, null, null, flat.length);
  }

  /** A batch of rank-2 items {@code [batch][rows][columns]} (grayscale images, sequences of vectors). */
  public static InputBatch of(float[][][] items) {
    int b = items.length;
    int h = b == 0 ? 0 : items[0].length;
    int w = h == 0 ? 0 : items[0][0].length;
    float[] flat = new float[b * h * w];
    int i = 0;
    for (float[][] item : items) {
      checkLength(item.length, h, "rows");
      for (float[] row : item) {
        checkLength(row.length, w, "columns");
        System.arraycopy(row, 0, flat, i, w);
        i += w;
      }
    }
    return new InputBatch(DataType.DT_FLOAT, new long[] {b, h, w}, flat, null, null, flat.length);
  }

  private static void checkLength(int got, int expected, String what) {
    if (got != expected) {
      throw new InvalidInputException("Ragged input: expected " + expected + " " + what + ", got " + got);
    }
  }

  /** The element type: {@code DT_FLOAT}, {@code DT_INT32} or {@code DT_INT64}, or what {@link #as} made it. */
  public DataType dataType() {
    return dataType;
  }

  /** The shape, batch first. */
  public Shape shape() {
    return Shape.of(shape);
  }

  /**
   * Whether a rank-4 batch holds images channels first: dimension 1 looks like channels (at most 4)
   * and the last does not. Heat-map sizes and overlays read the layout by this one rule.
   */
  public boolean imagesChannelsFirst() {
    ImageLayout layout = ImageLayout.orNull(this);
    return layout != null && layout.channelsFirst();
  }

  /** The number of items. */
  public int batchSize() {
    return (int) shape[0];
  }

  /** The index of the first NaN or infinite value, or -1. Integer batches have none. */
  public long firstNonFinite() {
    if (floats != null) {
      for (int i = 0; i < floats.length; i++) {
        if (!Float.isFinite(floats[i])) {
          return i;
        }
      }
    }
    return -1;
  }

  /** Item {@code item} alone, as a batch of one. */
  public InputBatch item(int item) {
    if (item < 0 || item >= batchSize()) {
      throw new IndexOutOfBoundsException("Item " + item + " is outside a batch of " + batchSize());
    }
    return items(item, item + 1);
  }

  /** Items {@code from} (inclusive) to {@code to} (exclusive) as a batch of their own. */
  public InputBatch items(int from, int to) {
    if (from < 0 || to > batchSize() || from >= to) {
      throw new IndexOutOfBoundsException("Items " + from + ".." + to + " are not a range of a batch of " + batchSize());
    }
    if (encoded != null) {
      return new InputBatch(Arrays.copyOfRange(encoded, from, to));
    }
    int n = (int) itemSize();
    long[] part = shape.clone();
    part[0] = to - from;
    int length = (to - from) * n;
    if (floats != null) {
      return new InputBatch(dataType, part, Arrays.copyOfRange(floats, from * n, to * n), null, null, length);
    }
    if (ints != null) {
      return new InputBatch(dataType, part, null, Arrays.copyOfRange(ints, from * n, to * n), null, length);
    }
    return new InputBatch(dataType, part, null, null, Arrays.copyOfRange(longs, from * n, to * n), length);
  }

  /** The batches' items in one batch; all must share the element type and item shape. */
  public static InputBatch concat(List<InputBatch> batches) {
    if (batches.isEmpty()) {
      throw new InvalidInputException("Nothing to concatenate");
    }
    InputBatch first = batches.get(0);
    if (first.encoded != null) {
      List<byte[]> all = new java.util.ArrayList<>();
      for (InputBatch b : batches) {
        if (b.encoded == null) {
          throw new InvalidInputException("Cannot batch encoded items with " + b.dataType + " " + b.shape() + " items");
        }
        all.addAll(Arrays.asList(b.encoded));
      }
      return new InputBatch(all.toArray(byte[][]::new));
    }
    long[] itemShape = Arrays.copyOfRange(first.shape, 1, first.shape.length);
    int total = 0;
    for (InputBatch b : batches) {
      if (b.dataType != first.dataType || !Arrays.equals(itemShape, Arrays.copyOfRange(b.shape, 1, b.shape.length))) {
        throw new InvalidInputException("Cannot batch items of " + b.dataType + " " + b.shape() + " with items of "
            + first.dataType + " " + first.shape() + ": every item needs the same type and shape");
      }
      total += b.batchSize();
    }
    long[] shape = first.shape.clone();
    shape[0] = total;
    int n = (int) first.itemSize();
    int length = total * n;
    float[] f = first.floats != null ? new float[length] : null;
    int[] i = first.ints != null ? new int[length] : null;
    long[] l = first.longs != null ? new long[length] : null;
    int at = 0;
    for (InputBatch b : batches) {
      int size = b.batchSize() * n;
      if (f != null) {
        System.arraycopy(b.floats, 0, f, at, size);
      } else if (i != null) {
        System.arraycopy(b.ints, 0, i, at, size);
      } else {
        System.arraycopy(b.longs, 0, l, at, size);
      }
      at += size;
    }
    return new InputBatch(first.dataType, shape, f, i, l, length);
  }

  /** A copy of the values as floats (integer values converted). */
  public float[] toFloats() {
    if (encoded != null) {
      throw new InvalidInputException("A batch of encoded items has no numeric values: decode them first");
    }
    if (floats != null) {
      return floats.clone();
    }
    float[] out = new float[ints != null ? ints.length : longs.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = ints != null ? ints[i] : longs[i];
    }
    return out;
  }

  /** The values as strings per item (ids for integer batches), for token displays. */
  public List<String> itemStrings(int item) {
    if (encoded != null) {
      return List.of("<" + encoded[item].length + " bytes>");
    }
    if (shape.length != 2) {
      throw new InvalidInputException("Input of shape " + Arrays.toString(shape)
          + " is not one token per position ([batch, tokens]): pass the tokens to display");
    }
    int n = (int) itemSize();
    java.util.List<String> out = new java.util.ArrayList<>(n);
    for (int i = item * n; i < (item + 1) * n; i++) {
      out.add(floats != null ? Float.toString(floats[i]) : ints != null ? Integer.toString(ints[i]) : Long.toString(longs[i]));
    }
    return out;
  }

  /** Values in one item. */
  public long itemSize() {
    long n = 1;
    for (int i = 1; i < shape.length; i++) {
      n *= shape[i];
    }
    return n;
  }

  /**
   * The same values fed as another element type, as a model's signature declares: float values as
   * uint8 (whole numbers 0..255: raw pixels), float64, float16 or int32 (whole numbers), and
   * integers as int32 or int64. A value the type cannot hold exactly is an error naming it.
   */
  public InputBatch as(DataType type) {
    if (type == dataType) {
      return this;
    }
    if (!canFeedAs(type)) {
      throw new InvalidInputException("Cannot feed " + dataType + " values as " + type);
    }
    int n = floats != null ? floats.length : ints != null ? ints.length : longs.length;
    if (floats != null && (type == DataType.DT_UINT8 || type == DataType.DT_DOUBLE || type == DataType.DT_HALF
        || type == DataType.DT_FLOAT)) {
      if (type == DataType.DT_UINT8) {
        for (int i = 0; i < n; i++) {
          float v = floats[i];
          if (!(v >= 0 && v <= 255 && v == Math.rint(v))) {
            throw new InvalidInputException("The model takes uint8 values (whole numbers 0..255, raw pixels), but value " + i
                + " is " + v + ": feed unscaled pixels (an ImagePreprocessor with scale 1)");
          }
        }
      }
      return new InputBatch(type, shape, floats, null, null, n);
    }
    if (floats != null && type == DataType.DT_INT32) {
      int[] out = new int[n];
      for (int i = 0; i < n; i++) {
        if (floats[i] != Math.rint(floats[i]) || Math.abs(floats[i]) > Integer.MAX_VALUE) {
          throw new InvalidInputException("The model takes int32 values, but value " + i + " is " + floats[i]);
        }
        out[i] = (int) floats[i];
      }
      return new InputBatch(type, shape, null, out, null, n);
    }
    if (ints != null && type == DataType.DT_INT64) {
      return new InputBatch(type, shape, null, null, Arrays.stream(ints).asLongStream().toArray(), n);
    }
    if (longs != null && type == DataType.DT_INT32) {
      int[] out = new int[n];
      for (int i = 0; i < n; i++) {
        if (longs[i] != (int) longs[i]) {
          throw new InvalidInputException("The model takes int32 values, but value " + i + " is " + longs[i]);
        }
        out[i] = (int) longs[i];
      }
      return new InputBatch(type, shape, null, out, null, n);
    }
    throw new InvalidInputException("Cannot feed " + dataType + " values as " + type);
  }

  /** Whether {@link #as} can turn these values into {@code type} (when every value fits). */
  public boolean canFeedAs(DataType type) {
    if (encoded != null) {
      return type == DataType.DT_STRING;
    }
    if (floats != null) {
      return type == DataType.DT_FLOAT || type == DataType.DT_UINT8 || type == DataType.DT_DOUBLE || type == DataType.DT_HALF
          || type == DataType.DT_INT32;
    }
    return type == DataType.DT_INT32 || type == DataType.DT_INT64;
  }

  /** A TensorFlow tensor holding a copy of the values. <b>A new tensor: the caller must close it.</b> */
  public Tensor toTensor() {
    Shape s = Shape.of(shape);
    if (encoded != null) {
      return TString.tensorOfBytes(s, DataBuffers.ofObjects(encoded));
    }
    if (floats != null) {
      return switch (dataType) {
        case DT_UINT8 -> {
          byte[] bytes = new byte[floats.length];
          for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (int) floats[i];
          }
          yield TUint8.tensorOf(s, DataBuffers.of(bytes, true, false));
        }
        case DT_DOUBLE -> {
          double[] doubles = new double[floats.length];
          for (int i = 0; i < doubles.length; i++) {
            doubles[i] = floats[i];
          }
          yield TFloat64.tensorOf(s, DataBuffers.of(doubles, true, false));
        }
        case DT_HALF -> TFloat16.tensorOf(s, DataBuffers.of(floats, true, false));
        default -> TFloat32.tensorOf(s, DataBuffers.of(floats, true, false));
      };
    }
    if (ints != null) {
      return TInt32.tensorOf(s, DataBuffers.of(ints, true, false));
    }
    return TInt64.tensorOf(s, DataBuffers.of(longs, true, false));
  }
}
