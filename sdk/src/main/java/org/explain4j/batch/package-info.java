/**
 * The streaming batcher behind {@code Explainer.explainAll}: gathers items into bounded batches,
 * hands each batch to a function, and returns results lazily in input order, with progress,
 * cancellation and bad-item reporting. Knows nothing of models.
 */
package org.explain4j.batch;


