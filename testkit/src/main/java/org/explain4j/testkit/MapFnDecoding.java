package org.explain4j.testkit;

import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.FunctionDefLibrary;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NameAttrList;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * The decoding front end that {@code tf.map_fn(tf.io.decode_png, files)} leaves in a TF2 serving
 * signature, written as a GraphDef because TF Java cannot declare the loop's variant
 * (TensorList) arguments: a {@code [-1]} string placeholder unstacked into a TensorList
 * ({@code TensorListFromTensor}), a TensorList reserved for one float image per file, a functional
 * {@code While} whose body gets file {@code i}, decodes it, casts it and sets output item
 * {@code i}, and {@code TensorListStack} of the result.
 */
final class MapFnDecoding {
  private MapFnDecoding() {}

  /**
   * Imports the front end into {@code g}: placeholder {@code image}, output {@code decoded}
   * ({@code [-1, size, size, 3]} float pixels in 0..255).
   */
  static GraphOperation importInto(Graph g, int size) {
    GraphDef def = GraphDef.newBuilder()
        .addNode(node("image", "Placeholder").putAttr("dtype", type(DataType.DT_STRING)).putAttr("shape", shape(-1)))
        .addNode(node("count", "Size", "image").putAttr("T", type(DataType.DT_STRING)).putAttr("out_type", type(DataType.DT_INT32)))
        .addNode(constant("element_shape", size, size, 3))
        .addNode(constant("start"))
        .addNode(emptyShape("file_shape"))
        .addNode(node("files", "TensorListFromTensor", "image", "file_shape")
            .putAttr("element_dtype", type(DataType.DT_STRING)).putAttr("shape_type", type(DataType.DT_INT32)))
        .addNode(node("reserve", "TensorListReserve", "element_shape", "count")
            .putAttr("element_dtype", type(DataType.DT_FLOAT)).putAttr("shape_type", type(DataType.DT_INT32)))
        .addNode(node("map/while", "While", "start", "count", "files", "reserve")
            .putAttr("T", types(DataType.DT_INT32, DataType.DT_INT32, DataType.DT_VARIANT, DataType.DT_VARIANT))
            .putAttr("cond", function("map_cond")).putAttr("body", function("map_body"))
            .putAttr("output_shapes", AttrValue.newBuilder().setList(AttrValue.ListValue.newBuilder()
                .addShape(scalar()).addShape(scalar()).addShape(scalar()).addShape(scalar())).build())
            .putAttr("parallel_iterations", AttrValue.newBuilder().setI(10).build()))
        .addNode(node("decoded", "TensorListStack", "map/while:3", "element_shape")
            .putAttr("element_dtype", type(DataType.DT_FLOAT)).putAttr("num_elements", AttrValue.newBuilder().setI(-1).build()))
        .setLibrary(FunctionDefLibrary.newBuilder().addFunction(condition()).addFunction(body()))
        .build();
    g.importGraphDef(def);
    return g.operation("decoded");
  }

  private static final List<String> LOOP = List.of("i", "n", "files", "list");
  private static final List<DataType> LOOP_TYPES = List.of(DataType.DT_INT32, DataType.DT_INT32, DataType.DT_VARIANT, DataType.DT_VARIANT);

  /** {@code i < n}. */
  private static FunctionDef condition() {
    OpDef.Builder sig = loopArguments("map_cond").addOutputArg(OpDef.ArgDef.newBuilder().setName("more").setType(DataType.DT_BOOL));
    return FunctionDef.newBuilder().setSignature(sig)
        .addNodeDef(node("less", "Less", "i", "n").putAttr("T", type(DataType.DT_INT32)))
        .putRet("more", "less:z:0").build();
  }

  /** Decodes file {@code i} into output item {@code i}; {@code i + 1}. */
  private static FunctionDef body() {
    OpDef.Builder sig = loopArguments("map_body");
    for (int a = 0; a < LOOP.size(); a++) {
      sig.addOutputArg(OpDef.ArgDef.newBuilder().setName(LOOP.get(a) + "_next").setType(LOOP_TYPES.get(a)));
    }
    return FunctionDef.newBuilder().setSignature(sig)
        .addNodeDef(emptyShape("file_shape"))
        .addNodeDef(node("file", "TensorListGetItem", "files", "i", "file_shape:output:0").putAttr("element_dtype", type(DataType.DT_STRING)))
        .addNodeDef(node("png", "DecodePng", "file:item:0").putAttr("channels", AttrValue.newBuilder().setI(3).build())
            .putAttr("dtype", type(DataType.DT_UINT8)))
        .addNodeDef(node("pixels", "Cast", "png:image:0").putAttr("SrcT", type(DataType.DT_UINT8)).putAttr("DstT", type(DataType.DT_FLOAT)))
        .addNodeDef(node("set", "TensorListSetItem", "list", "i", "pixels:y:0").putAttr("element_dtype", type(DataType.DT_FLOAT)))
        .addNodeDef(constant("one", 1))
        .addNodeDef(node("next", "AddV2", "i", "one:output:0").putAttr("T", type(DataType.DT_INT32)))
        .putRet("i_next", "next:z:0").putRet("n_next", "n").putRet("files_next", "files").putRet("list_next", "set:output_handle:0")
        .build();
  }

  private static OpDef.Builder loopArguments(String name) {
    OpDef.Builder sig = OpDef.newBuilder().setName(name);
    for (int a = 0; a < LOOP.size(); a++) {
      sig.addInputArg(OpDef.ArgDef.newBuilder().setName(LOOP.get(a)).setType(LOOP_TYPES.get(a)));
    }
    return sig;
  }

  private static NodeDef.Builder node(String name, String op, String... inputs) {
    return NodeDef.newBuilder().setName(name).setOp(op).addAllInput(List.of(inputs));
  }

  /** An empty int32 vector: the element shape of a list of scalars. */
  private static NodeDef.Builder emptyShape(String name) {
    TensorProto.Builder t = TensorProto.newBuilder().setDtype(DataType.DT_INT32).setTensorShape(shape(0).getShape());
    return node(name, "Const").putAttr("dtype", type(DataType.DT_INT32)).putAttr("value", AttrValue.newBuilder().setTensor(t).build());
  }

  /** An int32 constant: a scalar without values given as 0, a scalar with one value, a vector with several. */
  private static NodeDef.Builder constant(String name, int... values) {
    TensorProto.Builder t = TensorProto.newBuilder().setDtype(DataType.DT_INT32);
    if (values.length == 0) {
      t.setTensorShape(TensorShapeProto.getDefaultInstance()).addIntVal(0);
    } else if (values.length == 1) {
      t.setTensorShape(TensorShapeProto.getDefaultInstance()).addIntVal(values[0]);
    } else {
      t.setTensorShape(shape(values.length).getShape());
      for (int v : values) {
        t.addIntVal(v);
      }
    }
    return node(name, "Const").putAttr("dtype", type(DataType.DT_INT32)).putAttr("value", AttrValue.newBuilder().setTensor(t).build());
  }

  private static AttrValue type(DataType t) {
    return AttrValue.newBuilder().setType(t).build();
  }

  private static AttrValue types(DataType... t) {
    return AttrValue.newBuilder().setList(AttrValue.ListValue.newBuilder().addAllType(List.of(t))).build();
  }

  private static AttrValue shape(long... dims) {
    TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
    for (long d : dims) {
      s.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
    }
    return AttrValue.newBuilder().setShape(s).build();
  }

  private static TensorShapeProto scalar() {
    return TensorShapeProto.getDefaultInstance();
  }

  private static AttrValue function(String name) {
    return AttrValue.newBuilder().setFunc(NameAttrList.newBuilder().setName(name)).build();
  }
}
