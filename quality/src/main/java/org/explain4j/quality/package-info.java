/**
 * Whether the maps point at what made the prediction: pointing games, deletion, model-randomisation
 * sanity and counterfactual checks on the demo models ({@link org.explain4j.quality.QualityReport}).
 */
package org.explain4j.quality;
