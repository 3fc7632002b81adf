package org.explain4j.spark;

import java.net.URI;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * Local files under a scheme of its own ({@code foreign:///abs/path}), standing in for
 * {@code hdfs:} or {@code s3a:}: a model at such a URI must be copied through Hadoop's FileSystem
 * before TensorFlow can read it.
 */
public final class ForeignFileSystem extends RawLocalFileSystem {
  @Override
  public URI getUri() {
    return URI.create("foreign:///");
  }

  @Override
  public String getScheme() {
    return "foreign";
  }
}
