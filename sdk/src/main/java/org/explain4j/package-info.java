/**
 * The public face of explain4j: {@link org.explain4j.Explainer} (built from an
 * {@link org.explain4j.ExplainerConfig}), the {@link org.explain4j.Targets} to explain, and the
 * results: {@link org.explain4j.Explanation}, {@link org.explain4j.TargetExplanation},
 * {@link org.explain4j.HeatMap} and the {@link org.explain4j.Provenance} of each explanation. It sits
 * on top of every other SDK package except {@code render}, and none of them depends on it.
 */
package org.explain4j;
