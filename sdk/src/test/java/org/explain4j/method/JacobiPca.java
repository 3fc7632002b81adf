package org.explain4j.method;

/**
 * The first principal component by another road than the implementation's power iteration: the
 * covariance matrix formed in full and diagonalised by cyclic Jacobi rotations.
 */
final class JacobiPca {
  private JacobiPca() {}

  /** The rows of {@code x}, centred per column, projected on the eigenvector of the largest eigenvalue of X^T X. */
  static double[] projection(double[][] x) {
    int n = x.length;
    int m = x[0].length;
    double[][] centred = new double[n][m];
    for (int c = 0; c < m; c++) {
      double mean = 0;
      for (double[] row : x) {
        mean += row[c];
      }
      mean /= n;
      for (int r = 0; r < n; r++) {
        centred[r][c] = x[r][c] - mean;
      }
    }
    double[][] a = new double[m][m];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < m; j++) {
        for (double[] row : centred) {
          a[i][j] += row[i] * row[j];
        }
      }
    }
    double[] top = topEigen(a);
    double[] out = new double[n];
    for (int r = 0; r < n; r++) {
      for (int c = 0; c < m; c++) {
        out[r] += centred[r][c] * top[c + 1];
      }
    }
    return out;
  }

  /**
   * The largest eigenvalue of the symmetric matrix {@code sym} (left unchanged) and its unit
   * eigenvector, by cyclic Jacobi rotations: {@code [value, v0, v1, ...]}.
   */
  static double[] topEigen(double[][] sym) {
    int m = sym.length;
    double[][] a = new double[m][];
    for (int i = 0; i < m; i++) {
      a[i] = sym[i].clone();
    }
    double[][] v = new double[m][m];
    for (int i = 0; i < m; i++) {
      v[i][i] = 1;
    }
    for (int sweep = 0; sweep < 100; sweep++) {
      double off = 0;
      for (int p = 0; p < m; p++) {
        for (int q = p + 1; q < m; q++) {
          off += a[p][q] * a[p][q];
        }
      }
      if (off < 1e-22) {
        break;
      }
      for (int p = 0; p < m; p++) {
        for (int q = p + 1; q < m; q++) {
          if (Math.abs(a[p][q]) < 1e-300) {
            continue;
          }
          double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
          double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
          if (theta == 0) {
            t = 1;
          }
          double c = 1 / Math.sqrt(t * t + 1);
          double s = t * c;
          for (int k = 0; k < m; k++) {
            double akp = a[k][p];
            double akq = a[k][q];
            a[k][p] = c * akp - s * akq;
            a[k][q] = s * akp + c * akq;
          }
          for (int k = 0; k < m; k++) {
            double apk = a[p][k];
            double aqk = a[q][k];
            a[p][k] = c * apk - s * aqk;
            a[q][k] = s * apk + c * aqk;
          }
          for (int k = 0; k < m; k++) {
            double vkp = v[k][p];
            double vkq = v[k][q];
            v[k][p] = c * vkp - s * vkq;
            v[k][q] = s * vkp + c * vkq;
          }
        }
      }
    }
    int top = 0;
    for (int i = 1; i < m; i++) {
      if (a[i][i] > a[top][top]) {
        top = i;
      }
    }
    double[] out = new double[m + 1];
    out[0] = a[top][top];
    for (int k = 0; k < m; k++) {
      out[k + 1] = v[k][top];
    }
    return out;
  }
  /** The (unnormalised) covariance of two series: its sign says whether they rise together. */
  static double covariance(double[] a, double[] b) {
    double ma = 0;
    double mb = 0;
    for (int i = 0; i < a.length; i++) {
      ma += a[i];
      mb += b[i];
    }
    ma /= a.length;
    mb /= b.length;
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (a[i] - ma) * (b[i] - mb);
    }
    return s;
  }
}
