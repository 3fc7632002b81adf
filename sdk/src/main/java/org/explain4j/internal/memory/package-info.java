/**
 * Tensor memory handed to CAM engines: guarded views that fail cleanly once their run has ended,
 * and the native addresses the native engines read in place. Exported only to the jni module.
 */
package org.explain4j.internal.memory;
