/**
 * The exceptions explain4j throws for a bad input or a bad model, all under
 * {@link org.explain4j.exceptions.ExplainException}: catch that one type to tell them from bugs.
 * The bottom of the package graph: it depends on nothing.
 */
package org.explain4j.exceptions;
