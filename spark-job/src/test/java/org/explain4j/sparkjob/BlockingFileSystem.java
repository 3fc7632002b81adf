package org.explain4j.sparkjob;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * Local files under {@code blocking:///abs/path} whose reads wait for the test: each {@code open}
 * leaves a marker naming its JVM in the folder {@code fs.blocking.markers}, then waits until a file
 * {@code release} appears there. The test sees every executor in the middle of a task before it
 * kills a worker, however fast the machine. Shipped to the cluster in a jar of its own.
 */
public final class BlockingFileSystem extends RawLocalFileSystem {
  @Override
  public URI getUri() {
    return URI.create("blocking:///");
  }

  @Override
  public String getScheme() {
    return "blocking";
  }

  // Plain statuses: the local ones read their permissions through java.io.File, which takes only file: URIs.
  @Override
  public FileStatus[] listStatus(org.apache.hadoop.fs.Path f) throws IOException {
    FileStatus[] local = super.listStatus(f);
    FileStatus[] out = new FileStatus[local.length];
    for (int i = 0; i < local.length; i++) {
      out[i] = plain(local[i]);
    }
    return out;
  }

  @Override
  public FileStatus getFileStatus(org.apache.hadoop.fs.Path f) throws IOException {
    return plain(super.getFileStatus(f));
  }

  private static FileStatus plain(FileStatus s) {
    return new FileStatus(s.getLen(), s.isDirectory(), 1, s.getBlockSize(), s.getModificationTime(), s.getPath());
  }

  @Override
  public FSDataInputStream open(org.apache.hadoop.fs.Path f, int bufferSize) throws IOException {
    Path markers = Path.of(getConf().get("fs.blocking.markers"));
    String pid = ManagementFactory.getRuntimeMXBean().getName().split("@")[0];
    Files.writeString(markers.resolve("reached-" + pid + "-" + UUID.randomUUID()), f.toString());
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (!Files.exists(markers.resolve("release"))) {
      if (System.nanoTime() > deadline) {
        throw new IOException("The test never released the reads");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("Interrupted while waiting for the release", e);
      }
    }
    return super.open(f, bufferSize);
  }
}
