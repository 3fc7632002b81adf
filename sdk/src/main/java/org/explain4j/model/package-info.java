/**
 * What an explainer sees of a model: the signature's tensors ({@link org.explain4j.model.TensorSpec}),
 * the candidate layers ({@link org.explain4j.model.Layer}) with their data format, the
 * {@link org.explain4j.model.ModelDescription} that lists them, and which score is differentiated.
 * Plain values, with no TensorFlow session behind them.
 */
package org.explain4j.model;
