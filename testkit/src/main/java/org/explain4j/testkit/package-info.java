/**
 * Models built from Java with fixed weights, exported as SavedModels, for the tests and the
 * benchmarks ({@link org.explain4j.testkit.TestModels}), and the export itself
 * ({@link org.explain4j.testkit.SavedModels}), which the demo trainer uses too. Depends on
 * TensorFlow only, not on the SDK, so that the SDK's own tests can use it.
 */
package org.explain4j.testkit;
