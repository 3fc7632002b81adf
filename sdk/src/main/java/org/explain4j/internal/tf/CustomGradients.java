package org.explain4j.internal.tf;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.TensorFlow;

/**
 * Gradients that TensorFlow's C++ registry lacks for ops Keras and retrain.py graphs put on the
 * path, registered once per JVM. Each op passes values through, so its gradient passes the incoming
 * one through.
 */
final class CustomGradients {
  private static boolean registered;

  private CustomGradients() {}

  static synchronized void register() {
    if (registered) {
      return;
    }
    // registerCustomGradient returns false when the op already has a gradient: then that one stays.
    TensorFlow.registerCustomGradient("IdentityN", (tf, op, upstream) -> {
      List<Operand<?>> grads = new ArrayList<>();
      for (int i = 0; i < op.numInputs(); i++) {
        Output<?> dy = i < upstream.size() ? upstream.get(i) : null;
        grads.add(dy != null ? dy : tf.zerosLike(op.input(i)));
      }
      return grads;
    });
    TensorFlow.registerCustomGradient("EnsureShape", (tf, op, upstream) -> {
      List<Operand<?>> grads = new ArrayList<>();
      grads.add(upstream.get(0));
      return grads;
    });
    // TF's retrain.py puts an unfed PlaceholderWithDefault (the bottleneck input) between the last
    // convolution and its new head: unfed, it is its default, so its gradient is the incoming one.
    TensorFlow.registerCustomGradient("PlaceholderWithDefault", (tf, op, upstream) -> {
      List<Operand<?>> grads = new ArrayList<>();
      grads.add(upstream.get(0));
      return grads;
    });
    registered = true;
  }
}
