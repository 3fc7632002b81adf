package org.explain4j.model;

/** Which value is differentiated for a target class. */
public enum ScoreKind {
  /**
   * The pre-activation logit when the output is a Softmax or Sigmoid, as the Grad-CAM paper
   * prescribes; the output itself otherwise.
   */
  LOGIT,
  /** The signature output itself (the probability, for a Softmax output). */
  OUTPUT
}
