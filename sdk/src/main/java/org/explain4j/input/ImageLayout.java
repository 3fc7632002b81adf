package org.explain4j.input;

import org.explain4j.exceptions.InvalidInputException;

/**
 * Where an image batch keeps pixel (y, x), channel c of an item: channels last ({@code [n, H, W, C]}),
 * channels first ({@code [n, C, H, W]}: a rank-4 batch whose second dimension is at most 4 and whose
 * last is more), or none ({@code [n, H, W]}). The one rule by which heat-map sizes, Score-CAM's
 * masks, test-time augmentation, the faithfulness metrics and overlays read an image batch.
 *
 * @param height pixels per column
 * @param width pixels per row
 * @param channels values per pixel (1 for a rank-3 batch)
 * @param channelsFirst whether each item holds its channels as planes
 * @param rank3 whether the batch has no channel dimension
 */
public record ImageLayout(int height, int width, int channels, boolean channelsFirst, boolean rank3) {

  /** The layout of {@code batch}, or null when it is no image batch (rank 3 or 4). */
  public static ImageLayout orNull(InputBatch batch) {
    long[] d = batch.shape().asArray();
    if (d.length == 3) {
      return new ImageLayout((int) d[1], (int) d[2], 1, false, true);
    }
    if (d.length == 4) {
      boolean first = d[1] <= 4 && d[3] > 4;
      return first ? new ImageLayout((int) d[2], (int) d[3], (int) d[1], true, false)
          : new ImageLayout((int) d[1], (int) d[2], (int) d[3], false, false);
    }
    return null;
  }

  /** The layout of {@code batch}; {@code who} names what needs an image batch, for the message when it is none. */
  public static ImageLayout of(InputBatch batch, String who) {
    ImageLayout layout = orNull(batch);
    if (layout == null) {
      throw new InvalidInputException(who + " needs an image batch [n, H, W, C], [n, C, H, W] or [n, H, W]; got " + batch.shape());
    }
    return layout;
  }

  /** The shape of {@code n} such items. */
  public long[] shape(int n) {
    if (rank3) {
      return new long[] {n, height, width};
    }
    return channelsFirst ? new long[] {n, channels, height, width} : new long[] {n, height, width, channels};
  }

  /** Values per item. */
  public int itemSize() {
    return height * width * channels;
  }

  /** Pixels per item. */
  public int pixels() {
    return height * width;
  }

  /** The offset within an item of channel {@code c} of pixel {@code p} (= y * width + x). */
  public int at(int p, int c) {
    return channelsFirst ? c * pixels() + p : p * channels + c;
  }
}
