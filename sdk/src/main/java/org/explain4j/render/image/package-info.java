/**
 * Heat-map images: colormaps, overlays over the input image, colour bars and captioned grids.
 */
package org.explain4j.render.image;
