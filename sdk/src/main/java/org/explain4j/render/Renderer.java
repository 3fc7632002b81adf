package org.explain4j.render;

import org.explain4j.Explanation;
import org.explain4j.input.InputBatch;

/** Turns an explanation into the bytes of one format. Stateless; get one from {@link Renderers#forFormat}. */
public interface Renderer {

  /** The format this renderer writes. */
  Rendering.Format format();

  /**
   * The explanation of {@code input} in this renderer's format; the options give what the input
   * alone lacks (original images, tokens, padding, style).
   */
  byte[] render(Explanation explanation, InputBatch input, ShowOptions options);
}
