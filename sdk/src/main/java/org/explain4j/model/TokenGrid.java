package org.explain4j.model;

import org.explain4j.exceptions.ExplainException;

/**
 * How a transformer's token layer ({@code [batch, tokens, channels]}) over an image lies on the
 * image: the first {@code classTokens} tokens (a class token, say) are dropped and the rest read as
 * a {@code height x width} grid of patches, row by row, as ViT and Swin models order them.
 */
public record TokenGrid(int classTokens, int height, int width) {

  public TokenGrid {
    if (classTokens < 0 || height < 1 || width < 1) {
      throw new ExplainException("A token grid needs classTokens >= 0 and a positive size, got " + classTokens + ", "
          + height + "x" + width);
    }
  }

  /** The tokens a layer must hold for this grid. */
  public int tokens() {
    return classTokens + height * width;
  }

  /**
   * The square grid {@code tokens} make with no class token or with one, or null when neither is a
   * square (then the grid must be declared).
   */
  public static TokenGrid square(long tokens) {
    for (int skip = 0; skip <= 1; skip++) {
      long n = tokens - skip;
      int side = (int) Math.round(Math.sqrt(n));
      if (n > 1 && (long) side * side == n) {
        return new TokenGrid(skip, side, side);
      }
    }
    return null;
  }
}
