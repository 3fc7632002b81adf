/**
 * TensorFlow plumbing, not exported: loading SavedModels (flattening function-based graphs and
 * restoring their variables), custom gradients, reading tensor memory, checking feeds, and the one
 * set of pass-through op rules every graph walk uses.
 */
package org.explain4j.internal.tf;

