package org.explain4j.spark;

import java.util.Arrays;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructType;
import org.explain4j.exceptions.InvalidInputException;

/** What an input column holds, told from its Spark type. */
enum InputKind {
  /** Spark's {@code image} source struct: origin, height, width, nChannels, mode, data (BGR bytes). */
  IMAGE,
  /** Encoded image bytes: a {@code binaryFile} source's {@code content}. */
  ENCODED,
  /** {@code array<float>} or {@code array<double>}: one item's values, shaped by the shape parameter. */
  TENSOR,
  /** {@code array<int>} or {@code array<bigint>}: one sequence of token ids. */
  TOKENS,
  /** {@code string}: the path or URI of an image file, read where the row is explained (Hadoop's FileSystem). */
  PATH;

  static InputKind of(String column, DataType type) {
    if (type instanceof StructType s && Arrays.asList(s.fieldNames()).containsAll(java.util.List.of("data", "nChannels", "height", "width"))) {
      return IMAGE;
    }
    if (type instanceof BinaryType) {
      return ENCODED;
    }
    if (type instanceof StringType) {
      return PATH;
    }
    if (type instanceof ArrayType a) {
      DataType e = a.elementType();
      if (e.equals(DataTypes.FloatType) || e.equals(DataTypes.DoubleType)) {
        return TENSOR;
      }
      if (e.equals(DataTypes.IntegerType) || e.equals(DataTypes.LongType)) {
        return TOKENS;
      }
    }
    throw new InvalidInputException("Column '" + column + "' is " + type.simpleString() + "; expected Spark's image struct,"
        + " binary (a binaryFile source's content), string (an image file's path or URI), array<float>/array<double> (a tensor, with the shape parameter)"
        + " or array<int>/array<bigint> (token ids)");
  }
}
