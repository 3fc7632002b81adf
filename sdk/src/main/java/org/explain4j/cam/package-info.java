/**
 * The CAM arithmetic in plain Java, step by step ({@link org.explain4j.cam.GradCam}), and the map
 * resampling ({@link org.explain4j.cam.AxisResampling}, {@link org.explain4j.cam.Interpolation}):
 * the reference that the faster engines are tested against, and building blocks for new methods.
 */
package org.explain4j.cam;
