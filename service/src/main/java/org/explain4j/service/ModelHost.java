package org.explain4j.service;

import org.explain4j.ExplainModel;
import org.explain4j.ExplainOptions;
import org.explain4j.Explainer;
import org.explain4j.exceptions.ExplainException;
import org.explain4j.input.ImagePreprocessor;
import org.explain4j.input.InputBatch;
import org.explain4j.model.TensorSpec;

/**
 * One served model: loaded once and warmed before the service reports ready, with its configured
 * options as the default. A request's options never load anything: they are applied to the
 * defaults, and a new (layer, score) pair builds its gradient subgraph once, on the request's own
 * thread, while requests that use other pairs go on (the model bounds the subgraphs it keeps).
 */
final class ModelHost implements AutoCloseable {
  private final String name;
  private final ExplainModel model;
  private final Explainer primary;
  private final ImagePreprocessor images;

  private ModelHost(String name, ExplainModel model, Explainer primary, ImagePreprocessor images) {
    this.name = name;
    this.model = model;
    this.primary = primary;
    this.images = images;
  }

  /** <b>Loads the model: the host must be closed.</b> */
  static ModelHost load(ServiceConfig.Model config, int maxSubgraphs) {
    ExplainModel model = ExplainModel.load(config.config().toBuilder().optMaxSubgraphs(maxSubgraphs).config());
    try {
      Explainer primary = Explainer.over(model, config.config().options());
      ImagePreprocessor images = config.preprocessor() != null ? config.preprocessor()
          : ImagePreprocessor.forModel(primary.model()).build();
      ModelHost host = new ModelHost(config.name(), model, primary, images);
      long fixed = host.input().shape().numDimensions() > 0 ? host.input().shape().get(0) : -1;
      if (fixed > 0) {
        System.getLogger(ModelHost.class.getName()).log(System.Logger.Level.INFO, "Model '" + config.name() + "': its input '"
            + host.input().key() + "' fixes the batch at " + fixed + ", so batching does not apply: requests are run "
            + fixed + " item(s) at a time, never merged");
      }
      host.warmUp();
      return host;
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  String name() {
    return name;
  }

  /** The model with its configured options: what metadata reports. */
  Explainer primary() {
    return primary;
  }

  ExplainModel model() {
    return model;
  }

  TensorSpec input() {
    return primary.model().inputs().get(0);
  }

  ImagePreprocessor images() {
    return images;
  }

  /**
   * Checks a request's options and builds what they need (the gradient subgraph of a new layer or
   * score) before the request is queued. A bad option is the client's error.
   */
  void prepare(Variant variant) {
    if (variant.isDefault()) {
      return;
    }
    try {
      model.prepare(options(variant));
    } catch (ExplainException e) {
      throw HttpProblem.badRequest("Model '" + name + "': " + e.getMessage());
    }
  }

  /** The options of a request: the defaults with its changes (checked already by {@link #prepare}). */
  ExplainOptions options(Variant variant) {
    return variant.isDefault() ? primary.options() : variant.apply(primary.options());
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
      primary.explain(zeros);
    }
  }

  @Override
  public void close() {
    model.close();
  }
}
