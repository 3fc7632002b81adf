package org.explain4j.spark;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
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

  PartitionExplainer(ExplainSettings settings, int column, InputKind kind, long[] shape) {
    this.settings = settings;
    this.column = column;
    this.kind = kind;
    this.shape = shape;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    Explainer explainer = Explainers.get(settings);
    ImagePreprocessor images = kind == InputKind.IMAGE || kind == InputKind.ENCODED
        ? settings.pixels().applyTo(ImagePreprocessor.forModel(explainer.model())).build() : null;
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
        items.add(RowInputs.item(rows.get(i), column, kind, shape, explainer, images));
        good.add(i);
      } catch (RuntimeException e) {
        out[i] = append(rows.get(i), OutputSchema.failed(message(e)));
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
        out[at.get(k)] = append(rows.get(at.get(k)), OutputSchema.explained(targets, settings.heatMap(), pngs));
      }
    } catch (RuntimeException ex) {
      if (at.size() > 1) {
        throw ex;
      }
      out[at.get(0)] = append(rows.get(at.get(0)), OutputSchema.failed(message(ex)));
    }
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
