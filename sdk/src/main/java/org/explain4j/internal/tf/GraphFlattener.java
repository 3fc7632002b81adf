package org.explain4j.internal.tf;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;
import org.explain4j.exceptions.ModelLoadException;

/**
 * Inlines the function calls that a TF2 / Keras SavedModel's signature goes through, so that every
 * op inside becomes an addressable node of one flat graph that {@code Graph.addGradients} can
 * differentiate.
 *
 * <p>Each call node {@code N} calling function {@code f} is replaced by {@code f}'s body, its nodes
 * renamed {@code N/<body name>}, its argument references rewired to {@code N}'s inputs and its
 * {@code node:output_arg:index} references turned into graph outputs with the op definitions. An
 * {@code IdentityN} named {@code N} takes {@code f}'s returns, so that {@code N:i} stays valid for
 * whoever reads it. Calls inside bodies are inlined in turn. Calls not needed by the requested
 * outputs (saving and restoring, for instance) are left alone, and the function library is kept.
 */
final class GraphFlattener {
  private static final Set<String> CALL_OPS = Set.of("StatefulPartitionedCall", "PartitionedCall");
  private static final int MAX_INLINED = 100_000;

  private final Map<String, FunctionDef> library = new HashMap<>();
  private final Map<String, OpDef> ops;
  /** Flat node name -> the node's name inside the innermost function it came from. */
  private final Map<String, String> provenance = new HashMap<>();

  private GraphFlattener(GraphDef graph, Map<String, OpDef> ops) {
    graph.getLibrary().getFunctionList().forEach(f -> library.put(f.getSignature().getName(), f));
    this.ops = ops;
  }

  /** The result: the flat graph and where each inlined node came from. */
  record Flat(GraphDef graph, Map<String, String> provenance, int inlinedCalls) {}

  /** Whether {@code node} calls a library function. */
  static boolean isCall(NodeDef node, GraphDef graph) {
    if (CALL_OPS.contains(node.getOp())) {
      return true;
    }
    return graph.getLibrary().getFunctionList().stream().anyMatch(f -> f.getSignature().getName().equals(node.getOp()));
  }

  /** Inlines every call that the nodes named in {@code targets} depend on. */
  static Flat flatten(GraphDef graph, Set<String> targets, Map<String, OpDef> ops) {
    return new GraphFlattener(graph, ops).run(graph, targets);
  }

  private Flat run(GraphDef graph, Set<String> targets) {
    Map<String, NodeDef> nodes = new LinkedHashMap<>();
    graph.getNodeList().forEach(n -> nodes.put(n.getName(), n));
    Deque<String> calls = new ArrayDeque<>();
    for (String name : ancestors(nodes, targets)) {
      if (functionOf(nodes.get(name)) != null) {
        calls.add(name);
      }
    }
    int inlined = 0;
    while (!calls.isEmpty()) {
      if (++inlined > MAX_INLINED) {
        throw new ModelLoadException("Function inlining did not finish after " + MAX_INLINED + " calls: recursive functions?");
      }
      NodeDef call = nodes.get(calls.poll());
      FunctionDef function = library.get(functionOf(call));
      for (NodeDef added : inline(call, function, nodes)) {
        if (functionOf(added) != null) {
          calls.add(added.getName());
        }
      }
    }
    GraphDef flat = Colocation.clean(graph.toBuilder().clearNode().addAllNode(nodes.values()).build());
    return new Flat(flat, Map.copyOf(provenance), inlined);
  }

  /** The library function a node calls, or null. */
  private String functionOf(NodeDef node) {
    if (CALL_OPS.contains(node.getOp())) {
      String f = node.getAttrOrThrow("f").getFunc().getName();
      if (!library.containsKey(f)) {
        throw new ModelLoadException("Node " + node.getName() + " calls function " + f + ", which the graph's library lacks");
      }
      return f;
    }
    return library.containsKey(node.getOp()) ? node.getOp() : null;
  }

  /** Replaces {@code call} in {@code nodes} by the body of {@code function}; returns the nodes added. */
  private List<NodeDef> inline(NodeDef call, FunctionDef function, Map<String, NodeDef> nodes) {
    String prefix = call.getName();
    List<String> dataInputs = call.getInputList().stream().filter(i -> !i.startsWith("^")).toList();
    List<String> controlInputs = call.getInputList().stream().filter(i -> i.startsWith("^")).toList();
    var args = function.getSignature().getInputArgList();
    if (args.size() != dataInputs.size()) {
      throw new ModelLoadException("Call " + prefix + " passes " + dataInputs.size() + " inputs to "
          + function.getSignature().getName() + ", which takes " + args.size());
    }
    Map<String, String> argTensors = new HashMap<>();
    for (int i = 0; i < args.size(); i++) {
      argTensors.put(args.get(i).getName(), dataInputs.get(i));
    }
    Map<String, NodeDef> body = new HashMap<>();
    function.getNodeDefList().forEach(n -> body.put(n.getName(), n));
    List<NodeDef> added = new java.util.ArrayList<>();
    for (NodeDef node : function.getNodeDefList()) {
      NodeDef.Builder b = node.toBuilder().setName(prefix + "/" + node.getName()).clearInput();
      for (String input : node.getInputList()) {
        b.addInput(translate(input, prefix, argTensors, body));
      }
      if (node.getInputCount() == 0) {
        b.addAllInput(controlInputs); // the call's control dependencies still come first
      }
      for (Map.Entry<String, AttrValue> attr : node.getAttrMap().entrySet()) {
        if (!attr.getValue().getPlaceholder().isEmpty()) {
          throw new ModelLoadException("Function " + function.getSignature().getName() + " is generic (attribute "
              + attr.getKey() + " of node " + node.getName() + " is a placeholder): it cannot be inlined");
        }
      }
      NodeDef inlined = b.build();
      nodes.put(inlined.getName(), inlined);
      provenance.put(inlined.getName(), node.getName());
      added.add(inlined);
    }
    // The call's name now names an IdentityN of the function's returns.
    NodeDef.Builder returns = NodeDef.newBuilder().setName(prefix).setOp("IdentityN").setDevice(call.getDevice());
    AttrValue.ListValue.Builder types = AttrValue.ListValue.newBuilder();
    var outputs = function.getSignature().getOutputArgList();
    for (int i = 0; i < outputs.size(); i++) {
      returns.addInput(translate(function.getRetOrThrow(outputs.get(i).getName()), prefix, argTensors, body));
      types.addType(outputType(call, function, i));
    }
    for (String controlNode : function.getControlRetMap().values()) {
      returns.addInput("^" + prefix + "/" + controlNode);
    }
    if (outputs.isEmpty()) {
      returns.setOp("NoOp");
    } else {
      returns.putAttr("T", AttrValue.newBuilder().setList(types).build());
    }
    nodes.put(prefix, returns.build());
    return added;
  }

  private DataType outputType(NodeDef call, FunctionDef function, int i) {
    var arg = function.getSignature().getOutputArg(i);
    if (arg.getType() != DataType.DT_INVALID) {
      return arg.getType();
    }
    AttrValue tout = call.getAttrMap().get("Tout");
    if (tout != null && tout.getList().getTypeCount() > i) {
      return tout.getList().getType(i);
    }
    throw new ModelLoadException("Cannot tell the type of output " + i + " of function " + function.getSignature().getName());
  }

  /** A function-body input reference as a reference in the flat graph. */
  private String translate(String input, String prefix, Map<String, String> args, Map<String, NodeDef> body) {
    boolean control = input.startsWith("^");
    String ref = control ? input.substring(1) : input;
    String[] parts = ref.split(":");
    if (parts.length == 1) {
      String arg = args.get(ref);
      if (arg != null) {
        return control ? "^" + arg.split(":")[0] : arg;
      }
      return (control ? "^" : "") + prefix + "/" + ref;
    }
    if (control || parts.length != 3) {
      throw new ModelLoadException("Unexpected function input reference '" + input + "' under " + prefix);
    }
    NodeDef producer = body.get(parts[0]);
    if (producer == null) {
      throw new ModelLoadException("Function input '" + input + "' under " + prefix + " names no node of the body");
    }
    int index = outputOffset(producer, parts[1]) + Integer.parseInt(parts[2]);
    return prefix + "/" + parts[0] + (index == 0 ? "" : ":" + index);
  }

  /** The flat index of the first tensor of output argument {@code arg} of {@code node}. */
  private int outputOffset(NodeDef node, String arg) {
    FunctionDef called = library.get(node.getOp());
    if (called != null) {
      var outs = called.getSignature().getOutputArgList();
      for (int i = 0; i < outs.size(); i++) {
        if (outs.get(i).getName().equals(arg)) {
          return i;
        }
      }
      throw new ModelLoadException("Function " + node.getOp() + " has no output '" + arg + "'");
    }
    OpDef def = ops.get(node.getOp());
    if (def == null) {
      throw new ModelLoadException("Op type " + node.getOp() + " of node " + node.getName() + " is not registered in this TensorFlow");
    }
    int offset = 0;
    for (OpDef.ArgDef out : def.getOutputArgList()) {
      if (out.getName().equals(arg)) {
        return offset;
      }
      offset += argSize(node, def, out);
    }
    throw new ModelLoadException("Op " + node.getOp() + " has no output '" + arg + "' (node " + node.getName() + ")");
  }

  private static int argSize(NodeDef node, OpDef def, OpDef.ArgDef arg) {
    if (!arg.getNumberAttr().isEmpty()) {
      return (int) attr(node, def, arg.getNumberAttr()).getI();
    }
    if (!arg.getTypeListAttr().isEmpty()) {
      return attr(node, def, arg.getTypeListAttr()).getList().getTypeCount();
    }
    return 1;
  }

  private static AttrValue attr(NodeDef node, OpDef def, String name) {
    AttrValue value = node.getAttrMap().get(name);
    if (value != null) {
      return value;
    }
    return def.getAttrList().stream().filter(a -> a.getName().equals(name)).findFirst()
        .map(OpDef.AttrDef::getDefaultValue)
        .orElseThrow(() -> new ModelLoadException("Node " + node.getName() + " lacks attribute " + name));
  }

  /** Names of {@code targets} and every node they depend on, through data and control inputs. */
  private static Set<String> ancestors(Map<String, NodeDef> nodes, Set<String> targets) {
    Set<String> seen = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>(targets);
    while (!todo.isEmpty()) {
      String name = todo.pop();
      NodeDef node = nodes.get(name);
      if (node == null || !seen.add(name)) {
        continue;
      }
      for (String input : node.getInputList()) {
        String ref = input.startsWith("^") ? input.substring(1) : input;
        todo.push(ref.split(":")[0]);
      }
    }
    return seen;
  }
}
