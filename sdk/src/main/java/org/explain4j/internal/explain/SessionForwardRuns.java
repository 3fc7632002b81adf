package org.explain4j.internal.explain;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.explain4j.input.InputBatch;
import org.explain4j.internal.graph.ExplainSession;
import org.explain4j.internal.graph.ScoreGraph;
import org.explain4j.internal.tf.InputChecks;
import org.explain4j.method.ForwardRuns;
import org.explain4j.model.TensorSpec;

/** The forward runs a method may ask for, on the explainer's session, around the batch being explained. */
public final class SessionForwardRuns implements ForwardRuns {
  private final ExplainSession session;
  private final ScoreGraph scoreGraph;
  private final List<TensorSpec> specs;
  private final Map<String, InputBatch> inputs;
  private final String key;
  /** The batch size the signature fixes (runs of several copies are cut into runs of it), or 0. */
  private final int fixedBatch;

  public SessionForwardRuns(ExplainSession session, ScoreGraph scores, List<TensorSpec> specs, Map<String, InputBatch> inputs,
      int fixedBatch) {
    this.session = session;
    this.scoreGraph = scores;
    this.specs = specs;
    this.inputs = inputs;
    this.key = session.model().input().key();
    this.fixedBatch = fixedBatch;
  }

  @Override
  public InputBatch input() {
    return inputs.get(key);
  }

  @Override
  public float[] scores(InputBatch input) {
    Map<String, InputBatch> changed = new HashMap<>(tiled(copies(input.batchSize())));
    changed.put(key, input);
    return inRuns(changed, null);
  }

  @Override
  public float[] scoresWithLayer(InputBatch layerValues) {
    return inRuns(tiled(copies(layerValues.batchSize())), layerValues);
  }

  /** One run, or runs of the size the signature fixes (whole copies of the batch, which has that size). */
  private float[] inRuns(Map<String, InputBatch> fed, InputBatch layerValues) {
    int items = FixedBatchRuns.batchOf(fed);
    if (!FixedBatchRuns.needed(fixedBatch, items)) {
      return session.scores(scoreGraph, ready(fed, layerValues), layerValues);
    }
    return FixedBatchRuns.joinRuns(items, fixedBatch, from -> {
      int to = Math.min(items, from + fixedBatch);
      InputBatch layer = layerValues == null ? null : FixedBatchRuns.slice(layerValues, from, to, fixedBatch);
      return session.scores(scoreGraph, ready(FixedBatchRuns.slice(fed, from, to, fixedBatch), layer), layer);
    });
  }

  /** Changed inputs are checked; with layer values fed, the inputs are the explained batch's, checked already. */
  private Map<String, InputBatch> ready(Map<String, InputBatch> fed, InputBatch layerValues) {
    return layerValues == null ? InputChecks.prepare(specs, fed).inputs() : fed;
  }

  /** How many copies of the explained batch a run of {@code items} items stands for. */
  private int copies(int items) {
    int batch = input().batchSize();
    if (items % batch != 0) {
      throw new IllegalArgumentException("A forward run of " + items + " items is not whole copies of the batch of " + batch);
    }
    return items / batch;
  }

  /** The inputs repeated {@code copies} times along the batch, so that runs of several copies stay consistent. */
  private Map<String, InputBatch> tiled(int copies) {
    if (copies == 1) {
      return inputs;
    }
    Map<String, InputBatch> out = new HashMap<>();
    inputs.forEach((k, v) -> out.put(k, InputBatch.concat(java.util.Collections.nCopies(copies, v))));
    return out;
  }
}
