package org.explain4j.method;

import org.explain4j.input.InputBatch;

/** Extra forward runs of the model for perturbation methods; each returns the scores {@code [batch, classes]}. */
public interface ForwardRuns {

  /** The explained batch (the signature input being explained). */
  InputBatch input();

  /**
   * The scores of a changed input (a masked or blurred copy of the explained batch, say). It may
   * hold several copies of the batch, one after the other: the other inputs are repeated to match.
   */
  float[] scores(InputBatch input);

  /**
   * The scores of the explained batch with the layer's output replaced by {@code layerValues} (of
   * the layer's shape, for example with one channel zeroed). The values may hold several copies of
   * the batch, one after the other: the inputs are repeated to match, so that layers above that
   * also read earlier tensors (a residual connection) see consistent batches.
   */
  float[] scoresWithLayer(InputBatch layerValues);
}
