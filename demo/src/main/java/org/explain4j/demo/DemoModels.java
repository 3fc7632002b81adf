package org.explain4j.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.explain4j.testkit.SavedModels;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The demo models, trained from Java with fixed seeds and exported as SavedModels: a shapes CNN
 * (64x64 RGB -> 4 shapes) and a word-level sentiment CNN (24 token ids -> 2 classes). Each trains
 * in well under a minute on 2 CPU cores. Nothing is downloaded.
 */
public final class DemoModels {
  public static final long SEED = 2026;
  /**
   * Part of the cache directory names: a digest of everything that defines the models, so that a
   * change to any of it trains anew instead of reusing a stale cache. The compiled code of the
   * architectures, the training loop and the data generators stands for architecture, data and
   * training settings; the seed and TensorFlow's version are added.
   */
  public static final String VERSION = key(definingParts());

  /** The first 12 hex digits of the SHA-256 of the parts, in order (each length-prefixed). */
  static String key(List<byte[]> parts) {
    try {
      java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
      for (byte[] part : parts) {
        sha.update(java.nio.ByteBuffer.allocate(4).putInt(part.length).array());
        sha.update(part);
      }
      return java.util.HexFormat.of().formatHex(sha.digest()).substring(0, 12);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private static List<byte[]> definingParts() {
    List<byte[]> parts = new java.util.ArrayList<>();
    for (Class<?> c : List.of(DemoModels.class, AdamTrainer.class, ShapesData.class, SentimentData.class, ComplaintData.class,
        org.explain4j.testkit.SavedModels.class)) {
      String resource = c.getName().replace('.', '/') + ".class";
      try (java.io.InputStream in = c.getClassLoader().getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException("Cannot read " + resource + " to key the demo model cache");
        }
        parts.add(in.readAllBytes());
      } catch (IOException e) {
        throw new java.io.UncheckedIOException("Cannot read " + resource + " to key the demo model cache", e);
      }
    }
    parts.add(Long.toString(SEED).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    parts.add(org.tensorflow.TensorFlow.version().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return parts;
  }

  private DemoModels() {}

  /** What a training run produced. */
  public record Trained(Path dir, int steps, int batchSize, double heldOutAccuracy, int heldOut, long millis) {}

  /** The shapes model in {@code dir}, trained and exported first if it is not there yet. */
  public static Path shapes(Path dir) throws IOException {
    return Files.isRegularFile(dir.resolve("saved_model.pb")) ? dir : trainShapes(dir, SEED).dir();
  }

  /** The sentiment model in {@code dir}, trained and exported first if it is not there yet. */
  public static Path sentiment(Path dir) throws IOException {
    return Files.isRegularFile(dir.resolve("saved_model.pb")) ? dir : trainSentiment(dir, SEED).dir();
  }

  /** conv3x3 + bias + ReLU, scoped. */
  private static Operand<TFloat32> conv(Ops tf, AdamTrainer t, String name, Operand<TFloat32> x, int in, int out) {
    Ops s = tf.withSubScope(name);
    Operand<TFloat32> k = t.weight(s, "kernel", Shape.of(3, 3, in, out), Math.sqrt(2.0 / (9 * in)));
    Operand<TFloat32> b = t.zeros(s, "bias", Shape.of(out));
    return s.withName("Relu").nn.relu(s.withName("BiasAdd").nn.biasAdd(s.withName("Conv2D").nn.conv2d(x, k, List.of(1L, 1L, 1L, 1L), "SAME"), b));
  }

  private static Operand<TFloat32> pool(Ops tf, String name, Operand<TFloat32> x) {
    return tf.withName(name).nn.maxPool(x, tf.constant(new int[] {1, 2, 2, 1}), tf.constant(new int[] {1, 2, 2, 1}), "VALID");
  }

  /**
   * conv1 (16) -> pool -> conv2 (32) -> pool -> conv3 (32, 16x16: the explained layer) -> global
   * max pool -> dense (4) -> Softmax.
   */
  public static Trained trainShapes(Path dir, long seed) throws IOException {
    return trainShapes(dir, seed, 550);
  }

  /** {@link #trainShapes(Path, long)} with a given number of steps (tests train a few). */
  static Trained trainShapes(Path dir, long seed, int steps) throws IOException {
    long start = System.currentTimeMillis();
    int batch = 32;
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      AdamTrainer t = new AdamTrainer(tf, seed);
      Placeholder<TFloat32> image = tf.withName("image").placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(-1, ShapesData.SIZE, ShapesData.SIZE, 3)));
      Placeholder<TInt32> labels = tf.withName("labels").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
      // Centre the pixels: [0, 1] -> [-1, 1].
      Operand<TFloat32> centred = tf.withName("centred").math.mul(tf.math.sub(image, tf.constant(0.5f)), tf.constant(2f));
      Operand<TFloat32> x = pool(tf, "pool1", conv(tf, t, "conv1", centred, 3, 16));
      x = pool(tf, "pool2", conv(tf, t, "conv2", x, 16, 32));
      x = conv(tf, t, "conv3", x, 32, 32);
      // Global max pooling: each channel reports its strongest local evidence, which trains faster
      // and more steadily here than averaging over a mostly empty background.
      Operand<TFloat32> pooled = tf.withName("gmp").max(x, tf.constant(new int[] {1, 2}));
      Operand<TFloat32> logits = denseHead(tf, t, pooled, 32, 4);
      Operand<TFloat32> probabilities = tf.withName("probabilities").nn.softmax(logits);
      List<Op> step = t.minimise(g, logits, labels, 4, 0.005f);
      try (Session session = trainingSession(g)) {
        session.initialize();
        long[] item = {ShapesData.SIZE, ShapesData.SIZE, 3};
        Source source = rng -> {
          ShapesData.Sample sample = ShapesData.sample(rng);
          return new Example(sample.pixels(), null, sample.label());
        };
        fit(session, step, image, labels, item, source, steps, batch, new Random(seed));
        double accuracy = accuracy(session, image, probabilities, item, source, HELD_OUT, new Random(seed + 1_000_000));
        SavedModels.export(session, dir, Signature.builder().key(Signature.DEFAULT_KEY).input("image", image).output("probabilities", probabilities).build());
        return new Trained(dir, steps, batch, accuracy, HELD_OUT, System.currentTimeMillis() - start);
      }
    }
  }

  static final int HELD_OUT = 400;
  /** The width of the sentiment model's Conv1D kernel. */
  public static final int TEXT_KERNEL = 1;

  /**
   * ids -> embedding (gather, 16) -> conv1d as conv2d on expanded dims (32 channels) -> ReLU
   * ({@code features}, [batch, 24, 32]: the explained layer) -> max over time -> dense (2) -> Softmax.
   * The kernel width is {@link #TEXT_KERNEL}: with width 1 each position's features come from its
   * own token, so the maps line up with the tokens; a width-3 kernel trained here learned detectors
   * centred one token off their keyword, and its maps peaked beside the keyword (docs/quality.md).
   */
  public static Trained trainSentiment(Path dir, long seed) throws IOException {
    long start = System.currentTimeMillis();
    int steps = 300;
    int batch = 64;
    int vocabulary = SentimentData.VOCABULARY.size();
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      AdamTrainer t = new AdamTrainer(tf, seed);
      Placeholder<TInt32> ids = tf.withName("ids").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, SentimentData.LENGTH)));
      Placeholder<TInt32> labels = tf.withName("labels").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
      Operand<TFloat32> embedding = t.weight(tf, "embedding", Shape.of(vocabulary, 16), 0.5);
      Operand<TFloat32> embedded = tf.withName("embedded").gather(embedding, ids, tf.constant(0));
      Operand<TFloat32> expanded = tf.withName("expand").expandDims(embedded, tf.constant(1));
      Ops c = tf.withSubScope("conv");
      Operand<TFloat32> conv = c.withName("Conv2D").nn.conv2d(expanded,
          t.weight(c, "kernel", Shape.of(1, TEXT_KERNEL, 16, 32), Math.sqrt(2.0 / (16 * TEXT_KERNEL))),
          List.of(1L, 1L, 1L, 1L), "SAME");
      Operand<TFloat32> squeezed = tf.withName("squeeze").squeeze(conv, org.tensorflow.op.core.Squeeze.axis(List.of(1L)));
      Operand<TFloat32> features = tf.withName("features").nn.relu(tf.withName("bias").nn.biasAdd(squeezed, t.zeros(c, "bias", Shape.of(32))));
      Operand<TFloat32> pooled = tf.withName("maxpool").max(features, tf.constant(1));
      Operand<TFloat32> logits = denseHead(tf, t, pooled, 32, 2);
      Operand<TFloat32> probabilities = tf.withName("probabilities").nn.softmax(logits);
      List<Op> step = t.minimise(g, logits, labels, 2, 0.005f);
      try (Session session = trainingSession(g)) {
        session.initialize();
        long[] item = {SentimentData.LENGTH};
        Source source = rng -> {
          SentimentData.Sample sample = SentimentData.sample(rng);
          return new Example(null, sample.ids(), sample.label());
        };
        fit(session, step, ids, labels, item, source, steps, batch, new Random(seed));
        double accuracy = accuracy(session, ids, probabilities, item, source, HELD_OUT, new Random(seed + 1_000_000));
        SavedModels.export(session, dir, Signature.builder().key(Signature.DEFAULT_KEY).input("ids", ids).output("probabilities", probabilities).build());
        return new Trained(dir, steps, batch, accuracy, HELD_OUT, System.currentTimeMillis() - start);
      }
    }
  }

  /** The character-level model in {@code dir}, trained and exported first if it is not there yet. */
  public static Path complaints(Path dir) throws IOException {
    return Files.isRegularFile(dir.resolve("saved_model.pb")) ? dir : trainComplaints(dir, SEED).dir();
  }

  /**
   * Character-level, long input: ids [batch, 3000] -> embedding (8) -> conv1d width 7 (32) -> ReLU
   * -> max pool 10 -> conv1d width 3 (32) -> ReLU ({@code features}, [batch, 300, 32]: the
   * explained layer, ten characters per cell) -> max over time -> dense (2) -> Softmax.
   */
  public static Trained trainComplaints(Path dir, long seed) throws IOException {
    long start = System.currentTimeMillis();
    int steps = 500;
    int batch = 16;
    int length = ComplaintData.LENGTH;
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      AdamTrainer t = new AdamTrainer(tf, seed);
      Placeholder<TInt32> ids = tf.withName("chars").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, length)));
      Placeholder<TInt32> labels = tf.withName("labels").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
      Operand<TFloat32> embedding = t.weight(tf, "embedding", Shape.of(ComplaintData.vocabulary(), 8), 0.5);
      Operand<TFloat32> x = tf.withName("expand").expandDims(tf.withName("embedded").gather(embedding, ids, tf.constant(0)), tf.constant(1));
      Ops c1 = tf.withSubScope("conv1");
      x = c1.withName("Relu").nn.relu(c1.withName("BiasAdd").nn.biasAdd(c1.withName("Conv2D").nn.conv2d(x,
          t.weight(c1, "kernel", Shape.of(1, 7, 8, 32), Math.sqrt(2.0 / 56)), List.of(1L, 1L, 1L, 1L), "SAME"), t.zeros(c1, "bias", Shape.of(32))));
      x = tf.withName("pool").nn.maxPool(x, tf.constant(new int[] {1, 1, 10, 1}), tf.constant(new int[] {1, 1, 10, 1}), "VALID");
      Ops c2 = tf.withSubScope("conv2");
      x = c2.withName("BiasAdd").nn.biasAdd(c2.withName("Conv2D").nn.conv2d(x,
          t.weight(c2, "kernel", Shape.of(1, 3, 32, 32), Math.sqrt(2.0 / 96)), List.of(1L, 1L, 1L, 1L), "SAME"), t.zeros(c2, "bias", Shape.of(32)));
      Operand<TFloat32> features = tf.withName("features").nn.relu(tf.withName("squeeze").squeeze(x, org.tensorflow.op.core.Squeeze.axis(List.of(1L))));
      Operand<TFloat32> pooled = tf.withName("maxpool").max(features, tf.constant(1));
      Operand<TFloat32> logits = denseHead(tf, t, pooled, 32, 2);
      Operand<TFloat32> probabilities = tf.withName("probabilities").nn.softmax(logits);
      List<Op> step = t.minimise(g, logits, labels, 2, 0.005f);
      try (Session session = trainingSession(g)) {
        session.initialize();
        long[] item = {length};
        Source source = rng -> {
          ComplaintData.Sample sample = ComplaintData.sample(rng);
          return new Example(null, sample.ids(), sample.label());
        };
        fit(session, step, ids, labels, item, source, steps, batch, new Random(seed));
        int heldOut = 100;
        double accuracy = accuracy(session, ids, probabilities, item, source, heldOut, new Random(seed + 1_000_000));
        SavedModels.export(session, dir, Signature.builder().key(Signature.DEFAULT_KEY).input("chars", ids).output("probabilities", probabilities).build());
        return new Trained(dir, steps, batch, accuracy, heldOut, System.currentTimeMillis() - start);
      }
    }
  }

  /**
   * A session on one thread for each pool. With several, some kernels (convolution filter
   * gradients, reductions) split their sums by what the pools are doing, so that training from a
   * fixed seed reached different weights under load (once a shapes accuracy of 0.83 instead of
   * 1.0); on one thread every sum runs in the same order on every run.
   */
  static Session trainingSession(Graph g) {
    return new Session(g, ConfigProto.newBuilder()
        .setIntraOpParallelismThreads(1)
        .setInterOpParallelismThreads(1)
        .setUsePerSessionThreads(true)
        .build());
  }

  /** The classifier head: dense {@code in -> classes} under {@code dense/}, named {@code logits}. */
  private static Operand<TFloat32> denseHead(Ops tf, AdamTrainer t, Operand<TFloat32> pooled, int in, int classes) {
    Ops dense = tf.withSubScope("dense");
    return tf.withName("logits").math.add(
        dense.withName("MatMul").linalg.matMul(pooled, t.weight(dense, "kernel", Shape.of(in, classes), Math.sqrt(1.0 / in))),
        t.zeros(dense, "bias", Shape.of(classes)));
  }

  /** One training example: float or int values of one item, and its label. */
  private record Example(float[] floats, int[] ints, int label) {}

  /** Draws examples from a random source. */
  private interface Source {
    Example next(Random rng);
  }

  /** {@code steps} Adam steps, each on a fresh batch drawn from {@code source}. */
  private static void fit(Session session, List<Op> step, Operand<?> input, Operand<TInt32> labels, long[] item, Source source,
      int steps, int batch, Random rng) {
    for (int i = 0; i < steps; i++) {
      Example[] examples = new Example[batch];
      int[] y = new int[batch];
      for (int b = 0; b < batch; b++) {
        examples[b] = source.next(rng);
        y[b] = examples[b].label();
      }
      try (org.tensorflow.Tensor in = tensor(examples, item); TInt32 lab = TInt32.vectorOf(y)) {
        Session.Runner r = session.runner().feed(input, in).feed(labels, lab);
        step.forEach(r::addTarget);
        r.run().close();
      }
    }
  }

  /** The share of {@code n} fresh examples whose most probable class is their label. */
  private static double accuracy(Session session, Operand<?> input, Operand<TFloat32> probabilities, long[] item, Source source,
      int n, Random rng) {
    int correct = 0;
    for (int i = 0; i < n; i++) {
      Example e = source.next(rng);
      try (org.tensorflow.Tensor in = tensor(new Example[] {e}, item);
          Result r = session.runner().feed(input, in).fetch(probabilities).run()) {
        TFloat32 p = (TFloat32) r.get(0);
        correct += argMax(p, (int) p.shape().get(1)) == e.label() ? 1 : 0;
      }
    }
    return (double) correct / n;
  }

  /** <b>A new tensor the caller must close</b>: the examples stacked along a batch dimension. */
  private static org.tensorflow.Tensor tensor(Example[] examples, long[] item) {
    long[] shape = new long[item.length + 1];
    shape[0] = examples.length;
    System.arraycopy(item, 0, shape, 1, item.length);
    if (examples[0].floats() != null) {
      int n = examples[0].floats().length;
      float[] values = new float[examples.length * n];
      for (int b = 0; b < examples.length; b++) {
        System.arraycopy(examples[b].floats(), 0, values, b * n, n);
      }
      return TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(values, true, false));
    }
    int n = examples[0].ints().length;
    int[] values = new int[examples.length * n];
    for (int b = 0; b < examples.length; b++) {
      System.arraycopy(examples[b].ints(), 0, values, b * n, n);
    }
    return TInt32.tensorOf(Shape.of(shape), DataBuffers.of(values, true, false));
  }

  private static int argMax(TFloat32 row, int classes) {
    int best = 0;
    for (int k = 1; k < classes; k++) {
      if (row.getFloat(0, k) > row.getFloat(0, best)) {
        best = k;
      }
    }
    return best;
  }

}
