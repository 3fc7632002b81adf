/**
 * The demo models, trained from Java with fixed seeds on generated data whose evidence is known
 * (shapes, sentences, long character texts), and the Adam trainer built from raw ops.
 */
package org.explain4j.demo;
