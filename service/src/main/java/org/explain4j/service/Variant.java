package org.explain4j.service;

import org.explain4j.ExplainOptions;
import org.explain4j.model.ScoreKind;

/**
 * The explanation options a request may change (null: the model's configured value). Applying one
 * costs nothing: the loaded model serves every variant.
 */
record Variant(String layer, String method, ScoreKind score, Boolean relu, Boolean counterfactual, Boolean eigenSmooth,
    Boolean augmentSmooth, Integer channels) {
  static final Variant DEFAULT = new Variant(null, null, null, null, null, null, null, null);

  boolean isDefault() {
    return equals(DEFAULT);
  }

  /** The base options with this variant's changes applied. */
  ExplainOptions apply(ExplainOptions base) {
    ExplainOptions.Builder b = base.toBuilder().optLayerNameOrIndex(layer);
    if (method != null) {
      b.optMethod(method);
    }
    if (score != null) {
      b.optScore(score);
    }
    if (relu != null) {
      b.optRelu(relu);
    }
    if (counterfactual != null) {
      b.optCounterfactual(counterfactual);
    }
    if (eigenSmooth != null) {
      b.optEigenSmooth(eigenSmooth);
    }
    if (augmentSmooth != null) {
      b.optAugmentSmooth(augmentSmooth);
    }
    if (channels != null) {
      b.optPerturbation(channels, base.perturbation().inputsPerRun());
    }
    return b.build();
  }
}
