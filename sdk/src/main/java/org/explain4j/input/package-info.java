/**
 * Inputs as explain4j takes them: {@link org.explain4j.input.InputBatch} (values and shape, batch
 * first), NumPy {@code .npy} files, image files ({@link org.explain4j.input.Images}) and their
 * preprocessing into a batch ({@link org.explain4j.input.ImagePreprocessor}).
 */
package org.explain4j.input;
