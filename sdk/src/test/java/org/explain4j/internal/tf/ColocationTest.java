package org.explain4j.internal.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;
import org.junit.jupiter.api.Test;

/**
 * The Keras Embedding pattern after inlining: a lookup whose colocation hint names a node by its
 * name inside the function ({@code embedding_lookup/275692}), now {@code call/embedding_lookup/275692}.
 */
class ColocationTest {
  private static NodeDef constant(String name) {
    TensorProto value = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(TensorShapeProto.getDefaultInstance())
        .addFloatVal(1f).build();
    return NodeDef.newBuilder().setName(name).setOp("Const").putAttr("dtype", AttrValue.newBuilder().setType(DataType.DT_FLOAT).build())
        .putAttr("value", AttrValue.newBuilder().setTensor(value).build()).build();
  }

  private static NodeDef identity(String name, String input, String... colocatedWith) {
    AttrValue.ListValue.Builder hints = AttrValue.ListValue.newBuilder();
    for (String c : colocatedWith) {
      hints.addS(ByteString.copyFromUtf8("loc:@" + c));
    }
    return NodeDef.newBuilder().setName(name).setOp("Identity").addInput(input)
        .putAttr("T", AttrValue.newBuilder().setType(DataType.DT_FLOAT).build())
        .putAttr("_class", AttrValue.newBuilder().setList(hints).build()).build();
  }

  @Test
  void hintsNamingRenamedNodesArePointedAtThemAndHintsNamingNothingAreDropped() {
    GraphDef graph = GraphDef.newBuilder()
        .addNode(constant("sequential/embedding/embedding_lookup/275692"))
        .addNode(identity("sequential/embedding/embedding_lookup", "sequential/embedding/embedding_lookup/275692",
            "embedding_lookup/275692"))
        .addNode(identity("sequential/embedding/embedding_lookup/Identity", "sequential/embedding/embedding_lookup",
            "gone", "sequential/embedding/embedding_lookup/275692"))
        .addNode(identity("other", "sequential/embedding/embedding_lookup/Identity", "nothing_here"))
        .build();
    try (Graph g = new Graph()) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> g.importGraphDef(graph));
      assertTrue(e.getMessage().contains("colocated with unknown node"), e.getMessage());
    }
    GraphDef clean = Colocation.clean(graph);
    try (Graph g = new Graph()) {
      g.importGraphDef(clean);
      assertTrue(g.operation("other") != null);
    }
    assertEquals(List.of("loc:@sequential/embedding/embedding_lookup/275692"), hints(clean.getNode(1)), "pointed at the renamed node");
    assertEquals(List.of("loc:@sequential/embedding/embedding_lookup/275692"), hints(clean.getNode(2)), "the stale hint dropped");
    assertFalse(clean.getNode(3).containsAttr("_class"), "no hint left: the attribute goes");
    GraphDef fine = GraphDef.newBuilder().addNode(constant("a")).addNode(identity("b", "a", "a")).build();
    assertTrue(Colocation.clean(fine) == fine, "a graph whose hints all resolve is returned as it is");
  }

  private static List<String> hints(NodeDef node) {
    return node.getAttrOrThrow("_class").getList().getSList().stream().map(ByteString::toStringUtf8).toList();
  }
}
