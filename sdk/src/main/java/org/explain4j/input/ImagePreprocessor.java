package org.explain4j.input;

import java.awt.image.BufferedImage;
import java.util.List;
import org.explain4j.exceptions.InvalidInputException;
import org.explain4j.model.ModelDescription;
import org.explain4j.model.TensorSpec;

/**
 * Turns images into a model input batch {@code [batch, height, width, channels]} (or channels
 * first): resize, scale, mean and standard deviation per channel, channel order, grayscale. Immutable; build with
 * {@link #builder()} or {@link #forModel}.
 */
public final class ImagePreprocessor {
  /** Channel order of colour inputs. */
  public enum ChannelOrder { RGB, BGR }

  private final int width;
  private final int height;
  private final float scale;
  private final float[] mean;
  private final float[] std;
  private final ChannelOrder order;
  private final boolean grayscale;
  private final boolean channelsFirst;

  private ImagePreprocessor(Builder b) {
    this.width = b.width;
    this.height = b.height;
    this.scale = b.scale;
    this.mean = b.mean;
    this.std = b.std;
    this.order = b.order;
    this.grayscale = b.grayscale;
    this.channelsFirst = b.channelsFirst;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder preset from the model's input signature {@code [-1, H, W, C]}: its size, and
   * grayscale when C is 1. Values are scaled to [0, 1] unless told otherwise, or left as raw
   * pixels 0..255 for a uint8 input and for a model that scales them itself right after its input
   * ({@link ModelDescription#inGraphScaling()}: a Keras {@code Rescaling(1/255)}, say).
   */
  public static Builder forModel(ModelDescription model) {
    TensorSpec input = model.inputs().get(0);
    long[] dims = input.shape().asArray();
    Builder b = builder();
    if (input.dataType() == org.tensorflow.proto.DataType.DT_UINT8 || model.inGraphScaling() != null) {
      b.optScale(1f); // the model scales its pixels itself: raw 0..255
    }
    if (dims.length == 4 && channelsFirst(dims)) {
      b.optChannelsFirst(true);
      if (dims[2] > 0 && dims[3] > 0) {
        b.optSize((int) dims[3], (int) dims[2]);
      }
      b.optGrayscale(dims[1] == 1);
    } else if (dims.length == 4 && dims[1] > 0 && dims[2] > 0) {
      b.optSize((int) dims[2], (int) dims[1]);
      b.optGrayscale(dims[3] == 1);
    } else if (dims.length == 4 && dims[3] == 1) {
      b.optGrayscale(true);
    } else if (dims.length == 3 && dims[1] > 0 && dims[2] > 0) {
      b.optSize((int) dims[2], (int) dims[1]).optGrayscale(true);
    }
    return b;
  }

  /**
   * Whether a rank-4 image input keeps its channels first ({@code [-1, 3, H, W]}): dimension 1 is
   * 1 or 3 and the last one is not (or is unknown).
   */
  static boolean channelsFirst(long[] dims) {
    return (dims[1] == 1 || dims[1] == 3) && dims[3] != 1 && dims[3] != 3;
  }

  /** The images as one batch; every image is resized to the target size (or the first image's). */
  public InputBatch toBatch(List<BufferedImage> images) {
    if (images.isEmpty()) {
      throw new InvalidInputException("No images to preprocess");
    }
    int w = width > 0 ? width : images.get(0).getWidth();
    int h = height > 0 ? height : images.get(0).getHeight();
    int channels = grayscale ? 1 : 3;
    float[] values = new float[images.size() * h * w * channels];
    int i = 0;
    for (BufferedImage image : images) {
      BufferedImage sized = Images.resize(image, w, h);
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int rgb = sized.getRGB(x, y);
          float r = rgb >> 16 & 255;
          float g = rgb >> 8 & 255;
          float b = rgb & 255;
          if (grayscale) {
            values[i++] = normalise(0.299f * r + 0.587f * g + 0.114f * b, 0);
          } else {
            float first = order == ChannelOrder.RGB ? r : b;
            float last = order == ChannelOrder.RGB ? b : r;
            values[i++] = normalise(first, 0);
            values[i++] = normalise(g, 1);
            values[i++] = normalise(last, 2);
          }
        }
      }
    }
    if (!channelsFirst) {
      return InputBatch.ofFloats(values, images.size(), h, w, channels);
    }
    // [batch, H, W, C] -> [batch, C, H, W]
    float[] planar = new float[values.length];
    int cells = h * w;
    for (int item = 0; item < images.size(); item++) {
      int base = item * cells * channels;
      for (int cell = 0; cell < cells; cell++) {
        for (int c = 0; c < channels; c++) {
          planar[base + c * cells + cell] = values[base + cell * channels + c];
        }
      }
    }
    return InputBatch.ofFloats(planar, images.size(), channels, h, w);
  }

  private float normalise(float value, int channel) {
    float m = mean.length == 0 ? 0 : mean[Math.min(channel, mean.length - 1)];
    float s = std.length == 0 ? 1 : std[Math.min(channel, std.length - 1)];
    return (value * scale - m) / s;
  }

  /** Configures an {@link ImagePreprocessor}; every setting is optional. */
  public static final class Builder {
    private int width;
    private int height;
    private float scale = 1f / 255;
    private float[] mean = {};
    private float[] std = {};
    private ChannelOrder order = ChannelOrder.RGB;
    private boolean grayscale;
    private boolean channelsFirst;

    /** The model's input size; by default the first image's. */
    public Builder optSize(int width, int height) {
      if (width <= 0 || height <= 0) {
        throw new IllegalArgumentException("Image size must be positive, got " + width + "x" + height);
      }
      this.width = width;
      this.height = height;
      return this;
    }

    /** Multiplies 0..255 pixel values; 1/255 by default. */
    public Builder optScale(float scale) {
      this.scale = scale;
      return this;
    }

    /** Subtracted after scaling, per channel (one value for all channels, or one per channel). */
    public Builder optMean(float... mean) {
      this.mean = mean.clone();
      return this;
    }

    /** Divides after the mean, per channel. */
    public Builder optStd(float... std) {
      for (float s : std) {
        if (!(s > 0)) {
          throw new IllegalArgumentException("Standard deviations must be positive, got " + java.util.Arrays.toString(std));
        }
      }
      this.std = std.clone();
      return this;
    }

    public Builder optChannelOrder(ChannelOrder order) {
      this.order = order;
      return this;
    }

    /** One luminance channel instead of three colours. */
    public Builder optGrayscale(boolean grayscale) {
      this.grayscale = grayscale;
      return this;
    }

    /** Batches laid out {@code [batch, channels, height, width]} (NCHW) instead of channels last. */
    public Builder optChannelsFirst(boolean channelsFirst) {
      this.channelsFirst = channelsFirst;
      return this;
    }

    public ImagePreprocessor build() {
      return new ImagePreprocessor(this);
    }
  }
}
