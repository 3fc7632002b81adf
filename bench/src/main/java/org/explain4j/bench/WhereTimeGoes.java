package org.explain4j.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.explain4j.render.Renderers;
import org.explain4j.Explainer;
import org.explain4j.Explanation;
import org.explain4j.input.InputBatch;
import org.explain4j.LayerGradients;
import org.explain4j.render.Rendering;
import org.explain4j.render.ShowOptions;
import org.explain4j.Targets;
import org.explain4j.testkit.TestModels;
import org.explain4j.engine.CamEngine;
import org.explain4j.engine.CamTask;
import org.explain4j.engine.Engines;
import org.explain4j.cam.Interpolation;
import org.explain4j.render.raw.JsonFormatter;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * Where the time of one explained batch goes, for the ResNet-50 fixture at batch 32: the
 * prediction alone; the session run that also returns activations and gradients (with the copy of
 * both into Java arrays, and that copy alone); the CAM engine alone on maps of the same shape; the
 * whole explanation; and formatting (JSON, overlay PNG grid). Medians of interleaved runs.
 *
 * <p>Usage: {@code WhereTimeGoes [depth] [batch] [iterations]}. Not a test.
 */
public final class WhereTimeGoes {
  private WhereTimeGoes() {}

  public static void main(String[] args) throws Exception {
    int depth = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    int batch = args.length > 1 ? Integer.parseInt(args[1]) : 32;
    int iterations = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    Path model = TestModels.resnet(Files.createTempDirectory("explain4j-time").resolve("resnet"), depth);
    InputBatch input = Measure.randomImages(batch, 3);
    try (Explainer explainer = Explainer.builder().setModel(model).build()) {
      LayerGradients raw = explainer.gradients(input, Targets.predicted());
      long[] shape = raw.layerShape();
      CamEngine engine = Engines.select(explainer.engine());
      // The engine reads tensor memory in place, as in explain(): tensors holding the fetched values.
      org.tensorflow.types.TFloat32 actsTensor = org.tensorflow.types.TFloat32.tensorOf(org.tensorflow.ndarray.Shape.of(shape),
          org.tensorflow.ndarray.buffer.DataBuffers.of(raw.activations(), true, false));
      org.tensorflow.types.TFloat32 gradsTensor = org.tensorflow.types.TFloat32.tensorOf(org.tensorflow.ndarray.Shape.of(shape),
          org.tensorflow.ndarray.buffer.DataBuffers.of(raw.ranks().get(0).gradients(), true, false));
      CamTask task = new CamTask(new CamTask.Layout(batch, (int) shape[1], (int) shape[2], (int) shape[3], false),
          CamTask.Buffers.of(
              org.explain4j.internal.memory.GuardedFloats.of(actsTensor.asRawTensor().data().asFloats(), Measure.address(actsTensor),
                  new org.explain4j.internal.memory.GuardedFloats.Validity()),
              org.explain4j.internal.memory.GuardedFloats.of(gradsTensor.asRawTensor().data().asFloats(), Measure.address(gradsTensor),
                  new org.explain4j.internal.memory.GuardedFloats.Validity())),
          new CamTask.Options(1, true, 224, 224, Interpolation.BILINEAR));
      float[] copy = new float[raw.activations().length];
      String[] names = {"predict (forward only)", "session + gradients + copy to Java", "copy of activations and gradients",
          "CAM engine (" + engine.name() + ", on tensor memory)", "explain (all of it)", "format: JSON", "format: overlay PNG grid"};
      double[][] t = new double[names.length][iterations];
      Explanation explanation = explainer.explain(input, Targets.predicted());
      for (int i = -1; i < iterations; i++) {
        double[] row = new double[names.length];
        long a = System.nanoTime();
        explainer.predict(input);
        long b = System.nanoTime();
        explainer.gradients(input, Targets.predicted());
        long c = System.nanoTime();
        System.arraycopy(raw.activations(), 0, copy, 0, copy.length);
        System.arraycopy(raw.ranks().get(0).gradients(), 0, copy, 0, copy.length);
        long d = System.nanoTime();
        engine.gradCam(task);
        long e = System.nanoTime();
        explanation = explainer.explain(input, Targets.predicted());
        long f = System.nanoTime();
        JsonFormatter.toJson(explanation, "resnet");
        long g = System.nanoTime();
        Rendering png = Renderers.show(explainer, input, ShowOptions.builder().optFormat(Rendering.Format.PNG).build());
        long h = System.nanoTime();
        long[] marks = {a, b, c, d, e, f, g, h};
        for (int k = 0; k < names.length; k++) {
          row[k] = (marks[k + 1] - marks[k]) / 1e6;
        }
        // The PNG row includes a second explanation: subtract the median explain time below.
        if (i >= 0) {
          for (int k = 0; k < names.length; k++) {
            t[k][i] = row[k];
          }
        }
        png.content();
      }
      double explainMedian = Measure.median(t[4]);
      System.out.printf(Locale.ROOT, "ResNet-%d, batch %d, layer %s %s, medians of %d runs:%n", depth, batch,
          explainer.layer().name(), Arrays.toString(shape), iterations);
      for (int k = 0; k < names.length; k++) {
        double ms = k == names.length - 1 ? Measure.median(t[k]) - explainMedian : Measure.median(t[k]);
        System.out.printf(Locale.ROOT, "  %-40s %9.1f ms%n", names[k], ms);
      }
      actsTensor.close();
      gradsTensor.close();
    }
  }
}
