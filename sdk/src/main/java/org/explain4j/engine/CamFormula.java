package org.explain4j.engine;

/**
 * The map formulas an engine may compute besides plain Grad-CAM: those whose work is a pooling
 * or a weighted sum per element. Each code is the {@code Formula} of {@code cam_math.h}, which the
 * C++ and CUDA kernels share (a test compares them).
 */
public enum CamFormula {
  /** Channel weights = mean gradient; the weighted sum of the activations. */
  GRAD_CAM(0),
  /** Sum over channels of gradient x activation. */
  HIRES_CAM(1),
  /** Sum over channels of ReLU(gradient x activation). */
  GRAD_CAM_ELEMENTWISE(2),
  /** Sum over channels of ReLU(gradient) x activation. */
  LAYER_CAM(3),
  /** Channel weights = sum(gradient x activation) / sum(activation); the weighted sum of the activations. */
  XGRAD_CAM(4);

  private final int code;

  CamFormula(int code) {
    this.code = code;
  }

  /** The formula's code in {@code cam_math.h}. */
  public int code() {
    return code;
  }
}
