/**
 * Turns explanations into something to look at: {@link org.explain4j.render.Renderer} per format
 * (PNG overlays, HTML token highlighting, JSON, CSV, a text table) and
 * {@link org.explain4j.render.Renderers#show}, which explains and picks the format from the model
 * kind. Depends on the SDK core; nothing in the core depends on it.
 */
package org.explain4j.render;
