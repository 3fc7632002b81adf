package org.explain4j.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.explain4j.HeatMap;
import org.explain4j.Provenance;
import org.explain4j.exceptions.ExplainException;
import org.explain4j.exceptions.ImageFormatException;
import org.explain4j.exceptions.ImageTooLargeException;
import org.explain4j.exceptions.InvalidInputException;
import org.explain4j.TargetExplanation;

/**
 * The explanation column: {@code struct<targets: array<struct<target, label, score, probability,
 * layerMap, heatMap, png>>, error: string, errorKind: string, provenance: struct<...>>}. A row that
 * could not be explained has no targets, an error and its kind; maps are
 * {@code struct<shape: array<int>, values: array<float>>}.
 */
final class OutputSchema {
  static final StructType MAP = new StructType()
      .add("shape", DataTypes.createArrayType(DataTypes.IntegerType, false), false)
      .add("values", DataTypes.createArrayType(DataTypes.FloatType, false), false);
  static final StructType TARGET = new StructType()
      .add("target", DataTypes.IntegerType, false)
      .add("label", DataTypes.StringType, true)
      .add("score", DataTypes.FloatType, false)
      .add("probability", DataTypes.DoubleType, true)
      .add("layerMap", MAP, false)
      .add("heatMap", MAP, true)
      .add("png", DataTypes.BinaryType, true);
  static final StructType PROVENANCE = new StructType()
      .add("model", DataTypes.StringType, false)
      .add("signature", DataTypes.StringType, true)
      .add("layer", DataTypes.StringType, true)
      .add("method", DataTypes.StringType, true)
      .add("score", DataTypes.StringType, true)
      .add("engine", DataTypes.StringType, true)
      .add("devices", DataTypes.StringType, true)
      .add("explain4jVersion", DataTypes.StringType, true)
      .add("tensorFlowVersion", DataTypes.StringType, true);
  static final StructType EXPLANATION = new StructType()
      .add("targets", DataTypes.createArrayType(TARGET, false), false)
      .add("error", DataTypes.StringType, true)
      .add("errorKind", DataTypes.StringType, true)
      .add("provenance", PROVENANCE, false);

  private OutputSchema() {}

  /** The input schema with the explanation column appended. */
  static StructType withOutput(StructType input, String column) {
    if (List.of(input.fieldNames()).contains(column)) {
      throw new IllegalArgumentException("The output column '" + column + "' already exists in " + input.simpleString());
    }
    List<StructField> fields = new ArrayList<>(List.of(input.fields()));
    fields.add(DataTypes.createStructField(column, EXPLANATION, false));
    return DataTypes.createStructType(fields);
  }

  static Row explained(List<TargetExplanation> targets, boolean heatMap, List<byte[]> pngs, Row provenance) {
    Row[] rows = new Row[targets.size()];
    for (int i = 0; i < targets.size(); i++) {
      TargetExplanation t = targets.get(i);
      rows[i] = (RowFactory.create(t.target(), t.label().orElse(null), t.score(),
          t.probability().isPresent() ? t.probability().getAsDouble() : null, map(t.layerMap()),
          heatMap ? map(t.heatMap()) : null, pngs == null ? null : pngs.get(i)));
    }
    // Spark's row encoder takes arrays (or Scala sequences) for array columns, not java.util.List.
    return RowFactory.create(rows, null, null, provenance);
  }

  static Row failed(String error, String kind, Row provenance) {
    return RowFactory.create(new Row[0], error, kind, provenance);
  }

  /**
   * How a row was made: the model as the job named it, and the signature, layer, methods, score,
   * engine (the one that ran, for an explained row) and versions; {@code devices} are the GPU
   * addresses Spark gave the task (null when none).
   */
  static Row provenance(String model, Provenance p, String devices) {
    return RowFactory.create(model, p.signature(), p.layer(), p.method(), p.score() == null ? null : p.score().name(), p.engine(),
        devices, p.libraryVersion(), p.tensorFlowVersion());
  }

  /** What a failed row's {@code errorKind} says: a few fixed words, to count and filter by. */
  static String errorKind(RuntimeException e) {
    if (e instanceof FileBytes.EmptyFileException) {
      return "empty file";
    } else if (e instanceof FileBytes.UnreadableFileException) {
      return "unreadable file";
    } else if (e instanceof ImageTooLargeException) {
      return "image too large";
    } else if (e instanceof ImageFormatException) {
      return "not a decodable image";
    } else if (e instanceof InvalidInputException) {
      return "invalid input";
    } else if (e instanceof ExplainException) {
      return "explanation failed";
    }
    return "internal error";
  }

  private static Row map(HeatMap m) {
    return RowFactory.create(new int[] {m.height(), m.width()}, m.values());
  }
}
