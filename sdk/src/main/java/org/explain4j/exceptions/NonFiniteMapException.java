package org.explain4j.exceptions;

/** Thrown when an item's activations or gradients hold NaN or infinite values. */
public class NonFiniteMapException extends ExplainException {
  private final int item;

  public NonFiniteMapException(int item) {
    super("The model produced NaN or infinite activations or gradients for batch item " + item
        + ": no map can be computed for it (check the input's scale, or choose another layer)");
    this.item = item;
  }

  /** The batch item whose map could not be computed. */
  public int item() {
    return item;
  }
}
