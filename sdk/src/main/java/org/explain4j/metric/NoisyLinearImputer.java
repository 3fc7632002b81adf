package org.explain4j.metric;

import java.util.Random;
import org.explain4j.input.ImageLayout;

/**
 * ROAD's imputation (Rong et al. 2022): every removed pixel takes the weighted mean of its eight
 * neighbours (weight 1/6 for the four direct ones, 1/12 for the diagonals, renormalised at the
 * border), removed neighbours included, which is a sparse linear system; it is solved here by
 * successive over-relaxation. Gaussian noise of {@code noise} standard deviation is then added to
 * the imputed values, so that the removed region's shape cannot leak through a perfectly smooth fill.
 */
final class NoisyLinearImputer {
  private static final int[][] NEIGHBOURS = {{-1, 0}, {1, 0}, {0, -1}, {0, 1}, {-1, -1}, {-1, 1}, {1, -1}, {1, 1}};
  private static final double DIRECT = 1.0 / 6;
  private static final double DIAGONAL = 1.0 / 12;
  private static final double OMEGA = 1.8;
  private static final double TOLERANCE = 1e-6;
  private static final int MAX_SWEEPS = 2000;

  private NoisyLinearImputer() {}

  /** The item with the pixels marked in {@code removed} (per pixel, all channels) imputed. */
  static float[] impute(float[] item, ImageLayout l, boolean[] removed, double noise, Random rng) {
    int h = l.height();
    int w = l.width();
    float[] out = item.clone();
    for (int c = 0; c < l.channels(); c++) {
      double[] v = new double[h * w];
      double keptMean = 0;
      int kept = 0;
      for (int p = 0; p < h * w; p++) {
        v[p] = item[l.at(p, c)];
        if (!removed[p]) {
          keptMean += v[p];
          kept++;
        }
      }
      keptMean = kept > 0 ? keptMean / kept : 0;
      for (int p = 0; p < h * w; p++) {
        if (removed[p]) {
          v[p] = keptMean; // the starting guess
        }
      }
      for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
        double change = 0;
        for (int p = 0; p < h * w; p++) {
          if (!removed[p]) {
            continue;
          }
          int y = p / w;
          int x = p % w;
          double sum = 0;
          double weights = 0;
          for (int k = 0; k < NEIGHBOURS.length; k++) {
            int ny = y + NEIGHBOURS[k][0];
            int nx = x + NEIGHBOURS[k][1];
            if (ny >= 0 && ny < h && nx >= 0 && nx < w) {
              double wk = k < 4 ? DIRECT : DIAGONAL;
              sum += wk * v[ny * w + nx];
              weights += wk;
            }
          }
          double next = v[p] + OMEGA * (sum / weights - v[p]);
          change = Math.max(change, Math.abs(next - v[p]));
          v[p] = next;
        }
        if (change < TOLERANCE) {
          break;
        }
      }
      for (int p = 0; p < h * w; p++) {
        if (removed[p]) {
          out[l.at(p, c)] = (float) (v[p] + (noise > 0 ? noise * rng.nextGaussian() : 0));
        }
      }
    }
    return out;
  }
}
