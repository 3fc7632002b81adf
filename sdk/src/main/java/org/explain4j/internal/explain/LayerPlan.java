package org.explain4j.internal.explain;

import org.explain4j.internal.graph.ScoreGraph;
import org.explain4j.model.Layer;
import org.explain4j.model.LayerKind;
import org.explain4j.model.ModelDescription;

/**
 * What one (layer, score) pair of a loaded model needs, built once: the layer, what its rank makes
 * of it, the gradient subgraph added for it, and the model's
 * description with it chosen.
 */
public record LayerPlan(Layer layer, LayerKind rankKind, ScoreGraph scores, ModelDescription description) {}
