package org.explain4j;

import java.util.EnumSet;
import java.util.Set;
import org.explain4j.engine.CamTask;
import org.explain4j.method.AttributionMethod;
import org.explain4j.model.LayerKind;
import org.explain4j.method.MethodInput;
import org.explain4j.method.MethodMaps;

/**
 * A method that exists only in the tests, registered by one line in the test resources' services
 * file: the sum of the activations over channels. It shows that adding a method touches nothing else.
 */
public final class ChannelSumMethod implements AttributionMethod {
  /** The last task's buffers, kept past compute as a careless method might: reading them later must fail cleanly. */
  static volatile CamTask.Buffers kept;

  @Override
  public String name() {
    return "test-channel-sum";
  }

  @Override
  public Set<Need> needs() {
    return EnumSet.of(Need.ACTIVATIONS);
  }

  @Override
  public boolean supports(LayerKind kind) {
    return kind == LayerKind.SPATIAL;
  }

  @Override
  public MethodMaps compute(MethodInput input) {
    CamTask.Layout l = input.layout();
    kept = input.buffers();
    float[] acts = input.activationValues();
    float[] maps = new float[l.batch() * l.cells()];
    for (int i = 0; i < maps.length; i++) {
      for (int c = 0; c < l.channels(); c++) {
        maps[i] += acts[i * l.channels() + c];
      }
    }
    float[] heat = new float[l.batch() * input.options().outSize()];
    return new MethodMaps(l.height(), l.width(), maps, input.options().outHeight(), input.options().outWidth(), heat,
        new boolean[l.batch()], "java");
  }
}
