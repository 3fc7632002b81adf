package org.explain4j.service;

import java.awt.image.BufferedImage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.explain4j.exceptions.ExplainException;
import org.explain4j.exceptions.ImageTooLargeException;
import org.explain4j.input.Images;

/**
 * Decodes uploaded images, at most one per core at a time, each refused from its header when it
 * declares more than the pixel limit: memory for decoding stays below cores x limit x 4 bytes
 * whatever the clients send, and a valid image waits for its turn instead of being called corrupt.
 */
final class ImageDecoding {
  private final Semaphore slots;
  private final long maxPixels;

  ImageDecoding(int slots, long maxPixels) {
    this.slots = new Semaphore(slots, true);
    this.maxPixels = maxPixels;
  }

  long maxPixels() {
    return maxPixels;
  }

  /** The image; 413 over the pixel limit, 400 when it is not a readable image, 503 when no turn comes before the deadline. */
  BufferedImage decode(byte[] bytes, String name, long deadlineNanos) {
    try {
      if (!slots.tryAcquire(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        throw new HttpProblem(503, "Every image decoder stayed busy until the request's deadline; retry later", 1);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HttpProblem(503, "The service is shutting down", 1);
    }
    try {
      return Images.decode(bytes, name, maxPixels);
    } catch (ImageTooLargeException e) {
      throw new HttpProblem(413, e.getMessage() + " (the service's --max-pixels)");
    } catch (ExplainException e) {
      throw HttpProblem.badRequest(e.getMessage());
    } finally {
      slots.release();
    }
  }
}
