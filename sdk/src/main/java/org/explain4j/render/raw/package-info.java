/**
 * Explanations as data: JSON (the documented {@code explain4j.explanation/1} schema), CSV in long
 * format, and a plain-text table.
 */
package org.explain4j.render.raw;
