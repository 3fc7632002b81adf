package org.explain4j.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** Builds small SavedModels from Java at test time, with weights drawn from fixed seeds. */
public final class TestModels {
  public static final int H = 16;
  public static final int W = 16;

  /** An image of {@code width x height} uniformly random RGB pixels from {@code rng}. */
  public static java.awt.image.BufferedImage noise(Random rng, int width, int height) {
    java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(width, height, java.awt.image.BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, rng.nextInt(1 << 24));
      }
    }
    return image;
  }
  public static final int CLASSES = 4;

  private TestModels() {}

  /** Random weights with a fixed seed. */
  public static float[] random(Random rng, int n, double scale) {
    float[] w = new float[n];
    for (int i = 0; i < n; i++) {
      w[i] = (float) (rng.nextGaussian() * scale);
    }
    return w;
  }

  public static Operand<TFloat32> variable(Ops tf, String name, Shape shape, float[] values) {
    return tf.withName(name).variable(tf.constant(shape, DataBuffers.of(values, true, false)));
  }

  /**
   * A CNN on 16x16x3 images: conv1 (3x3, 8) + ReLU, 2x2 max pool, conv2 (3x3, 8) + ReLU, flatten,
   * dense to 4 classes, then a Softmax output named {@code probabilities} or the raw logits.
   * Layer names: {@code conv1/Conv2D}, {@code conv1/BiasAdd}, {@code conv1/Relu}, {@code pool},
   * {@code conv2/...}, {@code flatten}, {@code dense/MatMul}, {@code logits}.
   */
  public static Path cnn(Path dir, boolean softmax) {
    return cnn(dir, softmax, H, 8);
  }

  /** The same architecture on {@code size x size x 3} images with {@code width} channels per conv. */
  public static Path cnn(Path dir, boolean softmax, int size, int width) {
    return cnn(dir, softmax, size, width, Pixels.FLOAT, -1);
  }

  /**
   * {@link #cnn(Path, boolean)} (softmax, same weights) whose signature fixes the batch size:
   * input {@code [batch, H, W, 3]}, as frozen graphs and single-image serving signatures often do.
   */
  public static Path cnnFixedBatch(Path dir, int batch) {
    return cnn(dir, true, H, 8, Pixels.FLOAT, batch);
  }

  /**
   * {@link #cnn(Path, boolean)} with the same weights taking uint8 pixels, as TF Serving and TF Hub
   * models often do: a {@code DT_UINT8} input, cast to float and scaled by 1/255 in the graph.
   */
  public static Path cnnUint8(Path dir) {
    return cnn(dir, true, H, 8, Pixels.UINT8, -1);
  }

  /**
   * {@link #cnn(Path, boolean)} with the same weights taking one encoded PNG file ({@code DT_STRING},
   * shape {@code [1]}) and decoding it in the graph (DecodePng, cast, scaled by 1/255), as serving
   * signatures often take images.
   */
  public static Path cnnEncodedPng(Path dir) {
    return cnn(dir, true, H, 8, Pixels.PNG, -1);
  }

  /**
   * {@link #cnn(Path, boolean)} with the same weights taking a batch of encoded PNG files
   * ({@code DT_STRING}, shape {@code [-1]}, each {@code H x W}) and decoding them as
   * {@code tf.map_fn(tf.io.decode_png, files)} does in TF2: a While loop over a TensorList (see
   * {@link MapFnDecoding}), then scaled by 1/255.
   */
  public static Path cnnMapFnPng(Path dir) {
    return cnn(dir, true, H, 8, Pixels.PNG_BATCH, -1);
  }

  /**
   * {@link #cnn(Path, boolean)} (softmax, same weights) that takes {@code log(x + 10)} of its float
   * input in the graph (the op {@code logged}): a finite pixel below -10 becomes NaN inside the
   * model, where no input check sees it, on every CPU (huge finite pixels overflow to NaN only for
   * some summation orders).
   */
  public static Path cnnLogged(Path dir) {
    return cnn(dir, true, H, 8, Pixels.LOGGED, -1);
  }

  private enum Pixels { FLOAT, UINT8, PNG, PNG_BATCH, LOGGED }

  private static Path cnn(Path dir, boolean softmax, int size, int width, Pixels pixelsIn, long batch) {
    Random rng = new Random(42);
    int flat = (size / 2) * (size / 2) * width;
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Operand<?> image;
      Operand<TFloat32> pixels;
      if (pixelsIn == Pixels.PNG_BATCH) {
        @SuppressWarnings("unchecked")
        Operand<TFloat32> decoded = (Operand<TFloat32>) (Operand<?>) MapFnDecoding.importInto(g, size).output(0);
        image = g.operation("image").output(0);
        pixels = tf.withName("scaled").math.mul(tf.ensureShape(decoded, Shape.of(-1, size, size, 3)), tf.constant(1f / 255));
      } else if (pixelsIn == Pixels.PNG) {
        Placeholder<org.tensorflow.types.TString> file = tf.withName("image").placeholder(org.tensorflow.types.TString.class,
            Placeholder.shape(Shape.of(1)));
        image = file;
        Operand<org.tensorflow.types.TString> one = tf.withName("one_file").reshape(file, tf.constant(new int[0]));
        Operand<org.tensorflow.types.TUint8> decoded = tf.withName("decode").image.decodePng(one,
            new org.tensorflow.op.image.DecodePng.Options[] {org.tensorflow.op.image.DecodePng.channels(3L)});
        Operand<TFloat32> asFloat = tf.withName("cast").dtypes.cast(tf.expandDims(decoded, tf.constant(0)), TFloat32.class);
        pixels = tf.withName("scaled").math.mul(tf.ensureShape(asFloat, Shape.of(1, size, size, 3)), tf.constant(1f / 255));
      } else if (pixelsIn == Pixels.UINT8) {
        Placeholder<org.tensorflow.types.TUint8> raw = tf.withName("image").placeholder(org.tensorflow.types.TUint8.class,
            Placeholder.shape(Shape.of(-1, size, size, 3)));
        image = raw;
        pixels = tf.withName("scaled").math.mul(tf.withName("cast").dtypes.cast(raw, TFloat32.class), tf.constant(1f / 255));
      } else {
        Placeholder<TFloat32> raw = tf.withName("image").placeholder(TFloat32.class, Placeholder.shape(Shape.of(batch, size, size, 3)));
        image = raw;
        pixels = pixelsIn == Pixels.LOGGED ? tf.withName("logged").math.log(tf.math.add(raw, tf.constant(10f))) : raw;
      }
      Operand<TFloat32> x = conv(tf, "conv1", pixels, 3, width, rng);
      x = tf.withName("pool").nn.maxPool(x, tf.constant(new int[] {1, 2, 2, 1}), tf.constant(new int[] {1, 2, 2, 1}), "VALID");
      x = conv(tf, "conv2", x, width, width, rng);
      // A signature that fixes the batch fixes it in the flatten too, as frozen graphs often do.
      x = tf.withName("flatten").reshape(x, tf.constant(new int[] {batch > 0 ? (int) batch : -1, flat}));
      Ops dense = tf.withSubScope("dense");
      Operand<TFloat32> w = variable(dense, "kernel", Shape.of(flat, CLASSES), random(rng, flat * CLASSES, Math.sqrt(1.0 / flat)));
      Operand<TFloat32> b = variable(dense, "bias", Shape.of(CLASSES), random(rng, CLASSES, 0.1));
      Operand<TFloat32> logits = tf.withName("logits").math.add(dense.withName("MatMul").linalg.matMul(x, w), b);
      Operand<TFloat32> out = softmax ? tf.withName("probabilities").nn.softmax(logits) : logits;
      return export(g, dir, image, out, softmax ? "probabilities" : "logits");
    }
  }

  /** conv (SAME, stride 1) + bias + ReLU under {@code name}/. */
  public static Operand<TFloat32> conv(Ops tf, String name, Operand<TFloat32> x, int in, int out, Random rng) {
    Ops s = tf.withSubScope(name);
    Operand<TFloat32> k = variable(s, "kernel", Shape.of(3, 3, in, out), random(rng, 9 * in * out, Math.sqrt(2.0 / (9 * in))));
    Operand<TFloat32> b = variable(s, "bias", Shape.of(out), random(rng, out, 0.05));
    Operand<TFloat32> c = s.withName("Conv2D").nn.conv2d(x, k, List.of(1L, 1L, 1L, 1L), "SAME");
    return s.withName("Relu").nn.relu(s.withName("BiasAdd").nn.biasAdd(c, b));
  }

  /** The weights of {@link #gap}: conv kernel and bias, dense kernel {@code [C, K]} and bias. */
  public record GapWeights(float[] kernel, float[] bias, float[] dense, float[] denseBias, int channels, int classes) {}

  public static final int GAP_H = 10;
  public static final int GAP_W = 12;

  /**
   * conv (3x3, 5 channels) -> ReLU ({@code features}) -> global average pool -> dense (3 classes)
   * -> Softmax: the architecture where Grad-CAM equals classic CAM.
   */
  public static GapWeights gap(Path dir) {
    Random rng = new Random(7);
    int c = 5;
    int k = 3;
    GapWeights weights = new GapWeights(random(rng, 9 * 2 * c, 0.5), random(rng, c, 0.1), random(rng, c * k, 1.0),
        random(rng, k, 0.1), c, k);
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> image = tf.withName("image").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, GAP_H, GAP_W, 2)));
      Operand<TFloat32> kernel = variable(tf, "kernel", Shape.of(3, 3, 2, c), weights.kernel());
      Operand<TFloat32> bias = variable(tf, "bias", Shape.of(c), weights.bias());
      Operand<TFloat32> conv = tf.withName("conv").nn.conv2d(image, kernel, List.of(1L, 1L, 1L, 1L), "SAME");
      Operand<TFloat32> features = tf.withName("features").nn.relu(tf.withName("conv_bias").nn.biasAdd(conv, bias));
      Operand<TFloat32> pooled = tf.withName("gap").math.mean(features, tf.constant(new int[] {1, 2}));
      Operand<TFloat32> dense = variable(tf, "dense_kernel", Shape.of(c, k), weights.dense());
      Operand<TFloat32> denseBias = variable(tf, "dense_bias", Shape.of(k), weights.denseBias());
      Operand<TFloat32> logits = tf.withName("logits").math.add(tf.linalg.matMul(pooled, dense), denseBias);
      export(g, dir, image, tf.withName("probabilities").nn.softmax(logits), "probabilities");
    }
    return weights;
  }

  /** conv -> ReLU ({@code features}) -> Digamma -> mean -> dense: Digamma has no C++ gradient. */
  public static Path withoutGradient(Path dir) {
    Random rng = new Random(3);
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> image = tf.withName("image").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 8, 8, 1)));
      Operand<TFloat32> kernel = variable(tf, "kernel", Shape.of(3, 3, 1, 4), random(rng, 36, 0.5));
      Operand<TFloat32> features = tf.withName("features").nn.relu(tf.nn.conv2d(image, kernel, List.of(1L, 1L, 1L, 1L), "SAME"));
      Operand<TFloat32> passed = tf.withName("digamma").math.digamma(tf.math.add(features, tf.constant(1f)));
      Operand<TFloat32> pooled = tf.withName("pooled").math.mean(passed, tf.constant(new int[] {1, 2}));
      Operand<TFloat32> dense = variable(tf, "dense", Shape.of(4, 2), random(rng, 8, 1.0));
      return export(g, dir, image, tf.withName("scores").linalg.matMul(pooled, dense), "scores");
    }
  }

  /**
   * conv -> ReLU ({@code features}) -> mean -> Digamma ({@code pooled_digamma}, no C++ gradient) ->
   * dense: nothing spatial lies after the op without a gradient, only [batch, units] layers.
   */
  public static Path withoutGradientAfterPooling(Path dir) {
    Random rng = new Random(3);
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> image = tf.withName("image").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 8, 8, 1)));
      Operand<TFloat32> kernel = variable(tf, "kernel", Shape.of(3, 3, 1, 4), random(rng, 36, 0.5));
      Operand<TFloat32> features = tf.withName("features").nn.relu(tf.nn.conv2d(image, kernel, List.of(1L, 1L, 1L, 1L), "SAME"));
      Operand<TFloat32> pooled = tf.withName("pooled").math.mean(features, tf.constant(new int[] {1, 2}));
      Operand<TFloat32> passed = tf.withName("pooled_digamma").math.digamma(tf.math.add(pooled, tf.constant(1f)));
      Operand<TFloat32> dense = variable(tf, "dense", Shape.of(4, 2), random(rng, 8, 1.0));
      return export(g, dir, image, tf.withName("scores").linalg.matMul(passed, dense), "scores");
    }
  }

  /** conv (3x3, 4) -> ReLU ({@code features}) -> mean -> dense to one unit ({@code logit}). */
  private static Operand<TFloat32> singleUnit(Ops tf, Operand<TFloat32> image, Random rng) {
    Operand<TFloat32> kernel = variable(tf, "kernel", Shape.of(3, 3, 1, 4), random(rng, 36, 0.5));
    Operand<TFloat32> features = tf.withName("features").nn.relu(tf.nn.conv2d(image, kernel, List.of(1L, 1L, 1L, 1L), "SAME"));
    Operand<TFloat32> pooled = tf.math.mean(features, tf.constant(new int[] {1, 2}));
    Operand<TFloat32> dense = variable(tf, "dense", Shape.of(4, 1), new float[] {1.5f, -2f, 1f, -0.5f});
    return tf.withName("logit").linalg.matMul(pooled, dense);
  }

  /** A binary classifier with one Sigmoid output {@code [batch, 1]} over 8x8x1 images. */
  public static Path sigmoid(Path dir) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> image = tf.withName("image").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 8, 8, 1)));
      return export(g, dir, image, tf.withName("probability").math.sigmoid(singleUnit(tf, image, new Random(11))), "probability");
    }
  }

  /**
   * A classifier over 16x16x3 images whose first ops scale the pixels, as Keras layers do: {@code
   * "rescaling"} multiplies by 1/255 ({@code rescaling/mul}: it takes raw 0..255 pixels),
   * {@code "normalization"} subtracts ImageNet's means in pixel units and divides by the standard
   * deviations (also raw pixels), {@code "unit"} maps [0, 1] to [-1, 1] (x * 2 - 1: it takes [0, 1]),
   * {@code "none"} does nothing. The weights after the scaling are the same for every kind, and see
   * the same values when each gets the pixels its kind expects ({@code "none"} and {@code "unit"}
   * the values the others compute from raw pixels, scaled accordingly).
   */
  public static Path scaledInput(Path dir, String kind) {
    Random rng = new Random(31);
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> image = tf.withName("image").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 16, 16, 3)));
      Ops norm = tf.withSubScope("normalization");
      Operand<TFloat32> x = switch (kind) {
        case "rescaling" -> tf.withSubScope("rescaling").withName("mul").math.mul(image, tf.constant(1f / 255));
        case "normalization" -> norm.withName("truediv").math.div(
            norm.withName("sub").math.sub(image, tf.constant(new float[] {123.68f, 116.78f, 103.94f})),
            tf.constant(new float[] {58.4f, 57.1f, 57.4f}));
        case "unit" -> tf.withName("to_unit").math.sub(tf.math.mul(image, tf.constant(2f)), tf.constant(1f));
        case "none" -> image;
        default -> throw new IllegalArgumentException(kind);
      };
      Operand<TFloat32> features = conv(tf, "conv", x, 3, 4, rng);
      Operand<TFloat32> pooled = tf.math.mean(features, tf.constant(new int[] {1, 2}));
      Operand<TFloat32> dense = variable(tf, "dense", Shape.of(4, 3), random(rng, 12, 1.0));
      return export(g, dir, image, tf.withName("probabilities").nn.softmax(tf.linalg.matMul(pooled, dense)), "probabilities");
    }
  }

  /**
   * A TF1 frozen graph as dropout-era code wrote them: an input {@code x} with no declared shape,
   * a scalar {@code keep_prob} placeholder that every run must feed (it scales the features, as
   * dropout does at keep_prob 1), a bool {@code is_training}, conv ({@code conv/Relu}, 8x8x3 in, 4
   * channels) -> mean -> dense -> {@code probabilities}. Without {@code knobs} the same weights with
   * neither placeholder: the reference.
   */
  public static Path frozenDropout(Path file, boolean knobs) {
    Random rng = new Random(37);
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> x = tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(Shape.unknown()));
      Ops conv = tf.withSubScope("conv");
      Operand<TFloat32> kernel = frozenKernel(conv, 3, 4, rng);
      Operand<TFloat32> features = conv.withName("Relu").nn.relu(conv.withName("Conv2D").nn.conv2d(x, kernel, List.of(1L, 1L, 1L, 1L), "SAME"));
      if (knobs) {
        Placeholder<TFloat32> keep = tf.withName("keep_prob").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
        tf.withName("is_training").placeholder(org.tensorflow.types.TBool.class, Placeholder.shape(Shape.scalar()));
        features = tf.withName("dropout").math.mul(features, keep);
      }
      Operand<TFloat32> pooled = tf.math.mean(features, tf.constant(new int[] {1, 2}));
      Operand<TFloat32> dense = tf.withName("dense").constant(Shape.of(4, 3), DataBuffers.of(random(rng, 12, 1.0), true, false));
      tf.withName("probabilities").nn.softmax(tf.linalg.matMul(pooled, dense));
      return writeFrozen(g, file);
    }
  }

  /** A frozen graph's 3x3 convolution kernel {@code weights} in {@code scope}: a constant of random values (sd 0.5) from {@code rng}. */
  private static Operand<TFloat32> frozenKernel(Ops scope, int in, int out, Random rng) {
    return scope.withName("weights").constant(Shape.of(3, 3, in, out), DataBuffers.of(random(rng, 9 * in * out, 0.5), true, false));
  }

  /**
   * TF-slim's classifier head over images of unknown size ({@code [-1, -1, -1, 3]}): conv 3x3
   * ({@code features}, Relu6, 6 channels) -> AvgPool 4x4 VALID (global on 4x4 inputs) -> a 1x1
   * convolution to 5 classes ({@code Logits/Conv2d_1c_1x1/BiasAdd}, shape [-1, -1, -1, 5] as declared)
   * -> Squeeze of height and width -> Softmax.
   */
  public static Path slimHeadAnySize(Path dir) {
    Random rng = new Random(41);
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> image = tf.withName("image").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, -1, 3)));
      Operand<TFloat32> kernel = variable(tf, "kernel", Shape.of(3, 3, 3, 6), random(rng, 162, 0.5));
      Operand<TFloat32> features = tf.withName("features").nn.relu6(tf.nn.conv2d(image, kernel, List.of(1L, 1L, 1L, 1L), "SAME"));
      Operand<TFloat32> pooled = tf.withName("AvgPool_1a").nn.avgPool(features, List.of(1L, 4L, 4L, 1L), List.of(1L, 2L, 2L, 1L), "VALID");
      Ops logits = tf.withSubScope("Logits").withSubScope("Conv2d_1c_1x1");
      Operand<TFloat32> w = variable(logits, "weights", Shape.of(1, 1, 6, 5), random(rng, 30, 1.0));
      Operand<TFloat32> b = variable(logits, "biases", Shape.of(5), random(rng, 5, 0.1));
      Operand<TFloat32> conv = logits.withName("BiasAdd").nn.biasAdd(logits.withName("Conv2D").nn.conv2d(pooled, w,
          List.of(1L, 1L, 1L, 1L), "SAME"), b);
      Operand<TFloat32> squeezed = tf.withName("SpatialSqueeze").squeeze(conv, org.tensorflow.op.core.Squeeze.axis(List.of(1L, 2L)));
      return export(g, dir, image, tf.withName("probabilities").nn.softmax(squeezed), "probabilities");
    }
  }

  /** {@link #regression} bounded by a Tanh ({@code bounded}, {@code [batch]}): an output that is not a logit. */
  public static Path boundedRegression(Path dir) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> image = tf.withName("image").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 8, 8, 1)));
      Operand<TFloat32> value = tf.withName("bounded").math.tanh(singleUnit(tf, image, new Random(11)));
      return export(g, dir, image, tf.withName("value").reshape(value, tf.constant(new int[] {-1})), "value");
    }
  }

  /** A regression model with a rank-1 output {@code [batch]} over 8x8x1 images. */
  public static Path regression(Path dir) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> image = tf.withName("image").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 8, 8, 1)));
      Operand<TFloat32> value = tf.withName("value").reshape(singleUnit(tf, image, new Random(11)), tf.constant(new int[] {-1}));
      return export(g, dir, image, value, "value");
    }
  }

  /**
   * A channels-first layer: NHWC conv, transposed to NCHW, then BiasAdd (data_format NCHW) and
   * ReLU ({@code features_nchw}), mean over H and W, dense to 3 logits.
   */
  public static Path channelsFirst(Path dir) {
    Random rng = new Random(19);
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> image = tf.withName("image").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 12, 10, 3)));
      Operand<TFloat32> kernel = variable(tf, "kernel", Shape.of(3, 3, 3, 6), random(rng, 162, 0.4));
      Operand<TFloat32> conv = tf.nn.conv2d(image, kernel, List.of(1L, 1L, 1L, 1L), "SAME");
      Operand<TFloat32> nchw = tf.withName("nchw").linalg.transpose(conv, tf.constant(new int[] {0, 3, 1, 2}));
      Operand<TFloat32> bias = variable(tf, "bias", Shape.of(6), random(rng, 6, 0.1));
      Operand<TFloat32> biased = tf.withName("bias_nchw").nn.biasAdd(nchw, bias, org.tensorflow.op.nn.BiasAdd.dataFormat("NCHW"));
      Operand<TFloat32> features = tf.withName("features_nchw").nn.relu(biased);
      Operand<TFloat32> pooled = tf.math.mean(features, tf.constant(new int[] {2, 3}));
      Operand<TFloat32> dense = variable(tf, "dense", Shape.of(6, 3), random(rng, 18, 1.0));
      return export(g, dir, image, tf.withName("logits").linalg.matMul(pooled, dense), "logits");
    }
  }

  /** Two inputs: an 8x8x1 {@code image} and a per-item {@code gain} {@code [batch, 1]} scaling the logits. */
  public static Path twoInputs(Path dir) {
    Random rng = new Random(23);
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> image = tf.withName("image").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 8, 8, 1)));
      Placeholder<TFloat32> gain = tf.withName("gain").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 1)));
      Operand<TFloat32> kernel = variable(tf, "kernel", Shape.of(3, 3, 1, 4), random(rng, 36, 0.5));
      Operand<TFloat32> features = tf.withName("features").nn.relu(tf.nn.conv2d(image, kernel, List.of(1L, 1L, 1L, 1L), "SAME"));
      Operand<TFloat32> pooled = tf.math.mean(features, tf.constant(new int[] {1, 2}));
      Operand<TFloat32> dense = variable(tf, "dense", Shape.of(4, 2), random(rng, 8, 1.0));
      Operand<TFloat32> logits = tf.withName("logits").math.mul(tf.linalg.matMul(pooled, dense), gain);
      try (Session session = new Session(g)) {
        session.initialize();
        Signature signature = Signature.builder().key(Signature.DEFAULT_KEY)
            .input("image", image).input("gain", gain).output("logits", logits).build();
        SavedModelBundle.exporter(dir.toString()).withFunction(SessionFunction.create(signature, session)).export();
        return dir;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /**
   * conv -> ReLU ({@code features}) -> EnsureShape -> IdentityN -> mean -> dense logits: the two
   * pass-through ops Keras graphs carry, whose gradients explain4j registers.
   */
  public static Path passThroughOps(Path dir) {
    Random rng = new Random(31);
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> image = tf.withName("image").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 8, 8, 1)));
      Operand<TFloat32> kernel = variable(tf, "kernel", Shape.of(3, 3, 1, 4), random(rng, 36, 0.5));
      Operand<TFloat32> features = tf.withName("features").nn.relu(tf.nn.conv2d(image, kernel, List.of(1L, 1L, 1L, 1L), "SAME"));
      Operand<TFloat32> ensured = tf.withName("ensured").ensureShape(features, Shape.of(-1, 8, 8, 4));
      @SuppressWarnings("unchecked")
      Operand<TFloat32> passed = (Operand<TFloat32>) tf.withName("passed").identityN(List.of(ensured, ensured)).output().get(1);
      Operand<TFloat32> pooled = tf.withName("pooled").math.mean(tf.math.square(passed), tf.constant(new int[] {1, 2}));
      Operand<TFloat32> dense = variable(tf, "dense", Shape.of(4, 3), random(rng, 12, 1.0));
      return export(g, dir, image, tf.withName("logits").linalg.matMul(pooled, dense), "logits");
    }
  }

  /**
   * A function-based model like those TF2 saves: the signature's output comes from a call of
   * {@code outer}, which calls {@code inner} (conv -> ReLU {@code relu} -> mean); two outputs
   * ({@code logits}, {@code features}); the weights are variables of the top-level graph passed in.
   */
  public static Path functions(Path dir) {
    Random rng = new Random(37);
    org.tensorflow.ConcreteFunction inner = org.tensorflow.ConcreteFunction.create(tf -> {
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 8, 8, 1)));
      Placeholder<TFloat32> k = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(3, 3, 1, 4)));
      Operand<TFloat32> relu = tf.withName("relu").nn.relu(tf.withName("conv").nn.conv2d(x, k, List.of(1L, 1L, 1L, 1L), "SAME"));
      Operand<TFloat32> pooled = tf.withName("pooled").math.mean(relu, tf.constant(new int[] {1, 2}));
      return Signature.builder().key("inner").input("x", x).input("k", k).output("features", relu).output("pooled", pooled).build();
    });
    org.tensorflow.ConcreteFunction outer = org.tensorflow.ConcreteFunction.create(tf -> {
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 8, 8, 1)));
      Placeholder<TFloat32> k = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(3, 3, 1, 4)));
      Placeholder<TFloat32> d = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(4, 3)));
      java.util.Map<String, Operand<?>> r = inner.call(tf, java.util.Map.of("x", x, "k", k));
      @SuppressWarnings("unchecked")
      Operand<TFloat32> pooled = (Operand<TFloat32>) r.get("pooled");
      Operand<TFloat32> logits = tf.withName("logits").linalg.matMul(pooled, d);
      return Signature.builder().key("outer").input("x", x).input("k", k).input("d", d)
          .output("logits", logits).output("features", r.get("features")).build();
    });
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> image = tf.withName("image").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 8, 8, 1)));
      Operand<TFloat32> kernel = variable(tf, "kernel", Shape.of(3, 3, 1, 4), random(rng, 36, 0.5));
      Operand<TFloat32> dense = variable(tf, "dense", Shape.of(4, 3), random(rng, 12, 1.0));
      java.util.Map<String, Operand<?>> out = outer.call(tf, java.util.Map.of("x", image, "k", kernel, "d", dense));
      try (Session session = new Session(g)) {
        session.initialize();
        Signature signature = Signature.builder().key(Signature.DEFAULT_KEY).input("image", image)
            .output("logits", out.get("logits")).output("features", out.get("features")).build();
        SavedModelBundle.exporter(dir.toString()).withFunction(SessionFunction.create(signature, session)).export();
        return dir;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    } finally {
      outer.close();
      inner.close();
    }
  }

  /** Keras layer names of {@link #kerasLike}, in order. */
  public static final List<String> KERAS_LAYERS = List.of("conv2d", "max_pooling2d", "conv2d_1", "flatten", "dense");

  /**
   * A SavedModel shaped like a Keras Sequential saved by TF2: the signature calls a wrapper that
   * calls {@code __inference__wrapped_model}, whose body holds every layer as
   * {@code sequential/<layer>/<op>}, and the object graph lists the Keras layers by name.
   */
  public static Path kerasLike(Path dir) {
    kerasStyle(dir, "sequential", KERAS_LAYERS);
    addKerasObjectGraph(dir);
    return dir;
  }

  /** The {@link #kerasLike} graph with the model scope and layer scopes given (conv, pool, conv, flatten, dense). */
  private static Path kerasStyle(Path dir, String modelScope, List<String> scopes) {
    Random rng = new Random(41);
    float[] k1 = random(rng, 3 * 3 * 1 * 4, 0.5);
    float[] b1 = random(rng, 4, 0.05);
    float[] k2 = random(rng, 3 * 3 * 4 * 6, 0.3);
    float[] b2 = random(rng, 6, 0.05);
    float[] w = random(rng, 4 * 4 * 6 * 3, 0.2);
    org.tensorflow.ConcreteFunction model = org.tensorflow.ConcreteFunction.create(tf -> {
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 8, 8, 1)));
      Ops seq = tf.withSubScope(modelScope);
      Operand<TFloat32> h = kerasConv(seq.withSubScope(scopes.get(0)), x, k1, b1, 1, 4);
      h = seq.withSubScope(scopes.get(1)).withName("MaxPool").nn.maxPool(h, tf.constant(new int[] {1, 2, 2, 1}),
          tf.constant(new int[] {1, 2, 2, 1}), "VALID");
      h = kerasConv(seq.withSubScope(scopes.get(2)), h, k2, b2, 4, 6);
      h = seq.withSubScope(scopes.get(3)).withName("Reshape").reshape(h, tf.constant(new int[] {-1, 96}));
      Ops dense = seq.withSubScope(scopes.get(4));
      Operand<TFloat32> logits = dense.withName("MatMul").linalg.matMul(h, dense.constant(Shape.of(96, 3), DataBuffers.of(w, true, false)));
      Operand<TFloat32> out = dense.withName("Softmax").nn.softmax(logits);
      return Signature.builder().key("__inference__wrapped_model_1").input("input_1", x).output("dense", out).build();
    });
    org.tensorflow.ConcreteFunction wrapper = org.tensorflow.ConcreteFunction.create(tf -> {
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 8, 8, 1)));
      Operand<?> out = model.call(tf, x);
      return Signature.builder().key("__inference_signature_wrapper_2").input("input_1", x).output("dense", out).build();
    });
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> input = tf.withName("serving_default_input_1").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 8, 8, 1)));
      Operand<?> out = wrapper.call(tf, input);
      export(g, dir, input, out, "dense");
    } finally {
      wrapper.close();
      model.close();
    }
    return dir;
  }

  /**
   * {@link #kerasLike} as Keras 3's {@code model.export()} writes it: no Keras metadata, and every
   * layer's op scope carries a {@code _1} suffix under {@code sequential_1/} ({@code Conv1_1} for the
   * layer {@code Conv1}, {@code conv2d_5_1} for {@code conv2d_5}), same weights.
   */
  public static Path keras3Like(Path dir) {
    return kerasStyle(dir, "sequential_1", List.of("Conv1_1", "pool_1", "conv2d_5_1", "flatten_1", "dense_1"));
  }

  private static Operand<TFloat32> kerasConv(Ops layer, Operand<TFloat32> x, float[] k, float[] b, int in, int out) {
    Operand<TFloat32> conv = layer.withName("Conv2D").nn.conv2d(x, layer.constant(Shape.of(3, 3, in, out), DataBuffers.of(k, true, false)),
        List.of(1L, 1L, 1L, 1L), "SAME");
    Operand<TFloat32> biased = layer.withName("BiasAdd").nn.biasAdd(conv, layer.constant(Shape.of(out), DataBuffers.of(b, true, false)));
    return layer.withName("Relu").nn.relu(biased);
  }

  /** Writes Keras user objects (and a metric, as TF 2.0 did) into the SavedModel's object graph. */
  private static void addKerasObjectGraph(Path dir) {
    Path pb = dir.resolve("saved_model.pb");
    try {
      org.tensorflow.proto.SavedModel saved = org.tensorflow.proto.SavedModel.parseFrom(java.nio.file.Files.readAllBytes(pb));
      var graph = org.tensorflow.proto.SavedObjectGraphOuterClass.SavedObjectGraph.newBuilder();
      graph.addNodes(kerasObject("_tf_keras_sequential", "sequential"));
      KERAS_LAYERS.forEach(name -> graph.addNodes(kerasObject("_tf_keras_layer", name)));
      graph.addNodes(kerasObject("_tf_keras_metric", "accuracy"));
      var meta = saved.getMetaGraphs(0).toBuilder().setObjectGraphDef(graph);
      java.nio.file.Files.write(pb, saved.toBuilder().setMetaGraphs(0, meta).build().toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * {@link #kerasLike} as TF 2.5 to 2.15 save it: the object graph's user objects carry no metadata,
   * and the layer names live in {@code keras_metadata.pb} (Keras' SavedMetadata: repeated nodes,
   * field 1, each with an identifier, field 4, and a metadata JSON, field 5), written here field by field.
   */
  public static Path kerasLikeWithMetadataFile(Path dir) {
    kerasLike(dir);
    Path pb = dir.resolve("saved_model.pb");
    try {
      org.tensorflow.proto.SavedModel saved = org.tensorflow.proto.SavedModel.parseFrom(java.nio.file.Files.readAllBytes(pb));
      var graph = saved.getMetaGraphs(0).getObjectGraphDef().toBuilder();
      com.google.protobuf.UnknownFieldSet.Builder metadata = com.google.protobuf.UnknownFieldSet.newBuilder();
      com.google.protobuf.UnknownFieldSet.Field.Builder nodes = com.google.protobuf.UnknownFieldSet.Field.newBuilder();
      for (int i = 0; i < graph.getNodesCount(); i++) {
        var user = graph.getNodes(i).getUserObject();
        com.google.protobuf.UnknownFieldSet node = com.google.protobuf.UnknownFieldSet.newBuilder()
            .addField(2, com.google.protobuf.UnknownFieldSet.Field.newBuilder().addVarint(i).build())
            .addField(4, com.google.protobuf.UnknownFieldSet.Field.newBuilder()
                .addLengthDelimited(com.google.protobuf.ByteString.copyFromUtf8(user.getIdentifier())).build())
            .addField(5, com.google.protobuf.UnknownFieldSet.Field.newBuilder()
                .addLengthDelimited(com.google.protobuf.ByteString.copyFromUtf8(user.getMetadata())).build())
            .build();
        nodes.addLengthDelimited(node.toByteString());
        graph.setNodes(i, graph.getNodes(i).toBuilder().setUserObject(user.toBuilder().setMetadata("")));
      }
      metadata.addField(1, nodes.build());
      java.nio.file.Files.write(dir.resolve("keras_metadata.pb"), metadata.build().toByteArray());
      var meta = saved.getMetaGraphs(0).toBuilder().setObjectGraphDef(graph);
      java.nio.file.Files.write(pb, saved.toBuilder().setMetaGraphs(0, meta).build().toByteArray());
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static org.tensorflow.proto.SavedObjectGraphOuterClass.SavedObject kerasObject(String identifier, String name) {
    return org.tensorflow.proto.SavedObjectGraphOuterClass.SavedObject.newBuilder()
        .setUserObject(org.tensorflow.proto.SavedObjectGraphOuterClass.SavedUserObject.newBuilder()
            .setIdentifier(identifier)
            .setMetadata("{\"class_name\": \"X\", \"name\": \"" + name + "\", \"config\": {\"name\": \"" + name + "\"}}"))
        .build();
  }

  /**
   * Resource variables as TF2 keeps them: {@code VarHandleOp}s in the top-level graph, passed as
   * {@code DT_RESOURCE} arguments through {@code outer} into {@code inner}, read there with
   * {@code ReadVariableOp} (inner: conv -> ReLU {@code relu} -> mean; outer: dense). TensorFlow
   * Java's exporter does not save resource variables, so the checkpoint and the {@code saver_def}
   * are written here, as TF2 writes them: a restore op that assigns the handles.
   */
  public static Path resourceVariables(Path dir) {
    Random rng = new Random(43);
    float[] kernelValues = random(rng, 3 * 3 * 1 * 4, 0.5);
    float[] denseValues = random(rng, 4 * 3, 1.0);
    org.tensorflow.ConcreteFunction inner = org.tensorflow.ConcreteFunction.create(tf -> {
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 8, 8, 1)));
      Operand<?> k = resourcePlaceholder(tf, "k");
      @SuppressWarnings({"unchecked", "rawtypes"})
      Operand<TFloat32> kernel = tf.readVariableOp((Operand) k, TFloat32.class);
      Operand<TFloat32> relu = tf.withName("relu").nn.relu(tf.nn.conv2d(x, kernel, List.of(1L, 1L, 1L, 1L), "SAME"));
      return Signature.builder().key("inner").input("x", x).input("k", k)
          .output("pooled", tf.math.mean(relu, tf.constant(new int[] {1, 2}))).build();
    });
    org.tensorflow.ConcreteFunction outer = org.tensorflow.ConcreteFunction.create(tf -> {
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 8, 8, 1)));
      Operand<?> k = resourcePlaceholder(tf, "k");
      Operand<?> d = resourcePlaceholder(tf, "d");
      @SuppressWarnings("unchecked")
      Operand<TFloat32> pooled = (Operand<TFloat32>) inner.call(tf, java.util.Map.of("x", x, "k", k)).get("pooled");
      @SuppressWarnings({"unchecked", "rawtypes"})
      Operand<TFloat32> dense = tf.readVariableOp((Operand) d, TFloat32.class);
      return Signature.builder().key("outer").input("x", x).input("k", k).input("d", d)
          .output("logits", tf.withName("logits").linalg.matMul(pooled, dense)).build();
    });
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> image = tf.withName("image").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 8, 8, 1)));
      var kernel = tf.withName("kernel").varHandleOp(TFloat32.class, Shape.of(3, 3, 1, 4), org.tensorflow.op.core.VarHandleOp.sharedName("kernel"));
      var dense = tf.withName("dense").varHandleOp(TFloat32.class, Shape.of(4, 3), org.tensorflow.op.core.VarHandleOp.sharedName("dense"));
      Operand<?> logits = outer.call(tf, java.util.Map.of("x", image, "k", kernel, "d", dense)).get("logits");
      // Checkpoint ops, named as the saver_def below says.
      Placeholder<org.tensorflow.types.TString> file = tf.withName("saver_filename").placeholder(org.tensorflow.types.TString.class);
      Operand<org.tensorflow.types.TString> names = tf.constant(org.tensorflow.ndarray.NdArrays.vectorOfObjects("kernel", "dense"));
      Operand<org.tensorflow.types.TString> slices = tf.constant(org.tensorflow.ndarray.NdArrays.vectorOfObjects("", ""));
      var save = tf.withName("save_all").train.save(file, names, slices,
          List.of(tf.readVariableOp(kernel, TFloat32.class), tf.readVariableOp(dense, TFloat32.class)));
      var restored = tf.train.restore(file, names, slices, List.of(TFloat32.class, TFloat32.class));
      var assignKernel = tf.assignVariableOp(kernel, restored.tensors().get(0));
      var assignDense = tf.assignVariableOp(dense, restored.tensors().get(1));
      tf.withControlDependencies(List.of(assignKernel, assignDense)).withName("restore_all").noOp();
      try (Session session = new Session(g)) {
        session.runner().addTarget(tf.assignVariableOp(kernel, tf.constant(Shape.of(3, 3, 1, 4), DataBuffers.of(kernelValues, true, false))))
            .addTarget(tf.assignVariableOp(dense, tf.constant(Shape.of(4, 3), DataBuffers.of(denseValues, true, false)))).run().close();
        Signature signature = Signature.builder().key(Signature.DEFAULT_KEY).input("image", image).output("logits", logits).build();
        SavedModelBundle.exporter(dir.toString()).withFunction(SessionFunction.create(signature, session)).export();
        try (var prefix = org.tensorflow.types.TString.scalarOf(dir.resolve("variables").resolve("variables").toString())) {
          session.runner().feed(file, prefix).addTarget(save).run().close();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      outer.close();
      inner.close();
    }
    try {
      Path pb = dir.resolve("saved_model.pb");
      org.tensorflow.proto.SavedModel saved = org.tensorflow.proto.SavedModel.parseFrom(java.nio.file.Files.readAllBytes(pb));
      var saver = org.tensorflow.proto.SaverDef.newBuilder().setFilenameTensorName("saver_filename:0")
          .setSaveTensorName("save_all").setRestoreOpName("restore_all").setVersion(org.tensorflow.proto.SaverDef.CheckpointFormatVersion.V2);
      var meta = saved.getMetaGraphs(0).toBuilder().setSaverDef(saver);
      java.nio.file.Files.write(pb, saved.toBuilder().setMetaGraphs(0, meta).build().toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dir;
  }

  /** A DT_RESOURCE placeholder: TensorFlow Java has no typed class for resources. */
  private static Operand<?> resourcePlaceholder(Ops tf, String name) {
    return ((Graph) tf.scope().env()).opBuilder("Placeholder", name, tf.scope())
        .setAttr("dtype", org.tensorflow.proto.DataType.DT_RESOURCE).build().output(0);
  }

  public static final int TEXT_LENGTH = 10;
  public static final int VOCABULARY = 20;

  /**
   * A word-level text CNN: int32 ids {@code [batch, 10]} -> embedding (gather) -> conv1d as conv2d
   * on expanded dims (width 3, 6 channels) -> ReLU ({@code features}, {@code [batch, 10, 6]}) ->
   * max over time -> dense -> Softmax over 2 classes.
   */
  public static Path textCnn(Path dir) {
    Random rng = new Random(47);
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<org.tensorflow.types.TInt32> ids = tf.withName("ids").placeholder(org.tensorflow.types.TInt32.class,
          Placeholder.shape(Shape.of(-1, TEXT_LENGTH)));
      Operand<TFloat32> embedding = variable(tf, "embedding", Shape.of(VOCABULARY, 4), random(rng, VOCABULARY * 4, 1.0));
      Operand<TFloat32> embedded = tf.withName("embedded").gather(embedding, ids, tf.constant(0));
      Operand<TFloat32> expanded = tf.expandDims(embedded, tf.constant(1));
      Operand<TFloat32> kernel = variable(tf, "kernel", Shape.of(1, 3, 4, 6), random(rng, 72, 0.5));
      Operand<TFloat32> conv = tf.withName("conv").nn.conv2d(expanded, kernel, List.of(1L, 1L, 1L, 1L), "SAME");
      Operand<TFloat32> squeezed = tf.withName("squeeze").squeeze(conv, org.tensorflow.op.core.Squeeze.axis(List.of(1L)));
      Operand<TFloat32> features = tf.withName("features").nn.relu(squeezed);
      Operand<TFloat32> pooled = tf.withName("pooled").max(features, tf.constant(1));
      Operand<TFloat32> dense = variable(tf, "dense", Shape.of(6, 2), random(rng, 12, 1.0));
      Operand<TFloat32> logits = tf.withName("logits").linalg.matMul(pooled, dense);
      try (Session session = new Session(g)) {
        session.initialize();
        Signature signature = Signature.builder().key(Signature.DEFAULT_KEY).input("ids", ids)
            .output("probabilities", tf.withName("probabilities").nn.softmax(logits)).build();
        SavedModelBundle.exporter(dir.toString()).withFunction(SessionFunction.create(signature, session)).export();
        return dir;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** The vocabulary of {@link #textVectorized}: id i + 2 is word i (0 pads, 1 is out of vocabulary), as Keras' StringLookup numbers them. */
  public static final List<String> TEXT_VOCABULARY = List.of("the", "movie", "was", "wonderful", "awful", "plot", "acting", "great",
      "boring", "and", "but", "not", "very", "a", "film", "good", "bad", "story");

  /**
   * A text classifier that takes raw sentences, as Keras' TextVectorization layer builds one: a
   * string input {@code text} {@code [batch]} split on spaces, each word looked up in a hash table
   * filled by the model's initialiser ({@link #TEXT_VOCABULARY}: id 2 onwards, 1 for unknown
   * words, 0 for padding), padded to {@link #TEXT_LENGTH} ids, then {@link #textCnn}'s layers
   * (embedding, conv1d, ReLU {@code features} {@code [batch, 10, 6]}, max over time, dense, Softmax).
   */
  public static Path textVectorized(Path dir) {
    Random rng = new Random(47);
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<org.tensorflow.types.TString> text = tf.withName("text").placeholder(org.tensorflow.types.TString.class,
          Placeholder.shape(Shape.of(-1)));
      org.tensorflow.op.core.HashTable table = tf.withSubScope("string_lookup").withName("hash_table").hashTable(org.tensorflow.types.TString.class,
          org.tensorflow.types.TInt64.class);
      long[] ids = new long[TEXT_VOCABULARY.size()];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = i + 2;
      }
      tf.withInitScope().withSubScope("string_lookup").withName("table_init").lookupTableImport(table,
          tf.withInitScope().constant(org.tensorflow.ndarray.NdArrays.vectorOfObjects(TEXT_VOCABULARY.toArray(new String[0]))),
          tf.withInitScope().constant(ids));
      org.tensorflow.op.strings.StringSplit split = tf.withSubScope("text_vectorization").withName("StringSplit").strings.stringSplit(
          tf.strings.lower(text), tf.constant(" "));
      Operand<org.tensorflow.types.TInt64> looked = tf.withSubScope("string_lookup").withName("LookupTableFindV2").lookupTableFind(table,
          split.values(), tf.constant(1L));
      Operand<org.tensorflow.types.TInt64> shape = tf.concat(List.of(tf.slice(split.shape(), tf.constant(new long[] {0}),
          tf.constant(new long[] {1})), tf.constant(new long[] {TEXT_LENGTH})), tf.constant(0));
      Operand<org.tensorflow.types.TInt64> padded = tf.withSubScope("text_vectorization").withName("SparseToDense").sparse.sparseToDense(
          split.indices(), shape, looked, tf.constant(0L));
      Operand<org.tensorflow.types.TInt32> wordIds = tf.dtypes.cast(padded, org.tensorflow.types.TInt32.class);
      Operand<TFloat32> embedding = variable(tf, "embedding", Shape.of(VOCABULARY, 4), random(rng, VOCABULARY * 4, 1.0));
      Operand<TFloat32> embedded = tf.withName("embedded").gather(embedding, wordIds, tf.constant(0));
      Operand<TFloat32> expanded = tf.expandDims(embedded, tf.constant(1));
      Operand<TFloat32> kernel = variable(tf, "kernel", Shape.of(1, 3, 4, 6), random(rng, 72, 0.5));
      Operand<TFloat32> conv = tf.withName("conv").nn.conv2d(expanded, kernel, List.of(1L, 1L, 1L, 1L), "SAME");
      Operand<TFloat32> features = tf.withName("features").nn.relu(tf.withName("squeeze").squeeze(conv,
          org.tensorflow.op.core.Squeeze.axis(List.of(1L))));
      Operand<TFloat32> pooled = tf.withName("pooled").max(features, tf.constant(1));
      Operand<TFloat32> dense = variable(tf, "dense", Shape.of(6, 2), random(rng, 12, 1.0));
      export(g, dir, text, tf.withName("probabilities").nn.softmax(tf.linalg.matMul(pooled, dense)), "probabilities");
    }
    addInitOp(dir, "LookupTableImportV2");
    return dir;
  }

  /**
   * Declares the SavedModel's init op as TF2 writes one: a NoOp that runs every op of type
   * {@code initializerType}, named by the signature {@code __saved_model_init_op}. Loaders run it after restoring variables;
   * without it a lookup table stays empty ("Table not initialized").
   */
  private static void addInitOp(Path dir, String initializerType) {
    Path pb = dir.resolve("saved_model.pb");
    try {
      org.tensorflow.proto.SavedModel saved = org.tensorflow.proto.SavedModel.parseFrom(java.nio.file.Files.readAllBytes(pb));
      var meta = saved.getMetaGraphs(0).toBuilder();
      var init = org.tensorflow.proto.NodeDef.newBuilder().setName("saved_model_init").setOp("NoOp");
      meta.getGraphDef().getNodeList().stream().filter(n -> n.getOp().equals(initializerType)).forEach(n -> init.addInput("^" + n.getName()));
      meta.getGraphDefBuilder().addNode(init);
      meta.putSignatureDef("__saved_model_init_op", org.tensorflow.proto.SignatureDef.newBuilder()
          .putOutputs("__saved_model_init_op", org.tensorflow.proto.TensorInfo.newBuilder().setName("saved_model_init").build()).build());
      java.nio.file.Files.write(pb, saved.toBuilder().setMetaGraphs(0, meta).build().toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * {@link #textCnn} after its embedding: float vectors {@code [batch, 10, 4]} in (a pre-embedded
   * sequence, as sentence-encoder outputs are) -> conv1d -> ReLU ({@code features}) -> max over
   * time -> dense -> Softmax over 2 classes.
   */
  public static Path embeddedSequence(Path dir) {
    Random rng = new Random(53);
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> vectors = tf.withName("vectors").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, TEXT_LENGTH, 4)));
      Operand<TFloat32> expanded = tf.expandDims(vectors, tf.constant(1));
      Operand<TFloat32> kernel = variable(tf, "kernel", Shape.of(1, 3, 4, 6), random(rng, 72, 0.5));
      Operand<TFloat32> conv = tf.withName("conv").nn.conv2d(expanded, kernel, List.of(1L, 1L, 1L, 1L), "SAME");
      Operand<TFloat32> features = tf.withName("features").nn.relu(tf.squeeze(conv, org.tensorflow.op.core.Squeeze.axis(List.of(1L))));
      Operand<TFloat32> pooled = tf.withName("pooled").max(features, tf.constant(1));
      Operand<TFloat32> dense = variable(tf, "dense", Shape.of(6, 2), random(rng, 12, 1.0));
      return export(g, dir, vectors, tf.withName("probabilities").nn.softmax(tf.linalg.matMul(pooled, dense)), "probabilities");
    }
  }

  /**
   * A ResNet of depth 18 (basic blocks) or 50 (bottleneck blocks) on 224x224x3 images with 1000
   * classes: random but fixed weights (seeded initialisers), BatchNorm in inference mode
   * (FusedBatchNormV3), as a benchmark fixture. The last block's output is
   * {@code layer4/block<n>/out} (7x7x512 or 7x7x2048).
   */
  public static Path resnet(Path dir, int depth) {
    if (depth != 18 && depth != 50) {
      throw new IllegalArgumentException("ResNet depth 18 or 50, got " + depth);
    }
    int[] blocks = depth == 18 ? new int[] {2, 2, 2, 2} : new int[] {3, 4, 6, 3};
    boolean bottleneck = depth == 50;
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      long[] seed = {1};
      Placeholder<TFloat32> image = tf.withName("image").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 224, 224, 3)));
      Operand<TFloat32> x = convBn(tf.withSubScope("stem"), image, 7, 3, 64, 2, true, seed, 1f);
      x = tf.withName("pool").nn.maxPool(x, tf.constant(new int[] {1, 3, 3, 1}), tf.constant(new int[] {1, 2, 2, 1}), "SAME");
      int in = 64;
      for (int stage = 0; stage < 4; stage++) {
        int width = 64 << stage;
        int out = bottleneck ? width * 4 : width;
        Ops layer = tf.withSubScope("layer" + (stage + 1));
        for (int b = 0; b < blocks[stage]; b++) {
          Ops block = layer.withSubScope("block" + (b + 1));
          int stride = b == 0 && stage > 0 ? 2 : 1;
          Operand<TFloat32> shortcut = in == out && stride == 1 ? x
              : convBn(block.withSubScope("shortcut"), x, 1, in, out, stride, false, seed, 1f);
          Operand<TFloat32> y;
          if (bottleneck) {
            y = convBn(block.withSubScope("conv1"), x, 1, in, width, 1, true, seed, 1f);
            y = convBn(block.withSubScope("conv2"), y, 3, width, width, stride, true, seed, 1f);
            y = convBn(block.withSubScope("conv3"), y, 1, width, out, 1, false, seed, 0.5f);
          } else {
            y = convBn(block.withSubScope("conv1"), x, 3, in, width, stride, true, seed, 1f);
            y = convBn(block.withSubScope("conv2"), y, 3, width, width, 1, false, seed, 0.5f);
          }
          x = block.withName("out").nn.relu(block.withName("add").math.add(y, shortcut));
          in = out;
        }
      }
      Operand<TFloat32> pooled = tf.withName("avgpool").math.mean(x, tf.constant(new int[] {1, 2}));
      Operand<TFloat32> w = tf.withSubScope("fc").withName("kernel").variable(randomInit(tf, Shape.of(in, 1000), Math.sqrt(1.0 / in), seed));
      Operand<TFloat32> logits = tf.withName("logits").math.add(tf.linalg.matMul(pooled, w), tf.constant(new float[1000]));
      return export(g, dir, image, tf.withName("probabilities").nn.softmax(logits), "probabilities");
    }
  }

  private static Operand<TFloat32> randomInit(Ops tf, Shape shape, double stddev, long[] seed) {
    return tf.math.mul(tf.random.randomStandardNormal(tf.constant(shape.asArray()), TFloat32.class,
        org.tensorflow.op.random.RandomStandardNormal.seed(seed[0]++), org.tensorflow.op.random.RandomStandardNormal.seed2(7L)),
        tf.constant((float) stddev));
  }

  /** conv (no bias) -> BatchNorm (inference) -> optional ReLU, under the given scope. */
  private static Operand<TFloat32> convBn(Ops s, Operand<TFloat32> x, int k, int in, int out, int stride, boolean relu,
      long[] seed, float gamma) {
    Operand<TFloat32> kernel = s.withName("kernel").variable(randomInit(s, Shape.of(k, k, in, out), Math.sqrt(2.0 / (k * k * in)), seed));
    Operand<TFloat32> conv = s.withName("conv").nn.conv2d(x, kernel, List.of(1L, (long) stride, (long) stride, 1L), "SAME");
    float[] ones = new float[out];
    java.util.Arrays.fill(ones, gamma);
    float[] var = new float[out];
    java.util.Arrays.fill(var, 1f);
    Operand<TFloat32> bn = s.withName("bn").nn.fusedBatchNorm(conv, s.constant(ones), s.constant(new float[out]),
        s.constant(new float[out]), s.constant(var), org.tensorflow.op.nn.FusedBatchNorm.isTraining(false)).y();
    return relu ? s.withName("relu").nn.relu(bn) : bn;
  }

  /**
   * A ResNet-sized last layer on 224x224x3 images at little cost: 32x32 average pooling to 7x7x3,
   * a 1x1 convolution to 2048 channels + ReLU ({@code features}, 7x7x2048, the explained layer),
   * global average pooling, dense to 10 classes, Softmax.
   */
  public static Path wide(Path dir) {
    Random rng = new Random(17);
    int c = 2048;
    int k = 10;
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> image = tf.withName("image").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 224, 224, 3)));
      Operand<TFloat32> pooled = tf.withName("pool").nn.avgPool(image, List.of(1L, 32L, 32L, 1L), List.of(1L, 32L, 32L, 1L), "VALID");
      Operand<TFloat32> kernel = variable(tf, "kernel", Shape.of(1, 1, 3, c), random(rng, 3 * c, 1.0));
      Operand<TFloat32> bias = variable(tf, "bias", Shape.of(c), random(rng, c, 0.1));
      Operand<TFloat32> conv = tf.withName("conv").nn.conv2d(pooled, kernel, List.of(1L, 1L, 1L, 1L), "SAME");
      Operand<TFloat32> features = tf.withName("features").nn.relu(tf.withName("conv_bias").nn.biasAdd(conv, bias));
      Operand<TFloat32> gap = tf.withName("gap").math.mean(features, tf.constant(new int[] {1, 2}));
      Operand<TFloat32> dense = variable(tf, "dense", Shape.of(c, k), random(rng, c * k, Math.sqrt(1.0 / c)));
      Operand<TFloat32> logits = tf.withName("logits").linalg.matMul(gap, dense);
      return export(g, dir, image, tf.withName("probabilities").nn.softmax(logits), "probabilities");
    }
  }

  /**
   * A frozen GraphDef in the TF-slim style, written to {@code file}: constants only, no signature,
   * one placeholder {@code input} [-1, 8, 8, 3], scopes {@code Net/Conv2d_1} (conv 3x3, 4 channels,
   * BiasAdd, Relu6: the spatial layer) and {@code Net/Logits} (spatial mean, dense to 5 classes),
   * and an output {@code Net/Predictions/Reshape_1} = Reshape(Softmax(Reshape(logits))).
   */
  public static Path frozenSlim(Path file) {
    return frozenSlim(file, -1, -1);
  }

  /**
   * {@link #frozenSlim(Path)} with the placeholder declaring {@code declaredBatch} (-1: free) and,
   * for {@code reshapeBatch} 1, the output reshaped to {@code [1, -1]}: a graph that depends on its
   * batch of one (a batch of two would come out as one row of ten).
   */
  public static Path frozenSlim(Path file, long declaredBatch, int reshapeBatch) {
    Random rng = new Random(23);
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> image = tf.withName("input").placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(declaredBatch, 8, 8, 3)));
      Ops net = tf.withSubScope("Net");
      Ops conv = net.withSubScope("Conv2d_1");
      Operand<TFloat32> kernel = frozenKernel(conv, 3, 4, rng);
      Operand<TFloat32> bias = conv.withName("biases").constant(Shape.of(4), DataBuffers.of(random(rng, 4, 0.1), true, false));
      Operand<TFloat32> features = conv.withName("Relu6").nn.relu6(conv.withName("BiasAdd").nn.biasAdd(
          conv.withName("Conv2D").nn.conv2d(image, kernel, List.of(1L, 1L, 1L, 1L), "SAME"), bias));
      Ops logitsScope = net.withSubScope("Logits");
      Operand<TFloat32> pooled = logitsScope.withName("Mean").math.mean(features, logitsScope.constant(new int[] {1, 2}));
      Operand<TFloat32> dense = logitsScope.withName("weights").constant(Shape.of(4, 5), DataBuffers.of(random(rng, 20, 1.0), true, false));
      Operand<TFloat32> logits = logitsScope.withName("SpatialSqueeze").linalg.matMul(pooled, dense);
      Ops predictions = net.withSubScope("Predictions");
      Operand<TFloat32> flat = predictions.withName("Reshape").reshape(logits, predictions.constant(new int[] {-1, 5}));
      Operand<TFloat32> softmax = predictions.withName("Softmax").nn.softmax(flat);
      // A batch fixed at 1 here flattens the whole batch into one row, as graphs traced with batch 1 can.
      predictions.withName("Reshape_1").reshape(softmax, predictions.constant(reshapeBatch == 1 ? new int[] {1, -1} : new int[] {-1, 5}));
      return writeFrozen(g, file);
    }
  }

  /**
   * A frozen graph shaped as TF's {@code retrain.py} (TF for Poets) writes one: a conv net
   * ({@code Mul/input} in, {@code module/conv/Relu}), its global average pool as the bottleneck, an unfed
   * {@code input/BottleneckInputPlaceholder} (PlaceholderWithDefault over the bottleneck, or a plain
   * Identity when {@code withDefault} is false: the reference), and a new head
   * {@code final_training_ops/Wx_plus_b/add} -> {@code final_result} (Softmax, 3 classes).
   */
  public static Path frozenRetrain(Path file, boolean withDefault) {
    Random rng = new Random(29);
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> image = tf.withSubScope("Mul").withName("input").placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(-1, 12, 12, 3)));
      Ops conv = tf.withSubScope("module").withSubScope("conv");
      Operand<TFloat32> kernel = frozenKernel(conv, 3, 6, rng);
      Operand<TFloat32> features = conv.withName("Relu").nn.relu(conv.withName("Conv2D").nn.conv2d(image, kernel, List.of(1L, 1L, 1L, 1L),
          "SAME"));
      Operand<TFloat32> pooled = tf.withSubScope("module").withName("pool").math.mean(features, tf.constant(new int[] {1, 2}));
      Ops input = tf.withSubScope("input");
      Operand<TFloat32> bottleneck = withDefault
          ? input.withName("BottleneckInputPlaceholder").placeholderWithDefault(pooled, Shape.of(-1, 6))
          : input.withName("BottleneckInputPlaceholder").identity(pooled);
      Ops head = tf.withSubScope("final_training_ops").withSubScope("Wx_plus_b");
      Operand<TFloat32> w = head.withName("weights").constant(Shape.of(6, 3), DataBuffers.of(random(rng, 18, 1.0), true, false));
      Operand<TFloat32> b = head.withName("biases").constant(Shape.of(3), DataBuffers.of(random(rng, 3, 0.1), true, false));
      Operand<TFloat32> logits = head.withName("add").math.add(head.withName("MatMul").linalg.matMul(bottleneck, w), b);
      tf.withName("final_result").nn.softmax(logits);
      return writeFrozen(g, file);
    }
  }

  /**
   * Images of any size ({@code [-1, -1, -1, 3]}): conv1 (3x3, 8) + ReLU, conv2 (3x3, 8) + ReLU
   * ({@code conv2/Relu}, the spatial layer), global average pooling, dense to 4 classes, Softmax.
   */
  public static Path anySize(Path dir) {
    Random rng = new Random(29);
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> image = tf.withName("image").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, -1, 3)));
      Operand<TFloat32> x = conv(tf, "conv1", image, 3, 8, rng);
      x = conv(tf, "conv2", x, 8, 8, rng);
      Operand<TFloat32> pooled = tf.withName("gap").math.mean(x, tf.constant(new int[] {1, 2}));
      Operand<TFloat32> dense = variable(tf, "dense", Shape.of(8, CLASSES), random(rng, 8 * CLASSES, 1.0));
      Operand<TFloat32> logits = tf.withName("logits").linalg.matMul(pooled, dense);
      return export(g, dir, image, tf.withName("probabilities").nn.softmax(logits), "probabilities");
    }
  }

  /**
   * Channels-first image input {@code [-1, 3, 8, 8]}, as PyTorch-exported models take: transposed
   * to channels last in the graph, conv (3x3, 4) + ReLU ({@code features}), mean, dense to 3
   * classes, Softmax.
   */
  public static Path nchwInput(Path dir) {
    return nchwOrTwin(dir, true);
  }

  /**
   * {@link #nchwInput}'s twin with the same weights taking channels-last images {@code [batch, 8, 8, 3]}
   * (no transpose): every map and metric must be the same on both for the same pictures.
   */
  public static Path nhwcTwinOfNchw(Path dir) {
    return nchwOrTwin(dir, false);
  }

  private static Path nchwOrTwin(Path dir, boolean channelsFirst) {
    Random rng = new Random(31);
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> image = tf.withName("image").placeholder(TFloat32.class,
          Placeholder.shape(channelsFirst ? Shape.of(-1, 3, 8, 8) : Shape.of(-1, 8, 8, 3)));
      Operand<TFloat32> nhwc = channelsFirst ? tf.withName("to_nhwc").linalg.transpose(image, tf.constant(new int[] {0, 2, 3, 1}))
          : tf.withName("to_nhwc").identity(image);
      Operand<TFloat32> kernel = variable(tf, "kernel", Shape.of(3, 3, 3, 4), random(rng, 108, 0.5));
      Operand<TFloat32> features = tf.withName("features").nn.relu(tf.withName("conv").nn.conv2d(nhwc, kernel, List.of(1L, 1L, 1L, 1L), "SAME"));
      Operand<TFloat32> pooled = tf.withName("gap").math.mean(features, tf.constant(new int[] {1, 2}));
      Operand<TFloat32> dense = variable(tf, "dense", Shape.of(4, 3), random(rng, 12, 1.0));
      return export(g, dir, image, tf.withName("probabilities").nn.softmax(tf.withName("logits").linalg.matMul(pooled, dense)), "probabilities");
    }
  }

  /**
   * A vision-transformer block on 8x8x3 images: 2x2 patches embedded by a stride-2 convolution
   * (16 patch tokens of 8 channels), a class token prepended ({@code with_cls}, {@code [batch, 17,
   * 8]}: the token layer to explain, since its patch tokens reach the class token through the
   * attention), one self-attention layer with a residual ({@code block_out}), and a dense head on
   * the class token, Softmax over 3 classes. Attention is written with broadcasting products, so every
   * op has a registered gradient.
   */
  public static Path tinyVit(Path dir) {
    Random rng = new Random(37);
    int d = 8;
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> image = tf.withName("image").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 8, 8, 3)));
      Operand<TFloat32> patchKernel = variable(tf, "patch_kernel", Shape.of(2, 2, 3, d), random(rng, 12 * d, 0.5));
      Operand<TFloat32> patches = tf.withName("patches").nn.conv2d(image, patchKernel, List.of(1L, 2L, 2L, 1L), "VALID");
      Operand<TFloat32> tokens = tf.withName("tokens").reshape(patches, tf.constant(new int[] {-1, 16, d}));
      Operand<TFloat32> first = tf.slice(tokens, tf.constant(new int[] {0, 0, 0}), tf.constant(new int[] {-1, 1, -1}));
      Operand<TFloat32> cls = tf.withName("cls").math.add(tf.zerosLike(first),
          tf.constant(Shape.of(1, 1, d), DataBuffers.of(random(rng, d, 1.0), true, false)));
      Operand<TFloat32> x = tf.withName("with_cls").concat(List.of(cls, tokens), tf.constant(1));
      Operand<TFloat32> q = project(tf, "q", x, d, rng);
      Operand<TFloat32> k = project(tf, "k", x, d, rng);
      Operand<TFloat32> v = project(tf, "v", x, d, rng);
      // scores[b, i, j] = q[b, i] . k[b, j] / sqrt(d)
      Operand<TFloat32> scores = tf.withName("scores").math.div(tf.sum(tf.math.mul(tf.expandDims(q, tf.constant(2)),
          tf.expandDims(k, tf.constant(1))), tf.constant(3)), tf.constant((float) Math.sqrt(d)));
      Operand<TFloat32> attention = tf.withName("attention").nn.softmax(scores);
      Operand<TFloat32> mixed = tf.sum(tf.math.mul(tf.expandDims(attention, tf.constant(3)), tf.expandDims(v, tf.constant(1))),
          tf.constant(2));
      Operand<TFloat32> block = tf.withName("block_out").math.add(x, mixed);
      Operand<TFloat32> clsOut = tf.reshape(tf.slice(block, tf.constant(new int[] {0, 0, 0}), tf.constant(new int[] {-1, 1, -1})),
          tf.constant(new int[] {-1, d}));
      Operand<TFloat32> head = variable(tf, "head", Shape.of(d, 3), random(rng, 3 * d, 1.0));
      Operand<TFloat32> logits = tf.withName("logits").linalg.matMul(clsOut, head);
      return export(g, dir, image, tf.withName("probabilities").nn.softmax(logits), "probabilities");
    }
  }

  /** x [batch, tokens, d] times a d x d matrix, token by token. */
  private static Operand<TFloat32> project(Ops tf, String name, Operand<TFloat32> x, int d, Random rng) {
    Operand<TFloat32> w = variable(tf, name + "_weights", Shape.of(d, d), random(rng, d * d, Math.sqrt(1.0 / d)));
    Operand<TFloat32> flat = tf.reshape(x, tf.constant(new int[] {-1, d}));
    return tf.withName(name).reshape(tf.linalg.matMul(flat, w), tf.constant(new int[] {-1, 17, d}));
  }

  /** Exports the graph, its variables initialised, with the signature {@code image -> outputKey}. */
  /** Writes {@code g} as a frozen GraphDef ({@code .pb}: constants only, no signature) to {@code file}. */
  private static Path writeFrozen(Graph g, Path file) {
    try {
      java.nio.file.Files.createDirectories(file.toAbsolutePath().getParent());
      java.nio.file.Files.write(file, g.toGraphDef().toByteArray());
      return file;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  public static Path export(Graph g, Path dir, Operand<?> input, Operand<?> output, String outputKey) {
    try (Session session = new Session(g)) {
      session.initialize();
      Signature signature = Signature.builder().key(Signature.DEFAULT_KEY)
          .input("image", input).output(outputKey, output).build();
      return SavedModels.export(session, dir, signature);
    }
  }

  /** The values of a batch of random images for the CNN, {@code [batch, H, W, 3]}. */
  public static float[] imageValues(int batch, long seed) {
    return random(new Random(seed), batch * H * W * 3, 1.0);
  }
}
