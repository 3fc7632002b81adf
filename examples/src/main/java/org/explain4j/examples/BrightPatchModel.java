package org.explain4j.examples;

import java.io.IOException;
import java.nio.file.Files;
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

/**
 * The embedded default model: a small hand-weighted CNN that tells whether a 32x32 grayscale image
 * holds a bright patch. Its first filter responds to local brightness, so a correct explanation of
 * "bright patch" points at the patch; the demo checks that it does.
 *
 * <p>Built from Java into a directory on first use: nothing is downloaded.
 */
public final class BrightPatchModel {
  public static final int SIZE = 32;
  public static final int PATCH = 8;
  public static final List<String> LABELS = List.of("bright patch", "no patch");
  /** Part of the cache directory's name: bump it whenever the weights change. */
  public static final String VERSION = "v2";

  private BrightPatchModel() {}

  /** Writes the SavedModel into {@code dir} unless it is already there; returns {@code dir}. */
  public static Path ensure(Path dir) throws IOException {
    if (Files.isRegularFile(dir.resolve("saved_model.pb"))) {
      return dir;
    }
    Path tmp = Files.createDirectories(dir.getParent()).resolve(dir.getFileName() + ".tmp" + ProcessHandle.current().pid());
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> image = tf.withName("image").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, SIZE, SIZE, 1)));
      // Filter 0 averages a 5x5 window (brightness); filter 1 is its negative (darkness).
      float[] kernel = new float[5 * 5 * 2];
      for (int i = 0; i < 25; i++) {
        kernel[i * 2] = 1f / 25;
        kernel[i * 2 + 1] = -1f / 25;
      }
      Ops convScope = tf.withSubScope("conv");
      Ops denseScope = tf.withSubScope("dense");
      Operand<TFloat32> k = convScope.withName("kernel").variable(tf.constant(Shape.of(5, 5, 1, 2), DataBuffers.of(kernel, true, false)));
      Operand<TFloat32> b = convScope.withName("bias").variable(tf.constant(new float[] {-0.5f, 0.5f}));
      Operand<TFloat32> conv = convScope.withName("Conv2D").nn.conv2d(image, k, List.of(1L, 1L, 1L, 1L), "SAME");
      Operand<TFloat32> features = convScope.withName("Relu").nn.relu(convScope.withName("BiasAdd").nn.biasAdd(conv, b));
      Operand<TFloat32> pooled = tf.withName("pool").math.mean(features, tf.constant(new int[] {1, 2}));
      Operand<TFloat32> w = denseScope.withName("kernel").variable(tf.constant(new float[][] {{200, -200}, {0, 0}}));
      Operand<TFloat32> bias = denseScope.withName("bias").variable(tf.constant(new float[] {-1f, 1f}));
      Operand<TFloat32> logits = tf.withName("logits").math.add(tf.linalg.matMul(pooled, w), bias);
      Operand<TFloat32> probabilities = tf.withName("probabilities").nn.softmax(logits);
      try (Session session = new Session(g)) {
        session.initialize();
        Signature signature = Signature.builder().key(Signature.DEFAULT_KEY)
            .input("image", image).output("probabilities", probabilities).build();
        SavedModelBundle.exporter(tmp.toString()).withFunction(SessionFunction.create(signature, session)).export();
      }
    }
    try {
      Files.move(tmp, dir);
    } catch (IOException e) {
      // Another process built it first: keep theirs.
      if (!Files.isRegularFile(dir.resolve("saved_model.pb"))) {
        throw e;
      }
    }
    return dir;
  }

  /** A generated image: dark noise, and a bright square at a random place when {@code withPatch}. */
  public record Sample(float[] pixels, boolean withPatch, int top, int left) {
    /** Whether cell (y, x) lies in the patch. */
    public boolean inPatch(int y, int x) {
      return withPatch && y >= top && y < top + PATCH && x >= left && x < left + PATCH;
    }
  }

  /** Draws a sample from {@code rng}. */
  public static Sample sample(Random rng, boolean withPatch) {
    float[] pixels = new float[SIZE * SIZE];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (float) (0.1 + 0.1 * rng.nextDouble());
    }
    int top = rng.nextInt(SIZE - PATCH + 1);
    int left = rng.nextInt(SIZE - PATCH + 1);
    if (withPatch) {
      for (int y = top; y < top + PATCH; y++) {
        for (int x = left; x < left + PATCH; x++) {
          pixels[y * SIZE + x] = (float) (0.9 + 0.1 * rng.nextDouble());
        }
      }
    }
    return new Sample(pixels, withPatch, top, left);
  }
}
