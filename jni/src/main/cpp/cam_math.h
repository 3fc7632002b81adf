// Per-element Grad-CAM arithmetic shared by the C++ CPU engine and the CUDA kernels, so that the
// CPU tests exercise the very arithmetic the GPU runs. Conventions match the Java reference
// (org.explain4j.cam.GradCam, AxisResampling): half-pixel centres, clamped borders, Keys cubic
// with a = -0.5.
#ifndef EXPLAIN4J_CAM_MATH_H
#define EXPLAIN4J_CAM_MATH_H

#include <math.h>

#ifdef __CUDACC__
#define E4J_HD __host__ __device__ inline
#else
#define E4J_HD inline
#endif

namespace e4j {

// The codes of org.explain4j.cam.Interpolation.code(): change both together (a test compares them).
enum Interpolation { NEAREST = 0, BILINEAR = 1, BICUBIC = 2 };

// The codes of org.explain4j.engine.CamFormula.code(): change both together (a test compares them).
enum Formula { GRAD_CAM = 0, HIRES_CAM = 1, GRAD_CAM_ELEMENTWISE = 2, LAYER_CAM = 3, XGRAD_CAM = 4 };

// Whether a formula weighs each channel's activations by one number (Grad-CAM, XGrad-CAM); the
// others sum an element-wise term over the channels.
E4J_HD bool weighs_channels(int formula) { return formula == GRAD_CAM || formula == XGRAD_CAM; }

// XGrad-CAM's channel weight from sum(G A) and sum(A); a channel zero everywhere adds nothing.
E4J_HD double xgrad_weight(double sum_ga, double sum_a) { return sum_a == 0 ? 0 : sum_ga / sum_a; }

// The element-wise methods' term of one channel at one cell, from its (signed) gradient and activation.
E4J_HD float elementwise_term(int formula, float g, float a) {
  if (formula == HIRES_CAM) return g * a;
  if (formula == GRAD_CAM_ELEMENTWISE) { float t = g * a; return t < 0 ? 0.f : t; }
  return (g < 0 ? 0.f : g) * a;  // LAYER_CAM
}

E4J_HD int taps_of(int kind) { return kind == NEAREST ? 1 : kind == BILINEAR ? 2 : 4; }

E4J_HD double clampd(double v, double lo, double hi) { return v < lo ? lo : (v > hi ? hi : v); }

E4J_HD int clampi(int v, int lo, int hi) { return v < lo ? lo : (v > hi ? hi : v); }

// Keys' cubic convolution kernel, a = -0.5.
E4J_HD double keys(double x) {
  const double a = -0.5;
  double ax = fabs(x);
  if (ax <= 1) return ((a + 2) * ax - (a + 3)) * ax * ax + 1;
  if (ax < 2) return ((a * ax - 5 * a) * ax + 8 * a) * ax - 4 * a;
  return 0;
}

// Source indices and weights of output coordinate o when resampling an axis from in to out cells.
E4J_HD void axis_taps(int in, int out, int kind, int o, int* index, float* weight) {
  double scale = (double) in / out;
  if (kind == NEAREST) {
    int i = (int) floor((o + 0.5) * scale);
    index[0] = i < in - 1 ? i : in - 1;
    weight[0] = 1.f;
  } else if (kind == BILINEAR) {
    double src = clampd((o + 0.5) * scale - 0.5, 0, in - 1);
    int i0 = (int) floor(src);
    int i1 = i0 + 1 < in - 1 ? i0 + 1 : in - 1;
    double t = src - i0;
    index[0] = i0;
    index[1] = i1;
    weight[0] = (float) (1 - t);
    weight[1] = (float) t;
  } else {
    double src = (o + 0.5) * scale - 0.5;
    int i1 = (int) floor(src);
    double t = src - i1;
    for (int k = 0; k < 4; k++) {
      index[k] = clampi(i1 - 1 + k, 0, in - 1);
      weight[k] = (float) keys(t - (k - 1));
    }
  }
}

// Offset of element (cell, channel) of one item, channels-last or channels-first.
E4J_HD long element(int cell, int channel, int cells, int channels, int channels_first) {
  return channels_first ? (long) channel * cells + cell : (long) cell * channels + channel;
}

E4J_HD float relu_of(float v) { return v < 0 ? 0.f : v; }

E4J_HD float clampf(float v, float lo, float hi) { return v < lo ? lo : (v > hi ? hi : v); }

}  // namespace e4j

#endif
