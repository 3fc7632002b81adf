package org.explain4j.internal.graph;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Set;
import org.explain4j.internal.tf.PassThrough;
import org.tensorflow.GraphOperation;
import org.tensorflow.Output;
import org.tensorflow.Session;

/**
 * Whether a model scales its pixels itself: a Keras {@code Rescaling(1/255)} or
 * {@code Normalization}, or a Mul, RealDiv, Sub or Add by constants right after the input (Keras
 * EfficientNet and ConvNeXt have them). Such a model takes raw 0..255 pixels, and scaling them to
 * [0, 1] first would feed it values 255 times too small. Decided from the constants' values, read
 * with one run of the constant operand (no input is fed): a multiplier of at most 1/50, a divisor of
 * at least 50, or an offset whose mean magnitude is at least 10 is pixel-unit arithmetic.
 */
final class InGraphScaling {
  private static final Set<String> ARITHMETIC = Set.of("Mul", "RealDiv", "Div", "TrueDiv", "Sub", "Add", "AddV2");
  private static final Set<String> CASTS = Set.of("Cast");

  private InGraphScaling() {}

  /**
   * A description of the scaling found right after {@code input} ("Mul by 0.00392 at
   * 'rescaling/mul'"), or null when the model takes its pixels as they come.
   */
  static String detect(Session session, Output<?> input) {
    Deque<Output<?>> frontier = new ArrayDeque<>();
    frontier.add(input);
    for (int hops = 0; hops < 8 && !frontier.isEmpty(); hops++) {
      Output<?> t = frontier.poll();
      for (GraphOperation consumer : ((GraphOperation) t.op()).consumers(t.index())) {
        String type = consumer.type();
        if (PassThrough.TYPES.contains(type) || CASTS.contains(type)) {
          frontier.add(consumer.output(0));
          continue;
        }
        if (!ARITHMETIC.contains(type) || consumer.numInputs() != 2) {
          continue;
        }
        int self = consumer.input(0).equals(t) ? 0 : consumer.input(1).equals(t) ? 1 : -1;
        if (self < 0) {
          continue;
        }
        Output<?> other = consumer.input(1 - self);
        if (dependsOnPlaceholders(other)) {
          continue;
        }
        double[] values = other.dataType() == org.tensorflow.proto.DataType.DT_FLOAT ? ConstantValues.read(session, other, 4096) : null;
        if (values == null || values.length == 0) {
          continue;
        }
        String found = judge(type, self, values);
        if (found != null) {
          return found + " at '" + consumer.name() + "'";
        }
      }
    }
    return null;
  }

  /** What the arithmetic does to 0..255 pixels, when it is pixel-unit scaling; else null. */
  private static String judge(String type, int self, double[] values) {
    double maxAbs = 0;
    double meanAbs = 0;
    for (double v : values) {
      maxAbs = Math.max(maxAbs, Math.abs(v));
      meanAbs += Math.abs(v) / values.length;
    }
    String shown = values.length == 1 ? format(values[0]) : "[" + format(values[0]) + ", ...]";
    switch (type) {
      case "Mul" -> {
        return maxAbs > 0 && maxAbs <= 1.0 / 50 ? "Mul by " + shown : null;
      }
      case "RealDiv", "Div", "TrueDiv" -> {
        double minAbs = Double.MAX_VALUE;
        for (double v : values) {
          minAbs = Math.min(minAbs, Math.abs(v));
        }
        return self == 0 && minAbs >= 50 ? "division by " + shown : null;
      }
      default -> {
        return meanAbs >= 10 ? (type.equals("Sub") ? "subtraction of " : "addition of ") + shown : null;
      }
    }
  }

  private static String format(double v) {
    return String.format(Locale.ROOT, "%.6g", v);
  }

  private static boolean dependsOnPlaceholders(Output<?> tensor) {
    for (GraphOperation op : GraphPaths.ancestors((GraphOperation) tensor.op())) {
      if (op.type().equals("Placeholder") || op.type().equals("PlaceholderWithDefault")) {
        return true;
      }
    }
    return false;
  }
}
