package org.explain4j.metric;

import org.explain4j.exceptions.InvalidInputException;
import org.explain4j.input.InputBatch;

/** Where an image batch keeps pixel (y, x), channel c of an item: channels last, first, or none. */
record ImageLayout(int height, int width, int channels, boolean channelsFirst, boolean rank3) {
  static ImageLayout of(InputBatch batch) {
    long[] d = batch.shape().asArray();
    if (d.length == 3) {
      return new ImageLayout((int) d[1], (int) d[2], 1, false, true);
    }
    if (d.length == 4) {
      boolean first = batch.imagesChannelsFirst();
      return first ? new ImageLayout((int) d[2], (int) d[3], (int) d[1], true, false)
          : new ImageLayout((int) d[1], (int) d[2], (int) d[3], false, false);
    }
    throw new InvalidInputException("Faithfulness metrics perturb images: expected a batch [n, H, W, C], [n, C, H, W] or [n, H, W],"
        + " got " + batch.shape());
  }

  /** The shape of {@code n} such items. */
  long[] shape(int n) {
    if (rank3) {
      return new long[] {n, height, width};
    }
    return channelsFirst ? new long[] {n, channels, height, width} : new long[] {n, height, width, channels};
  }

  int itemSize() {
    return height * width * channels;
  }

  int pixels() {
    return height * width;
  }

  /** The offset within an item of channel {@code c} of pixel {@code p} (= y * width + x). */
  int at(int p, int c) {
    return channelsFirst ? c * pixels() + p : p * channels + c;
  }
}
