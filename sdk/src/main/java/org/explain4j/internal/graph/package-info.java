/**
 * Graph plumbing, not exported: the model graph seen as layers on the input-to-output path, the
 * score and gradient nodes explain4j adds, and the session that runs one pass per target rank.
 */
package org.explain4j.internal.graph;
