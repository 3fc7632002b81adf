/**
 * explain4j on Apache Spark: {@link ExplainTransformer}, a Spark ML {@code Transformer} that adds
 * an explanation column to a DataFrame of images, encoded files, tensors or token ids, and
 * {@link SparkBatch}, the {@code explain4j batch} job over a folder of images. One explainer per
 * executor JVM, loaded lazily and cached by model and options; rows are batched within each
 * partition. See {@code docs/batch.md}.
 */
package org.explain4j.spark;
