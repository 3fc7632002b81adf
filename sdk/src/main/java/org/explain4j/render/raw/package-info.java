/**
 * Explanations as data: JSON (the documented {@code explain4j.explanation/2} schema), CSV in long
 * format, and a plain-text table.
 */
package org.explain4j.render.raw;
