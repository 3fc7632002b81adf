package org.explain4j.model;

/** Where a layer keeps its channels. */
public enum DataFormat {
  /** {@code [batch, height, width, channels]} (NHWC) or {@code [batch, time, channels]}. */
  CHANNELS_LAST,
  /** {@code [batch, channels, height, width]} (NCHW) or {@code [batch, channels, time]}. */
  CHANNELS_FIRST
}
