/**
 * Faithfulness metrics: whether the input regions a map calls relevant are the ones the model's
 * output depends on. {@link Faithfulness#evaluate} measures deletion and insertion (Petsiuk et
 * al. 2018), ROAD with noisy linear imputation (Rong et al. 2022) and the confidence change when the
 * input is multiplied by its map, and the pointing game (Zhang et al. 2016) on known
 * {@link org.explain4j.metric.Regions}. Like {@code render}, this package sits above the root: it uses
 * explainers, nothing below uses it.
 */
package org.explain4j.metric;
