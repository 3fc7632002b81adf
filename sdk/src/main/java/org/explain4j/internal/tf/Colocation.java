package org.explain4j.internal.tf;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;

/**
 * Colocation hints ({@code _class: ["loc:@node"]}) that name nodes a graph no longer has. Inlining
 * a function renames its body's nodes (the call's name becomes their scope), and Keras' Embedding
 * layers carry hints naming nodes inside their function (TF refuses such a graph: "expects to be
 * colocated with unknown node"). A hint is pointed at the renamed node where one exists in an
 * enclosing scope of the hinted node, and dropped otherwise: placement hints are never needed to
 * compute the same values.
 */
final class Colocation {
  private static final String ATTR = "_class";
  private static final String PREFIX = "loc:@";

  private Colocation() {}

  static GraphDef clean(GraphDef graph) {
    Set<String> names = new HashSet<>();
    graph.getNodeList().forEach(n -> names.add(n.getName()));
    boolean changed = false;
    GraphDef.Builder b = graph.toBuilder();
    for (NodeDef.Builder node : b.getNodeBuilderList()) {
      if (!node.containsAttr(ATTR)) {
        continue;
      }
      List<ByteString> kept = new ArrayList<>();
      boolean rewritten = false;
      for (ByteString entry : node.getAttrOrThrow(ATTR).getList().getSList()) {
        String text = entry.toStringUtf8();
        if (!text.startsWith(PREFIX) || names.contains(text.substring(PREFIX.length()))) {
          kept.add(entry);
          continue;
        }
        rewritten = true;
        String found = inEnclosingScope(node.getName(), text.substring(PREFIX.length()), names);
        if (found != null) {
          kept.add(ByteString.copyFromUtf8(PREFIX + found));
        }
      }
      if (!rewritten) {
        continue;
      }
      changed = true;
      if (kept.isEmpty()) {
        node.removeAttr(ATTR);
      } else {
        node.putAttr(ATTR, AttrValue.newBuilder().setList(AttrValue.ListValue.newBuilder().addAllS(kept)).build());
      }
    }
    return changed ? b.build() : graph;
  }

  /** {@code target} under the nearest scope of {@code node}'s name that holds it ("call/a/b" tries "call/a/target", "call/target"). */
  private static String inEnclosingScope(String node, String target, Set<String> names) {
    for (int slash = node.lastIndexOf('/'); slash > 0; slash = node.lastIndexOf('/', slash - 1)) {
      String candidate = node.substring(0, slash) + "/" + target;
      if (names.contains(candidate)) {
        return candidate;
      }
    }
    return null;
  }
}
