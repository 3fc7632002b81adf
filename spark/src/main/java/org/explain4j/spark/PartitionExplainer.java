package org.explain4j.spark;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.explain4j.Explainer;
import org.explain4j.Explanation;
import org.explain4j.TargetExplanation;
import org.explain4j.input.ImagePreprocessor;
import org.explain4j.input.InputBatch;
import org.explain4j.render.Renderers;
import org.explain4j.render.Rendering;
import org.explain4j.render.ShowOptions;

/**
 * Explains one partition lazily, {@code batchSize} rows per session run: each row is read and
 * checked alone (a bad one becomes an error row), the good ones of a batch are explained together,
 * and each row leaves with its input columns and the explanation column appended.
 */
final class PartitionExplainer implements MapPartitionsFunction<Row, Row> {
  private final ExplainSettings settings;
  private final int column;
  private final InputKind kind;
  private final long[] shape;
  private final JobCounts counts;
  // Per partition, on the executor: set by call().
  private transient Configuration files;
  private transient Row failedProvenance;
  private transient String devices;

  /** {@code counts} may be null: the batch job counts, a plain transform does not. */
  PartitionExplainer(ExplainSettings settings, int column, InputKind kind, long[] shape, JobCounts counts) {
    this.settings = settings;
    this.column = column;
    this.kind = kind;
    this.shape = shape;
    this.counts = counts;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    devices = TaskDevices.gpus();
    TaskDevices.pointCudaEngineAt(devices);
    Explainer explainer = Explainers.get(settings, devices);
    ImagePreprocessor images = kind == InputKind.IMAGE || kind == InputKind.ENCODED || kind == InputKind.PATH
        ? settings.pixels().applyTo(ImagePreprocessor.forModel(explainer.model())).build() : null;
    files = kind == InputKind.PATH ? ModelFiles.hadoopConf() : null;
    failedProvenance = OutputSchema.provenance(settings.modelPath(), explainer.loaded().provenance(explainer.options()), devices);
    return new Iterator<>() {
      private final List<Row> ready = new ArrayList<>();
      private int next;

      @Override
      public boolean hasNext() {
        if (next < ready.size()) {
          return true;
        }
        ready.clear();
        next = 0;
        while (ready.isEmpty() && rows.hasNext()) {
          ready.addAll(explainBatch(explainer, images, take(rows)));
        }
        return !ready.isEmpty();
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return ready.get(next++);
      }
    };
  }

  private List<Row> take(Iterator<Row> rows) {
    List<Row> batch = new ArrayList<>();
    while (batch.size() < settings.batchSize() && rows.hasNext()) {
      batch.add(rows.next());
    }
    return batch;
  }

  private List<Row> explainBatch(Explainer explainer, ImagePreprocessor images, List<Row> rows) {
    Row[] out = new Row[rows.size()];
    List<Integer> good = new ArrayList<>();
    List<RowInputs.Item> items = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      try {
        items.add(RowInputs.item(rows.get(i), column, kind, shape, explainer, images, files));
        good.add(i);
      } catch (RuntimeException e) {
        out[i] = failed(rows.get(i), e);
      }
    }
    if (!items.isEmpty()) {
      try {
        explainTogether(explainer, rows, good, items, out);
      } catch (RuntimeException e) {
        // Items of different sizes cannot share a run, and a run may fail for one item: explain each alone.
        for (int k = 0; k < good.size(); k++) {
          explainTogether(explainer, rows, List.of(good.get(k)), List.of(items.get(k)), out);
        }
      }
    }
    return List.of(out);
  }

  private void explainTogether(Explainer explainer, List<Row> rows, List<Integer> at, List<RowInputs.Item> items, Row[] out) {
    try {
      InputBatch merged = items.size() == 1 ? items.get(0).batch() : InputBatch.concat(items.stream().map(RowInputs.Item::batch).toList());
      Explanation e = explainer.explain(merged, settings.targetsFor());
      Row[] made = new Row[at.size()];
      Row provenance = OutputSchema.provenance(settings.modelPath(), e.provenance(), devices); // one per run, shared by its rows
      for (int k = 0; k < at.size(); k++) {
        List<TargetExplanation> targets = e.forItem(k);
        List<byte[]> pngs = null;
        if (settings.png()) {
          pngs = new ArrayList<>();
          for (TargetExplanation t : targets) {
            Explanation single = e.alone(t);
            ShowOptions.Builder show = ShowOptions.builder().optFormat(Rendering.Format.PNG);
            if (items.get(k).image() != null) {
              show.optImages(List.of(items.get(k).image()));
            }
            pngs.add(Renderers.render(single, items.get(k).batch(), show.build()).content());
          }
        }
        made[k] = append(rows.get(at.get(k)), OutputSchema.explained(targets, settings.heatMap(), pngs, provenance));
      }
      // Only once every row of the run is made: a failure above has the rows explained again one by one.
      for (int k = 0; k < at.size(); k++) {
        out[at.get(k)] = made[k];
        if (counts != null) {
          counts.explained();
        }
      }
    } catch (RuntimeException ex) {
      if (at.size() > 1) {
        throw ex;
      }
      out[at.get(0)] = failed(rows.get(at.get(0)), ex);
    }
  }

  private Row failed(Row row, RuntimeException e) {
    String kind = OutputSchema.errorKind(e);
    if (counts != null) {
      counts.failed(kind);
    }
    return append(row, OutputSchema.failed(message(e), kind, failedProvenance));
  }

  private static String message(RuntimeException e) {
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }

  private static Row append(Row row, Row explanation) {
    Object[] values = new Object[row.size() + 1];
    for (int i = 0; i < row.size(); i++) {
      values[i] = row.get(i);
    }
    values[row.size()] = explanation;
    return RowFactory.create(values);
  }
}
