package org.explain4j.service;

import org.explain4j.ExplainerConfig;
import org.explain4j.model.ScoreKind;

/**
 * The explainer options a request may change (null: the model's configured value). Each distinct
 * variant is one explainer, built on first use: they change the gradient graph (layer, score) or
 * the methods run on it.
 */
record Variant(String layer, String method, ScoreKind score, Boolean relu, Boolean counterfactual, Boolean eigenSmooth,
    Boolean augmentSmooth, Integer channels) {
  static final Variant DEFAULT = new Variant(null, null, null, null, null, null, null, null);

  boolean isDefault() {
    return equals(DEFAULT);
  }

  /** The base configuration with this variant's options applied. */
  ExplainerConfig apply(ExplainerConfig base) {
    ExplainerConfig.Builder b = base.toBuilder().optLayerNameOrIndex(layer);
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
    return b.config();
  }
}
