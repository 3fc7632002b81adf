package org.explain4j.internal.explain;

import org.explain4j.engine.CamTask;
import org.explain4j.exceptions.ExplainException;
import org.explain4j.model.DataFormat;
import org.explain4j.model.Layer;
import org.explain4j.model.LayerKind;
import org.explain4j.model.TensorSpec;
import org.explain4j.model.TokenGrid;

/** Reads a transformer's token layer over an image as a grid of patches (see {@link TokenGrid}). */
public final class TokenLayout {
  private TokenLayout() {}

  /** The grid to read the layer on, or null when its maps lie over time (or it has no tokens). */
  public static TokenGrid resolve(TokenGrid declared, Layer layer, TensorSpec input) {
    boolean tokens = LayerKind.ofRank(layer.shape().numDimensions()) == LayerKind.TEMPORAL;
    if (!tokens) {
      if (declared != null) {
        throw new ExplainException("A token grid applies to token layers [batch, tokens, channels]; layer '" + layer.name()
            + "' has shape " + layer.shape());
      }
      return null;
    }
    if (layer.dataFormat() == DataFormat.CHANNELS_FIRST) {
      return null;
    }
    long count = layer.shape().get(1);
    if (declared != null) {
      if (count >= 0 && count != declared.tokens()) {
        throw new ExplainException("Layer '" + layer.name() + "' holds " + count + " tokens, but the token grid " + declared
            + " needs " + declared.tokens());
      }
      return declared;
    }
    boolean image = input.shape().numDimensions() == 4;
    if (!image) {
      return null; // token ids or sequences: the map lies over the sequence
    }
    TokenGrid square = count > 0 ? TokenGrid.square(count) : null;
    if (square == null) {
      throw new ExplainException("Layer '" + layer.name() + "' holds " + (count < 0 ? "an unknown number of" : count)
          + " tokens over an image input, which make no square grid with or without one class token: declare the grid with"
          + " optTokenGrid(classTokens, height, width)");
    }
    return square;
  }

  /** The grid's layout and a copy of the values without the class tokens, item by item. */
  public static Regridded regrid(CamTask.Layout tokens, CamTask.Buffers buffers, TokenGrid grid) {
    int batch = tokens.batch();
    int channels = tokens.channels();
    int have = tokens.width();
    if (have != grid.tokens()) {
      throw new ExplainException("The layer gave " + have + " tokens; the token grid " + grid + " needs " + grid.tokens());
    }
    int kept = grid.height() * grid.width();
    float[] acts = new float[batch * kept * channels];
    float[] grads = new float[batch * kept * channels];
    float[] all = new float[(int) tokens.size()];
    buffers.activations().read(all);
    copy(all, acts, batch, have, kept, grid.classTokens(), channels);
    buffers.gradients().read(all);
    copy(all, grads, batch, have, kept, grid.classTokens(), channels);
    return new Regridded(new CamTask.Layout(batch, grid.height(), grid.width(), channels, false), CamTask.Buffers.of(acts, grads));
  }

  private static void copy(float[] from, float[] to, int batch, int have, int kept, int skip, int channels) {
    for (int item = 0; item < batch; item++) {
      System.arraycopy(from, (item * have + skip) * channels, to, item * kept * channels, kept * channels);
    }
  }

  /** A token layer read as a grid. */
  public record Regridded(CamTask.Layout layout, CamTask.Buffers buffers) {}
}
