package org.explain4j.internal.memory;

import org.tensorflow.ndarray.buffer.DataBuffer;
import org.tensorflow.ndarray.buffer.FloatDataBuffer;

/**
 * A read-only view of floats (a tensor's memory, or an array) that an engine may read only while
 * the run that made it lasts: after {@link Validity#end()}, every access throws an
 * {@link IllegalStateException} instead of reading freed native memory. It carries the memory's
 * native address for the native engines, which read it in place; the address never reaches the
 * public SPI ({@link #addressOf}, for the jni module, returns 0 once the view has ended).
 */
public final class GuardedFloats implements FloatDataBuffer {
  /** Whether the views of one run may still be read. */
  public static final class Validity {
    private volatile boolean ended;

    /** Ends every view of this run: the memory behind them is about to be freed. */
    public void end() {
      ended = true;
    }

    void check() {
      if (ended) {
        throw new IllegalStateException("This CAM task's activations or gradients were read after compute returned:"
            + " their memory belongs to a finished session run (copy what you need during compute)");
      }
    }
  }

  private final FloatDataBuffer inner;
  private final long address;
  private final Validity validity;

  private GuardedFloats(FloatDataBuffer inner, long address, Validity validity) {
    this.inner = inner;
    this.address = address;
    this.validity = validity;
  }

  /** A guarded view of {@code inner}, whose first float lies at {@code address} (0: unknown). */
  public static GuardedFloats of(FloatDataBuffer inner, long address, Validity validity) {
    return new GuardedFloats(inner, address, validity);
  }

  /** The native address of {@code buffer}'s first float while it may be read; 0 for other buffers or once it ended. */
  public static long addressOf(FloatDataBuffer buffer) {
    if (buffer instanceof GuardedFloats g) {
      g.validity.check();
      return g.address;
    }
    return 0;
  }

  @Override
  public long size() {
    validity.check();
    return inner.size();
  }

  @Override
  public boolean isReadOnly() {
    return true;
  }

  @Override
  public float getFloat(long index) {
    validity.check();
    return inner.getFloat(index);
  }

  @Override
  public FloatDataBuffer setFloat(float value, long index) {
    throw new UnsupportedOperationException("CAM task inputs are read-only");
  }

  @Override
  public FloatDataBuffer read(float[] dst, int offset, int length) {
    validity.check();
    inner.read(dst, offset, length);
    return this;
  }

  @Override
  public FloatDataBuffer write(float[] src, int offset, int length) {
    throw new UnsupportedOperationException("CAM task inputs are read-only");
  }

  @Override
  public DataBuffer<Float> read(Float[] dst, int offset, int length) {
    validity.check();
    inner.read(dst, offset, length);
    return this;
  }

  @Override
  public DataBuffer<Float> write(Float[] src, int offset, int length) {
    throw new UnsupportedOperationException("CAM task inputs are read-only");
  }

  @Override
  public FloatDataBuffer copyTo(DataBuffer<Float> dst, long size) {
    validity.check();
    inner.copyTo(dst, size);
    return this;
  }

  @Override
  public FloatDataBuffer slice(long index, long size) {
    validity.check();
    return new GuardedFloats(inner.slice(index, size), address == 0 ? 0 : address + index * Float.BYTES, validity);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GuardedFloats g && g.inner.equals(inner);
  }

  @Override
  public int hashCode() {
    return inner.hashCode();
  }
}
