package org.explain4j.spark;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.SparkContext;
import org.apache.spark.util.AccumulatorV2;
import org.apache.spark.util.LongAccumulator;

/**
 * What a job's rows came to, counted on the executors as the rows are made: Spark merges a task's
 * counts once, when it finishes first, so a retried or lost task is not counted twice and the
 * summary needs no second pass over the output.
 */
final class JobCounts implements Serializable {
  private final LongAccumulator explained;
  private final ByKind failed;

  private JobCounts(LongAccumulator explained, ByKind failed) {
    this.explained = explained;
    this.failed = failed;
  }

  static JobCounts register(SparkContext spark) {
    LongAccumulator explained = spark.longAccumulator("explain4j explained");
    ByKind failed = new ByKind();
    spark.register(failed, "explain4j failed by kind");
    return new JobCounts(explained, failed);
  }

  void explained() {
    explained.add(1);
  }

  void failed(String kind) {
    failed.add(kind);
  }

  long explainedCount() {
    return explained.value();
  }

  /** Failed rows by their {@code errorKind}, in name order. */
  Map<String, Long> failures() {
    return failed.value();
  }

  /** Counts per kind. */
  static final class ByKind extends AccumulatorV2<String, Map<String, Long>> {
    private final TreeMap<String, Long> counts = new TreeMap<>();

    @Override
    public boolean isZero() {
      return counts.isEmpty();
    }

    @Override
    public ByKind copy() {
      ByKind c = new ByKind();
      c.counts.putAll(counts);
      return c;
    }

    @Override
    public void reset() {
      counts.clear();
    }

    @Override
    public void add(String kind) {
      counts.merge(kind, 1L, Long::sum);
    }

    @Override
    public void merge(AccumulatorV2<String, Map<String, Long>> other) {
      other.value().forEach((k, v) -> counts.merge(k, v, Long::sum));
    }

    @Override
    public Map<String, Long> value() {
      return new TreeMap<>(counts);
    }
  }
}
