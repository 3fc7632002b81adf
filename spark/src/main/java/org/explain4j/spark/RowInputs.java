package org.explain4j.spark;

import java.awt.image.BufferedImage;
import java.util.List;
import org.apache.spark.sql.Row;
import org.explain4j.Explainer;
import org.explain4j.exceptions.InvalidInputException;
import org.explain4j.input.ImagePreprocessor;
import org.explain4j.input.Images;
import org.explain4j.input.InputBatch;
import org.tensorflow.proto.DataType;

/** One row's input as a batch of one, checked against the model (and its image, for overlays). */
final class RowInputs {
  /** An item ready to join a batch; {@code image} is null for tensors and token ids. */
  record Item(InputBatch batch, BufferedImage image) {}

  private RowInputs() {}

  static Item item(Row row, int column, InputKind kind, long[] shape, Explainer explainer, ImagePreprocessor images,
      org.apache.hadoop.conf.Configuration files) {
    if (row.isNullAt(column)) {
      throw new InvalidInputException("The input column is null");
    }
    boolean stringInput = explainer.model().inputs().get(0).dataType() == DataType.DT_STRING;
    Item item = switch (kind) {
      case ENCODED -> encoded(row.getAs(column), "the row's bytes", stringInput, images);
      case PATH -> {
        String location = row.getString(column);
        yield encoded(FileBytes.read(location, files), location, stringInput, images);
      }
      case IMAGE -> {
        BufferedImage image = image(row.getStruct(column));
        yield new Item(stringInput ? InputBatch.ofEncoded(List.of(Images.encodePng(image))) : images.toBatch(List.of(image)), image);
      }
      case TENSOR -> new Item(InputBatch.ofFloats(floats(row.getList(column)), withBatch(shape)), null);
      case TOKENS -> {
        List<Number> ids = row.getList(column);
        long[] values = ids.stream().mapToLong(n -> {
          if (n == null) {
            throw new InvalidInputException("A token id is null");
          }
          return n.longValue();
        }).toArray();
        yield new Item(InputBatch.ofLongs(values, 1, values.length), null);
      }
    };
    return new Item(explainer.conform(item.batch()), item.image());
  }

  private static Item encoded(byte[] bytes, String name, boolean stringInput, ImagePreprocessor images) {
    if (bytes.length == 0) {
      throw new FileBytes.EmptyFileException();
    }
    BufferedImage image = Images.decode(bytes, name);
    return new Item(stringInput ? InputBatch.ofEncoded(List.of(bytes)) : images.toBatch(List.of(image)), image);
  }

  private static long[] withBatch(long[] shape) {
    if (shape == null || shape.length == 0) {
      throw new InvalidInputException("A tensor column needs the shape parameter (one item's shape, such as [28, 28, 1])");
    }
    long[] out = new long[shape.length + 1];
    out[0] = 1;
    System.arraycopy(shape, 0, out, 1, shape.length);
    return out;
  }

  private static float[] floats(List<Number> values) {
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      Number v = values.get(i);
      if (v == null) {
        throw new InvalidInputException("Value " + i + " of the tensor is null");
      }
      out[i] = v.floatValue();
    }
    return out;
  }

  /** Spark's image struct (BGR or BGRA bytes, or one gray channel, row by row) as an RGB image. */
  static BufferedImage image(Row s) {
    int height = s.getInt(s.fieldIndex("height"));
    int width = s.getInt(s.fieldIndex("width"));
    int channels = s.getInt(s.fieldIndex("nChannels"));
    byte[] data = s.getAs("data");
    if (height <= 0 || width <= 0 || (channels != 1 && channels != 3 && channels != 4)
        || data == null || data.length != (long) height * width * channels) {
      throw new InvalidInputException("The image struct is not a decoded image: " + width + "x" + height + "x" + channels
          + " with " + (data == null ? "no" : data.length) + " bytes of data (an undecodable file?)");
    }
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0, at = 0; y < height; y++) {
      for (int x = 0; x < width; x++, at += channels) {
        int b = data[at] & 0xff;
        int g = channels == 1 ? b : data[at + 1] & 0xff;
        int r = channels == 1 ? b : data[at + 2] & 0xff;
        out.setRGB(x, y, r << 16 | g << 8 | b);
      }
    }
    return out;
  }
}
