package org.explain4j.method;

/** Methods whose map at a cell is a sum over channels of a product of gradient and activation there. */
abstract class ElementwiseMethods extends SummedContributions {

  /** The term of channel {@code c} at a cell, from its gradient and activation there. */
  abstract double term(double gradient, double activation);

  @Override
  Contributions contributions(LayerValues v, int item) {
    return (cell, c) -> term(v.g(item, cell, c), v.a(item, cell, c));
  }
}
