package org.explain4j.model;

/** What a layer's output holds, read from its rank: what decides which methods apply and how maps are laid out. */
public enum LayerKind {
  /** {@code [batch, height, width, channels]} (or channels first): maps over positions. */
  SPATIAL,
  /** {@code [batch, time, channels]} (or channels first): maps over time steps, height 1. */
  TEMPORAL,
  /** {@code [batch, units]}: no positions, one value per unit. */
  UNITS;

  /** The kind of a layer output of this rank (batch included), or null for ranks outside 2..4. */
  public static LayerKind ofRank(int rank) {
    return switch (rank) {
      case 4 -> SPATIAL;
      case 3 -> TEMPORAL;
      case 2 -> UNITS;
      default -> null;
    };
  }
}
