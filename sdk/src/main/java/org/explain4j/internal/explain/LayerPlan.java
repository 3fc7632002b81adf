package org.explain4j.internal.explain;

import org.explain4j.internal.graph.ScoreGraph;
import org.explain4j.model.Layer;
import org.explain4j.model.LayerKind;

/**
 * What one (layer, score) pair of a loaded model needs, built once: the layer, what its rank makes
 * of it, and the gradient subgraph added for it.
 */
public record LayerPlan(Layer layer, LayerKind rankKind, ScoreGraph scores) {}
