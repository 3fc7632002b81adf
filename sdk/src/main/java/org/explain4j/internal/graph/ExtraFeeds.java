package org.explain4j.internal.graph;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.explain4j.exceptions.ExplainException;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Output;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * Values for the placeholders besides the input that a TF1 graph needs in every run ({@code
 * keep_prob}, {@code is_training}), read once as each placeholder's type, fed to every run as
 * scalars (or the placeholder's declared one-element shape).
 */
public final class ExtraFeeds {
  private record Feed(Output<?> placeholder, DataType type, Shape shape, String text) {}

  private final List<Feed> feeds;

  private ExtraFeeds(List<Feed> feeds) {
    this.feeds = feeds;
  }

  /** Checks every name against the graph's placeholders and every value against its type. */
  public static ExtraFeeds of(Graph graph, Map<String, String> values) {
    List<Feed> feeds = new ArrayList<>();
    for (Map.Entry<String, String> e : values.entrySet()) {
      String name = e.getKey().endsWith(":0") ? e.getKey().substring(0, e.getKey().length() - 2) : e.getKey();
      GraphOperation op = graph.operation(name);
      if (op == null || !(op.type().equals("Placeholder") || op.type().equals("PlaceholderWithDefault"))) {
        throw new ExplainException("Cannot feed '" + e.getKey() + "': the graph has no placeholder of that name; its placeholders are "
            + placeholders(graph));
      }
      Output<?> out = op.output(0);
      Shape declared = out.shape();
      Shape shape = declared.isUnknown() || declared.size() != 1 ? Shape.scalar() : declared;
      Feed feed = new Feed(out, out.dataType(), shape, e.getValue().trim());
      try (Tensor probe = tensor(feed)) {
        // read once here, so that a wrong value is refused at load, not in a run
      }
      feeds.add(feed);
    }
    return new ExtraFeeds(List.copyOf(feeds));
  }

  /** Puts one tensor per feed into {@code into}, keyed by tensor name ({@code keep_prob:0}); each also goes to {@code fed}, to be closed. */
  void putInto(Map<String, Tensor> into, List<Tensor> fed) {
    for (Feed f : feeds) {
      Tensor t = tensor(f);
      fed.add(t);
      into.put(f.placeholder().op().name() + ":" + f.placeholder().index(), t);
    }
  }

  private static Tensor tensor(Feed f) {
    String v = f.text();
    try {
      return switch (f.type()) {
        case DT_FLOAT -> TFloat32.tensorOf(f.shape(), d -> d.setFloat(Float.parseFloat(v), new long[f.shape().numDimensions()]));
        case DT_DOUBLE -> TFloat64.tensorOf(f.shape(), d -> d.setDouble(Double.parseDouble(v), new long[f.shape().numDimensions()]));
        case DT_INT32 -> TInt32.tensorOf(f.shape(), d -> d.setInt(Integer.parseInt(v), new long[f.shape().numDimensions()]));
        case DT_INT64 -> TInt64.tensorOf(f.shape(), d -> d.setLong(Long.parseLong(v), new long[f.shape().numDimensions()]));
        case DT_BOOL -> {
          String b = v.toLowerCase(Locale.ROOT);
          if (!b.equals("true") && !b.equals("false")) {
            throw new NumberFormatException("not true or false");
          }
          yield TBool.tensorOf(f.shape(), d -> d.setBoolean(Boolean.parseBoolean(b), new long[f.shape().numDimensions()]));
        }
        default -> throw new ExplainException("Cannot feed placeholder '" + f.placeholder().op().name() + "' of type " + f.type()
            + ": --feed takes float, double, int32, int64 and bool placeholders");
      };
    } catch (NumberFormatException e) {
      throw new ExplainException("Cannot feed '" + v + "' to placeholder '" + f.placeholder().op().name() + "': it takes a "
          + f.type().name().substring(3).toLowerCase(Locale.ROOT) + " (" + e.getMessage() + ")", e);
    }
  }

  /** The graph's placeholders with their types, for messages: {@code [keep_prob (float), is_training (bool)]}. */
  static List<String> placeholders(Graph graph) {
    List<String> out = new ArrayList<>();
    for (Iterator<GraphOperation> it = graph.operations(); it.hasNext(); ) {
      GraphOperation op = it.next();
      if (op.type().equals("Placeholder") && !op.name().startsWith("explain4j")) {
        out.add(op.name() + " (" + op.output(0).dataType().name().substring(3).toLowerCase(Locale.ROOT) + ")");
      }
    }
    return out;
  }

  /** A placeholder's value the run lacked, as a message naming it and the option that feeds it; null when {@code e} is another failure. */
  static String missing(RuntimeException e) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("You must feed a value for placeholder tensor '([^']+)' with dtype (\\w+)")
        .matcher(String.valueOf(e.getMessage()));
    if (!m.find()) {
      return null;
    }
    String name = m.group(1);
    String type = m.group(2);
    String example = type.equals("bool") ? "false" : type.startsWith("float") || type.startsWith("double") ? "1.0" : "0";
    return "The graph needs a value for placeholder '" + name + "' (" + type + ") in every run: feed it with optFeed(\"" + name
        + "\", " + example + ") or --feed " + name + "=" + example + " (1.0 for a dropout keep probability, false for is_training)";
  }

  static ExtraFeeds none() {
    return new ExtraFeeds(List.of());
  }
}
