package org.explain4j.demo;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Training from TensorFlow's raw ops: the mean sparse softmax cross-entropy of the logits,
 * {@code Graph.addGradients} for its gradient with respect to every trainable variable, and one
 * {@code ApplyAdam} per variable. Weights start from seeded Java random numbers, so that training
 * is deterministic.
 */
final class AdamTrainer {
  private final Ops tf;
  private final java.util.Random rng;
  private final List<Variable<TFloat32>> trainable = new ArrayList<>();

  AdamTrainer(Ops tf, long seed) {
    this.tf = tf;
    this.rng = new java.util.Random(seed);
  }

  /** A trainable variable with Gaussian initial values of the given standard deviation. */
  Variable<TFloat32> weight(Ops scope, String name, Shape shape, double stddev) {
    float[] values = new float[(int) shape.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (rng.nextGaussian() * stddev);
    }
    return register(scope, name, shape, values);
  }

  /** A trainable variable starting at zero. */
  Variable<TFloat32> zeros(Ops scope, String name, Shape shape) {
    return register(scope, name, shape, new float[(int) shape.size()]);
  }

  private Variable<TFloat32> register(Ops scope, String name, Shape shape, float[] values) {
    Variable<TFloat32> v = scope.withName(name).variable(scope.constant(shape, DataBuffers.of(values, true, false)));
    trainable.add(v);
    return v;
  }

  List<Variable<TFloat32>> trainable() {
    return List.copyOf(trainable);
  }

  /**
   * The ops that run one Adam step on the mean cross-entropy of {@code logits} against
   * {@code labels}. The loss is written with LogSoftmax (the sparse cross-entropy op has no C++
   * gradient).
   */
  List<Op> minimise(Graph graph, Operand<TFloat32> logits, Operand<org.tensorflow.types.TInt32> labels, int classes,
      float learningRate) {
    Ops t = tf.withSubScope("train");
    Operand<TFloat32> onehot = t.oneHot(labels, t.constant(classes), t.constant(1f), t.constant(0f));
    Operand<TFloat32> perItem = t.reduceSum(t.math.mul(onehot, t.nn.logSoftmax(logits)), t.constant(1));
    Operand<TFloat32> loss = t.withName("loss").math.neg(t.math.mean(perItem, t.constant(0)));
    Output<?>[] xs = trainable.stream().map(Variable::asOutput).toArray(Output<?>[]::new);
    Output<?>[] grads = graph.addGradients("train_gradients", new Output<?>[] {loss.asOutput()}, xs, null);
    Variable<TFloat32> beta1Power = t.withName("beta1_power").variable(t.constant(0.9f));
    Variable<TFloat32> beta2Power = t.withName("beta2_power").variable(t.constant(0.999f));
    // The weights are reference variables, read in place: an update must not start before every
    // gradient is computed, or a backward op still reading a weight (a convolution's input
    // gradient) may read it updated. That race once trained a shapes model to 0.83 instead of 1.0.
    List<Op> computed = new ArrayList<>();
    for (Output<?> g : grads) {
      computed.add(t.identity(g));
    }
    Ops afterGradients = t.withControlDependencies(computed);
    List<Op> updates = new ArrayList<>();
    for (int i = 0; i < trainable.size(); i++) {
      Variable<TFloat32> v = trainable.get(i);
      Shape shape = v.shape();
      Variable<TFloat32> m = t.withName("m" + i).variable(t.zeros(t.constant(shape.asArray()), TFloat32.class));
      Variable<TFloat32> s = t.withName("v" + i).variable(t.zeros(t.constant(shape.asArray()), TFloat32.class));
      @SuppressWarnings("unchecked")
      Operand<TFloat32> g = (Operand<TFloat32>) grads[i];
      updates.add(afterGradients.train.applyAdam(v, m, s, beta1Power, beta2Power, t.constant(learningRate), t.constant(0.9f),
          t.constant(0.999f), t.constant(1e-7f), g));
    }
    // The bias-correction powers advance after the updates have read them.
    Ops after = t.withControlDependencies(updates);
    updates.add(after.assign(beta1Power, after.math.mul(beta1Power, after.constant(0.9f))));
    updates.add(after.assign(beta2Power, after.math.mul(beta2Power, after.constant(0.999f))));
    return updates;
  }
}
