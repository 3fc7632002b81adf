package org.explain4j.service;

import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Reads request bodies within a size and a time budget, a bounded number at once: a slow client
 * holds one of the {@code slots} for at most the read timeout, and clients beyond the slots are
 * answered 503 at once, so that slow bodies cannot take the threads health checks need.
 */
final class BodyReader {
  /** How long a request waits for a reading slot before it is turned away. */
  private static final long SLOT_WAIT_MILLIS = 250;

  private final Semaphore slots;
  private final int slotCount;
  private final long maxBytes;
  private final Duration timeout;

  BodyReader(int slots, long maxBytes, Duration timeout) {
    this.slots = new Semaphore(slots);
    this.slotCount = slots;
    this.maxBytes = maxBytes;
    this.timeout = timeout;
  }

  /** The whole body; 413 above the size bound, 408 past the read timeout, 499 when the client leaves. */
  byte[] read(Context ctx) {
    long declared = ctx.req().getContentLengthLong();
    if (declared > maxBytes) {
      drain(ctx, declared);
      throw tooLarge();
    }
    try {
      if (!slots.tryAcquire(SLOT_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
        throw new HttpProblem(503, "The service is receiving " + slotCount + " request bodies already; retry later", 1);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HttpProblem(503, "The service is shutting down", 1);
    }
    try (InputStream in = ctx.req().getInputStream()) {
      long until = System.nanoTime() + timeout.toNanos();
      ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 ? (int) declared : 8192);
      byte[] buffer = new byte[64 << 10];
      for (int n; (n = in.read(buffer)) >= 0; ) {
        out.write(buffer, 0, n);
        if (out.size() > maxBytes) {
          drain(ctx, -1);
          throw tooLarge();
        }
        if (System.nanoTime() - until > 0) {
          ctx.header("Connection", "close");
          throw new HttpProblem(408, "The request body did not arrive within " + timeout.toMillis() + " ms (the service's"
              + " --read-timeout)");
        }
      }
      return out.toByteArray();
    } catch (IOException e) {
      // The client closed the connection, or stalled past the idle timeout: nobody reads the answer.
      throw new HttpProblem(HttpProblem.CLIENT_CLOSED, "The client closed the connection before its request arrived");
    } finally {
      slots.release();
    }
  }

  /**
   * Reads and drops what is left of a body too large to keep, up to four times the bound and within
   * the read timeout, so that a client still sending it reads the 413 instead of a reset
   * connection; a body larger still is answered at once, and the connection closed.
   */
  private void drain(Context ctx, long declared) {
    ctx.header("Connection", "close");
    if (declared > 4 * maxBytes) {
      return;
    }
    long until = System.nanoTime() + timeout.toNanos();
    try {
      InputStream in = ctx.req().getInputStream();
      byte[] buffer = new byte[64 << 10];
      long total = 0;
      for (int n; (n = in.read(buffer)) >= 0 && total <= 4 * maxBytes && System.nanoTime() - until < 0; ) {
        total += n;
      }
    } catch (IOException e) {
      // the client left: the 413 goes nowhere, which is fine
    }
  }

  private HttpProblem tooLarge() {
    return new HttpProblem(413, "The request body is over " + maxBytes + " bytes (the service's --max-body-bytes)");
  }
}
