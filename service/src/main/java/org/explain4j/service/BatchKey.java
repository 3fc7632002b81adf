package org.explain4j.service;

import java.util.Arrays;
import java.util.List;
import org.explain4j.input.InputBatch;
import org.tensorflow.proto.DataType;

/**
 * What requests must share to be merged into one run: the model, the explainer variant, the kind
 * of targets, whether they only predict, and the element type and shape of their items.
 * {@code maxItems} is the model's own bound on a batch: a signature with a fixed batch dimension
 * (a frozen graph's {@code [1, 128, 128, 3]}) takes no more.
 */
record BatchKey(String model, Variant variant, String targets, boolean predictOnly, DataType type, List<Long> itemShape,
    int maxItems) {
  static BatchKey of(ModelHost host, Variant variant, TargetChoice targets, boolean predictOnly, InputBatch input) {
    long[] dims = input.shape().asArray();
    List<Long> item = Arrays.stream(dims, 1, dims.length).boxed().toList();
    long fixed = host.input().shape().numDimensions() > 0 ? host.input().shape().get(0) : -1;
    return new BatchKey(host.name(), variant, predictOnly ? "predict" : targets.key(), predictOnly, input.dataType(), item,
        fixed > 0 ? (int) fixed : Integer.MAX_VALUE);
  }
}
