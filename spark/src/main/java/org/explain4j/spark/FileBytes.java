package org.explain4j.spark;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.explain4j.exceptions.InvalidInputException;

/**
 * An image file's bytes, read through Hadoop's FileSystem where the row is explained (any scheme the
 * cluster knows: {@code file:}, {@code hdfs:}, {@code s3a:}), so that only paths travel between
 * machines, never the bytes.
 */
final class FileBytes {
  /** A file that could not be read: gone, unreadable, or too large for one array. */
  static final class UnreadableFileException extends InvalidInputException {
    UnreadableFileException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** A file of zero bytes. */
  static final class EmptyFileException extends InvalidInputException {
    EmptyFileException() {
      super("The file is empty (0 bytes): there is no image to explain");
    }
  }

  private FileBytes() {}

  static byte[] read(String location, Configuration conf) {
    try {
      Path path = new Path(location);
      FileSystem fs = path.getFileSystem(conf);
      FileStatus status = fs.getFileStatus(path);
      if (status.isDirectory()) {
        throw new UnreadableFileException("Cannot read " + location + ": it is a folder, not an image file", null);
      }
      long length = status.getLen();
      if (length == 0) {
        throw new EmptyFileException();
      }
      if (length > Integer.MAX_VALUE - 16) {
        throw new UnreadableFileException("Cannot read " + location + ": " + length + " bytes is more than one array holds (2 GiB)", null);
      }
      byte[] bytes = new byte[(int) length];
      try (FSDataInputStream in = fs.open(path)) {
        in.readFully(0, bytes);
      }
      return bytes;
    } catch (IOException | IllegalArgumentException e) {
      throw new UnreadableFileException("Cannot read " + location + ": " + e, e);
    }
  }
}
