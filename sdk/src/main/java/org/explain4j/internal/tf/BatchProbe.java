package org.explain4j.internal.tf;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorShapeProto;
import org.tensorflow.types.TFloat32;

/**
 * Whether a frozen graph whose input declares a batch of one really needs it. Most exporters write
 * the batch they traced with into the placeholder's shape although no op depends on it; others
 * reshape to a constant {@code [1, n]} or squeeze every unit dimension. The graph is imported with
 * the batch left free and run on two different items, one at a time and together: it is free when
 * both runs succeed and the batch of two gives each item what it gave alone.
 */
final class BatchProbe {
  /** Relative tolerance between an item run alone and in a batch (kernels may vectorise differently). */
  private static final double TOLERANCE = 1e-4;

  private BatchProbe() {}

  /**
   * The input placeholder (the named one, or the graph's only non-boolean placeholder) when it is
   * a float placeholder whose declared shape starts with a batch of 1 and whose other dimensions are
   * known; null otherwise.
   */
  static String inputDeclaringBatchOne(GraphDef def, String inputOp) {
    List<NodeDef> candidates = new ArrayList<>();
    for (NodeDef node : def.getNodeList()) {
      boolean placeholder = node.getOp().equals("Placeholder") && node.getAttrOrDefault("dtype", AttrValue.getDefaultInstance())
          .getType() != DataType.DT_BOOL;
      if (placeholder && (inputOp == null || node.getName().equals(inputOp))) {
        candidates.add(node);
      }
    }
    if (candidates.size() != 1) {
      return null;
    }
    NodeDef input = candidates.get(0);
    TensorShapeProto shape = input.getAttrOrDefault("shape", AttrValue.getDefaultInstance()).getShape();
    boolean floats = input.getAttrOrDefault("dtype", AttrValue.getDefaultInstance()).getType() == DataType.DT_FLOAT;
    if (!floats || shape.getUnknownRank() || shape.getDimCount() < 2 || shape.getDim(0).getSize() != 1) {
      return null;
    }
    for (int d = 1; d < shape.getDimCount(); d++) {
      if (shape.getDim(d).getSize() < 1) {
        return null;
      }
    }
    return input.getName();
  }

  /** The graph with {@code input}'s declared batch (and its recorded output shape) left unknown. */
  static GraphDef withFreeBatch(GraphDef def, String input) {
    GraphDef.Builder b = def.toBuilder();
    for (NodeDef.Builder node : b.getNodeBuilderList()) {
      if (!node.getName().equals(input)) {
        continue;
      }
      node.putAttr("shape", AttrValue.newBuilder().setShape(freeFirst(node.getAttrOrThrow("shape").getShape())).build());
      if (node.containsAttr("_output_shapes")) {
        AttrValue.ListValue.Builder shapes = node.getAttrOrThrow("_output_shapes").getList().toBuilder();
        if (shapes.getShapeCount() > 0) {
          shapes.setShape(0, freeFirst(shapes.getShape(0)));
        }
        node.putAttr("_output_shapes", AttrValue.newBuilder().setList(shapes).build());
      }
    }
    return b.build();
  }

  private static TensorShapeProto freeFirst(TensorShapeProto shape) {
    return shape.toBuilder().setDim(0, shape.getDim(0).toBuilder().setSize(-1)).build();
  }

  /**
   * Null when the imported graph (with a free batch) answers a batch of two as it answers each
   * item alone; else what went wrong, for the log.
   */
  static String dependence(LoadedModel model) {
    Signature signature = model.signatures().get(0);
    String inputName = signature.getInputs().keySet().iterator().next();
    String outputName = signature.getOutputs().keySet().iterator().next();
    Graph graph = model.graph();
    GraphOperation input = graph.operation(inputName);
    GraphOperation output = graph.operation(outputName);
    long[] item = input.output(0).shape().asArray();
    int size = 1;
    for (int d = 1; d < item.length; d++) {
      size *= (int) item[d];
    }
    float[] first = new float[size];
    float[] second = new float[size];
    for (int i = 0; i < size; i++) {
      first[i] = (float) Math.sin(i * 0.37) * 0.5f;
      second[i] = (float) Math.cos(i * 0.11) * 0.5f;
    }
    float[] both = new float[2 * size];
    System.arraycopy(first, 0, both, 0, size);
    System.arraycopy(second, 0, both, size, size);
    try {
      float[] a = run(model.session(), input, output, first, 1, item);
      float[] b = run(model.session(), input, output, second, 1, item);
      float[] ab = run(model.session(), input, output, both, 2, item);
      if (ab.length != a.length + b.length) {
        return "a batch of 2 gives " + ab.length + " values where one item gives " + a.length;
      }
      for (int i = 0; i < a.length; i++) {
        if (!close(a[i], ab[i]) || !close(b[i], ab[a.length + i])) {
          return "a batch of 2 does not give each item what it gives alone";
        }
      }
      return null;
    } catch (RuntimeException e) {
      return "a batch of 2 fails: " + firstLine(e.getMessage());
    }
  }

  private static float[] run(Session session, GraphOperation input, GraphOperation output, float[] values, int batch, long[] item) {
    long[] dims = item.clone();
    dims[0] = batch;
    try (TFloat32 in = TFloat32.tensorOf(Shape.of(dims), DataBuffers.of(values, true, false));
        Result result = session.runner().feed(input.output(0), in).fetch(output.output(0)).run()) {
      Tensor out = result.get(0);
      if (!(out instanceof TFloat32 floats)) {
        throw new IllegalStateException("the output is " + out.dataType() + ", not float");
      }
      long[] shape = floats.shape().asArray();
      if (shape.length == 0 || shape[0] != batch) {
        throw new IllegalStateException("the output's shape " + floats.shape() + " does not start with the batch " + batch);
      }
      float[] copy = new float[(int) floats.size()];
      floats.copyTo(DataBuffers.of(copy, false, false));
      return copy;
    }
  }

  private static boolean close(float x, float y) {
    return Math.abs(x - y) <= TOLERANCE * Math.max(1, Math.max(Math.abs(x), Math.abs(y)));
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "no message";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
