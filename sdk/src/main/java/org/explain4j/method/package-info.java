/**
 * The attribution-method seam: {@link org.explain4j.method.AttributionMethod} says what a method
 * needs from one explainer pass (activations, gradients, forward runs) and turns a
 * {@link org.explain4j.method.MethodInput} into {@link org.explain4j.method.MethodMaps}. Methods are
 * found with {@link java.util.ServiceLoader}; Grad-CAM and gradient x activation are the built-in ones.
 */
package org.explain4j.method;
