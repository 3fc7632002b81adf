package org.explain4j.internal.graph;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.explain4j.exceptions.ExplainException;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.proto.DataType;

/**
 * The tokens a raw-text model sees, in its own vocabulary: the ids it pads to a fixed length and
 * embeds (the indices an embedding lookup reads), turned back into words through the lookup table
 * that made them (Keras' StringLookup and TextVectorization: a hash table filled at load). Id 0 is
 * padding (an empty token), an id the table lacks is the out-of-vocabulary token.
 */
final class TextVocabulary {
  /** Ops that read an embedding's rows by id. */
  private static final Set<String> LOOKUPS = Set.of("GatherV2", "Gather", "ResourceGather", "ResourceGatherNd", "GatherNd");
  private static final Set<String> TABLE_FINDS = Set.of("LookupTableFindV2", "LookupTableFind");
  /** What stands for an id the table does not hold (Keras' own token for it). */
  static final String UNKNOWN = "[UNK]";

  private final Output<?> ids;
  private final Map<Long, String> words;

  private TextVocabulary(Output<?> ids, Map<Long, String> words) {
    this.ids = ids;
    this.words = words;
  }

  /** The padded ids tensor {@code [batch, time]} to fetch for an input. */
  Output<?> ids() {
    return ids;
  }

  String word(long id) {
    return id == 0 ? "" : words.getOrDefault(id, UNKNOWN);
  }

  /** Finds the ids and reads the vocabulary once; throws naming what is missing. Call under the graph's lock. */
  static TextVocabulary of(Graph graph, Session session, Set<GraphOperation> pathOps) {
    Output<?> ids = null;
    for (GraphOperation op : pathOps) {
      if (LOOKUPS.contains(op.type()) && op.numInputs() >= 2) {
        Output<?> indices = op.input(1);
        boolean integer = indices.dataType() == DataType.DT_INT32 || indices.dataType() == DataType.DT_INT64;
        if (integer && indices.shape().numDimensions() == 2) {
          ids = indices;
          break;
        }
      }
    }
    if (ids == null) {
      throw new ExplainException("No token ids [batch, time] read by an embedding lookup on the path from the text input: the"
          + " model's tokens cannot be shown; give them with --tokens or optTokens");
    }
    GraphOperation find = null;
    for (GraphOperation op : GraphPaths.ancestors((GraphOperation) ids.op())) {
      if (TABLE_FINDS.contains(op.type())) {
        find = op;
      }
    }
    if (find == null) {
      throw new ExplainException("No lookup table turns the text into ids '" + ids.op().name() + "': the model's vocabulary is unknown");
    }
    String name = "vocabulary_" + find.name().replace('/', '_');
    GraphOperation export = graph.operation("explain4j/" + name);
    if (export == null) {
      org.tensorflow.op.Ops tf = org.tensorflow.op.Ops.create(graph).withSubScope("explain4j").withName(name);
      Class<? extends org.tensorflow.types.family.TType> values = find.output(0).dataType() == DataType.DT_INT64
          ? org.tensorflow.types.TInt64.class : org.tensorflow.types.TInt32.class;
      export = (GraphOperation) tf.lookupTableExport(find.input(0), org.tensorflow.types.TString.class, values).op();
    }
    Map<Long, String> words = new HashMap<>();
    try (Result r = session.runner().fetch(export.output(0)).fetch(export.output(1)).run()) {
      org.tensorflow.types.TString keys = (org.tensorflow.types.TString) r.get(0);
      org.tensorflow.Tensor values = r.get(1);
      for (long i = 0; i < keys.size(); i++) {
        long id = values instanceof org.tensorflow.types.TInt64 v ? v.getLong(i) : ((org.tensorflow.types.TInt32) values).getInt(i);
        words.put(id, keys.getObject(i));
      }
    }
    return new TextVocabulary(ids, words);
  }
}
