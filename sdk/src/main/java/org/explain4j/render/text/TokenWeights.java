package org.explain4j.render.text;

import java.util.ArrayList;
import java.util.List;
import org.explain4j.HeatMap;
import org.explain4j.TargetExplanation;
import org.explain4j.exceptions.InvalidInputException;
import org.explain4j.cam.AxisResampling;
import org.explain4j.cam.GradCam;
import org.explain4j.cam.Interpolation;

/**
 * One weight per displayed token, in [-1, 1] (in [0, 1] after a ReLU), with the target's label and
 * score: a sequence explanation made ready for display. Immutable.
 */
public record TokenWeights(List<String> tokens, float[] weights, String label, float score, Double probability) {

  public TokenWeights {
    tokens = List.copyOf(tokens);
    weights = weights.clone();
    if (tokens.size() != weights.length) {
      throw new IllegalArgumentException(tokens.size() + " tokens but " + weights.length + " weights");
    }
  }

  @Override
  public float[] weights() {
    return weights.clone();
  }

  /**
   * The explanation's map at the layer's resolution, normalised and resampled to one value per
   * token with {@code kind} (as ELI5's {@code interpolation_kind}), then with the padding removed:
   * the run of {@code padValue} tokens at the start ({@link Padding#PRE}) or at the end
   * ({@link Padding#POST}). {@code padValue} may be null when there is no padding.
   */
  public static TokenWeights of(TargetExplanation t, List<String> tokens, String padValue, Padding padding, Interpolation kind) {
    if (tokens.isEmpty()) {
      throw new InvalidInputException("No tokens to weigh");
    }
    HeatMap map = t.layerMap();
    if (map.height() != 1) {
      throw new InvalidInputException("Token weights need a sequence map (height 1), got " + map.height() + "x" + map.width()
          + ": explain a temporal layer [batch, time, channels]");
    }
    float[] values = map.values();
    GradCam.normalise(values);
    float[] perToken = GradCam.resample(values, AxisResampling.of(1, 1, kind), AxisResampling.of(values.length, tokens.size(), kind), -1f, 1f);
    int from = 0;
    int to = tokens.size();
    if (padValue != null) {
      if (padding == Padding.PRE) {
        while (from < to && tokens.get(from).equals(padValue)) {
          from++;
        }
      } else {
        while (to > from && tokens.get(to - 1).equals(padValue)) {
          to--;
        }
      }
    }
    List<String> kept = new ArrayList<>(tokens.subList(from, to));
    float[] weights = java.util.Arrays.copyOfRange(perToken, from, to);
    return new TokenWeights(kept, weights, t.label().orElse(String.valueOf(t.target())), t.score(),
        t.probability().isPresent() ? t.probability().getAsDouble() : null);
  }
}
