package org.explain4j.service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.explain4j.Explainer;
import org.explain4j.ExplainerConfig;
import org.explain4j.Targets;
import org.explain4j.exceptions.ExplainException;
import org.explain4j.input.ImagePreprocessor;
import org.explain4j.input.InputBatch;
import org.explain4j.model.TensorSpec;

/**
 * One served model: its explainer as configured, loaded and warmed before the service reports
 * ready, and the variants requests ask for (another layer, method, score kind...), each built on
 * first use and kept until the service closes. Variants are bounded: one more than the limit is
 * refused, never evicted under a request that uses it.
 */
final class ModelHost implements AutoCloseable {
  private final String name;
  private final ExplainerConfig base;
  private final Explainer primary;
  private final ImagePreprocessor images;
  private final int maxVariants;
  private final Map<Variant, Explainer> variants = new LinkedHashMap<>();

  private ModelHost(String name, ExplainerConfig base, Explainer primary, ImagePreprocessor images, int maxVariants) {
    this.name = name;
    this.base = base;
    this.primary = primary;
    this.images = images;
    this.maxVariants = maxVariants;
  }

  /** <b>Loads the model: the host must be closed.</b> */
  static ModelHost load(ServiceConfig.Model model, int maxVariants) {
    Explainer explainer = Explainer.of(model.config());
    try {
      ImagePreprocessor images = model.preprocessor() != null ? model.preprocessor()
          : ImagePreprocessor.forModel(explainer.model()).build();
      ModelHost host = new ModelHost(model.name(), model.config(), explainer, images, maxVariants);
      host.warmUp();
      return host;
    } catch (RuntimeException e) {
      explainer.close();
      throw e;
    }
  }

  String name() {
    return name;
  }

  Explainer primary() {
    return primary;
  }

  TensorSpec input() {
    return primary.model().inputs().get(0);
  }

  ImagePreprocessor images() {
    return images;
  }

  /** The explainer for a request's options, built on first use; a bad option is the client's error. */
  synchronized Explainer explainer(Variant variant) {
    if (variant.isDefault()) {
      return primary;
    }
    Explainer e = variants.get(variant);
    if (e != null) {
      return e;
    }
    if (variants.size() >= maxVariants) {
      throw new HttpProblem(400, "Model '" + name + "' already serves " + maxVariants + " option variants (" + variants.keySet()
          + "); the server's --max-variants bounds them");
    }
    try {
      e = Explainer.of(variant.apply(base));
    } catch (ExplainException ex) {
      throw HttpProblem.badRequest("Model '" + name + "': " + ex.getMessage());
    }
    variants.put(variant, e);
    return e;
  }

  /**
   * One explanation of a zero input, so that the first request does not pay for TensorFlow's
   * first-run costs. Skipped where the input's item shape is not fully known.
   */
  private void warmUp() {
    long[] dims = input().shape().asArray();
    if (dims.length == 0) {
      return;
    }
    long size = 1;
    for (int i = 1; i < dims.length; i++) {
      if (dims[i] < 0) {
        return;
      }
      size *= dims[i];
    }
    dims[0] = 1;
    InputBatch zeros = switch (input().dataType()) {
      case DT_INT32, DT_INT64 -> InputBatch.ofInts(new int[(int) size], dims);
      case DT_STRING -> null;
      default -> InputBatch.ofFloats(new float[(int) size], dims);
    };
    if (zeros != null) {
      primary.explain(zeros, Targets.predicted());
    }
  }

  @Override
  public synchronized void close() {
    List<Explainer> all = new ArrayList<>(variants.values());
    all.add(primary);
    variants.clear();
    for (Explainer e : all) {
      e.close();
    }
  }
}
