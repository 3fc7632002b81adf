package org.explain4j;

import java.util.EnumSet;
import java.util.Set;
import org.explain4j.engine.CamTask;
import org.explain4j.input.InputBatch;
import org.explain4j.method.AttributionMethod;
import org.explain4j.model.LayerKind;
import org.explain4j.method.MethodInput;
import org.explain4j.method.MethodMaps;

/**
 * A test-only method that reports what its forward runs return, as a 1 x 3 map per item: the
 * target's score for the explained input run again, for the layer fed its own activations, and for
 * the layer fed twice its activations.
 */
public final class ForwardRunsMethod implements AttributionMethod {

  @Override
  public String name() {
    return "test-forward-runs";
  }

  @Override
  public Set<Need> needs() {
    return EnumSet.of(Need.ACTIVATIONS, Need.FORWARD_RUNS);
  }

  @Override
  public boolean supports(LayerKind kind) {
    return kind == LayerKind.SPATIAL;
  }

  @Override
  public MethodMaps compute(MethodInput input) {
    CamTask.Layout l = input.layout();
    float[] acts = input.activationValues();
    float[] doubled = acts.clone();
    for (int i = 0; i < doubled.length; i++) {
      doubled[i] *= 2;
    }
    long[] shape = {l.batch(), l.height(), l.width(), l.channels()};
    float[] again = input.forward().scores(input.forward().input());
    float[] same = input.forward().scoresWithLayer(InputBatch.ofFloats(acts, shape));
    float[] twice = input.forward().scoresWithLayer(InputBatch.ofFloats(doubled, shape));
    int classes = again.length / l.batch();
    float[] maps = new float[l.batch() * 3];
    for (int item = 0; item < l.batch(); item++) {
      int at = item * classes + input.targets()[item];
      maps[item * 3] = again[at];
      maps[item * 3 + 1] = same[at];
      maps[item * 3 + 2] = twice[at];
    }
    return new MethodMaps(1, 3, maps, 1, 3, new float[maps.length], new boolean[l.batch()], "java");
  }
}
