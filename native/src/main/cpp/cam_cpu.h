// The C++ CPU Grad-CAM engine: channel means of the gradients, weighted sum, ReLU, normalisation
// and separable resampling, one item per task, spread over threads.
#ifndef EXPLAIN4J_CAM_CPU_H
#define EXPLAIN4J_CAM_CPU_H

#include <algorithm>
#include <atomic>
#include <cmath>
#include <thread>
#include <vector>

#include "cam_math.h"

namespace e4j {

// One item: returns false when its map is not finite (NaN or infinity in its inputs).
inline bool gradcam_item(const float* acts, const float* grads, int h, int w, int c, int channels_first, float sign,
    int relu, int out_h, int out_w, const int* row_index, const float* row_weight, const int* col_index,
    const float* col_weight, int kind, float* layer_map, float* heat_map, unsigned char* all_zero,
    std::vector<double>& sums, std::vector<float>& weights, std::vector<float>& wide) {
  const int cells = h * w;
  sums.assign(c, 0.0);
  if (channels_first) {
    for (int ch = 0; ch < c; ch++) {
      double s = 0;
      const float* g = grads + (long) ch * cells;
      for (int i = 0; i < cells; i++) s += g[i];
      sums[ch] = s;
    }
  } else {
    // Float partial sums over blocks of cells (vectorised), folded into doubles.
    std::vector<float> partial(c);
    for (int start = 0; start < cells; start += 64) {
      std::fill(partial.begin(), partial.end(), 0.f);
      int end = std::min(cells, start + 64);
      for (int i = start; i < end; i++) {
        const float* g = grads + (long) i * c;
        for (int ch = 0; ch < c; ch++) partial[ch] += g[ch];
      }
      for (int ch = 0; ch < c; ch++) sums[ch] += partial[ch];
    }
  }
  weights.resize(c);
  for (int ch = 0; ch < c; ch++) weights[ch] = (float) (sign * sums[ch] / cells);

  bool finite = true;
  float max_abs = 0.f;
  if (channels_first) {
    std::fill(layer_map, layer_map + cells, 0.f);
    for (int ch = 0; ch < c; ch++) {
      const float wc = weights[ch];
      const float* a = acts + (long) ch * cells;
      for (int i = 0; i < cells; i++) layer_map[i] += wc * a[i];
    }
  } else {
    for (int i = 0; i < cells; i++) {
      const float* a = acts + (long) i * c;
      float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
      int ch = 0;
      for (; ch + 7 < c; ch += 8) {
        s0 += weights[ch] * a[ch];
        s1 += weights[ch + 1] * a[ch + 1];
        s2 += weights[ch + 2] * a[ch + 2];
        s3 += weights[ch + 3] * a[ch + 3];
        s4 += weights[ch + 4] * a[ch + 4];
        s5 += weights[ch + 5] * a[ch + 5];
        s6 += weights[ch + 6] * a[ch + 6];
        s7 += weights[ch + 7] * a[ch + 7];
      }
      for (; ch < c; ch++) s0 += weights[ch] * a[ch];
      layer_map[i] = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }
  }
  for (int i = 0; i < cells; i++) {
    float v = layer_map[i];
    finite = finite && std::isfinite(v);
    if (relu) v = relu_of(v);
    layer_map[i] = v;
    max_abs = std::max(max_abs, std::fabs(v));
  }
  if (!finite) return false;
  const int out_cells = out_h * out_w;
  if (!(max_abs > 0)) {
    *all_zero = 1;
    std::fill(heat_map, heat_map + out_cells, 0.f);
    return true;
  }
  *all_zero = 0;
  const float scale = 1.f / max_abs;
  const float lo = relu ? 0.f : -1.f;
  const int ct = taps_of(kind);
  const int rt = ct;
  wide.resize((size_t) h * out_w);
  for (int y = 0; y < h; y++) {
    const float* row = layer_map + (long) y * w;
    float* dst = wide.data() + (long) y * out_w;
    for (int x = 0; x < out_w; x++) {
      float s = 0;
      for (int k = 0; k < ct; k++) s += col_weight[x * ct + k] * row[col_index[x * ct + k]];
      dst[x] = s * scale;
    }
  }
  for (int y = 0; y < out_h; y++) {
    float* dst = heat_map + (long) y * out_w;
    std::fill(dst, dst + out_w, 0.f);
    for (int k = 0; k < rt; k++) {
      const float wk = row_weight[y * rt + k];
      const float* src = wide.data() + (long) row_index[y * rt + k] * out_w;
      for (int x = 0; x < out_w; x++) dst[x] += wk * src[x];
    }
    for (int x = 0; x < out_w; x++) dst[x] = clampf(dst[x], lo, 1.f);
  }
  return true;
}

// The whole batch. Returns 0, or -(item + 1) for the first item whose map is not finite.
inline int gradcam_cpu(const float* acts, const float* grads, int batch, int h, int w, int c, int channels_first,
    float sign, int relu, int out_h, int out_w, int kind, float* layer_maps, float* heat_maps,
    unsigned char* all_zero, int threads) {
  const int ct = taps_of(kind);
  std::vector<int> row_index((size_t) out_h * ct), col_index((size_t) out_w * ct);
  std::vector<float> row_weight((size_t) out_h * ct), col_weight((size_t) out_w * ct);
  for (int o = 0; o < out_h; o++) axis_taps(h, out_h, kind, o, &row_index[(size_t) o * ct], &row_weight[(size_t) o * ct]);
  for (int o = 0; o < out_w; o++) axis_taps(w, out_w, kind, o, &col_index[(size_t) o * ct], &col_weight[(size_t) o * ct]);
  const long item_size = (long) h * w * c;
  std::atomic<int> next(0);
  std::atomic<int> bad(batch);
  auto work = [&]() {
    std::vector<double> sums;
    std::vector<float> weights, wide;
    for (int b = next++; b < batch; b = next++) {
      bool ok = gradcam_item(acts + b * item_size, grads + b * item_size, h, w, c, channels_first, sign, relu, out_h,
          out_w, row_index.data(), row_weight.data(), col_index.data(), col_weight.data(), kind,
          layer_maps + (long) b * h * w, heat_maps + (long) b * out_h * out_w, all_zero + b, sums, weights, wide);
      if (!ok) {
        int seen = bad.load();
        while (b < seen && !bad.compare_exchange_weak(seen, b)) {
        }
      }
    }
  };
  int n = std::max(1, std::min(threads, batch));
  std::vector<std::thread> pool;
  for (int t = 1; t < n; t++) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  return bad.load() < batch ? -(bad.load() + 1) : 0;
}

}  // namespace e4j

// The entry point bound by JavaCPP.
inline int e4j_gradcam_cpu(const float* acts, const float* grads, int batch, int h, int w, int c, int channels_first,
    float sign, int relu, int out_h, int out_w, int kind, float* layer_maps, float* heat_maps,
    unsigned char* all_zero, int threads) {
  return e4j::gradcam_cpu(acts, grads, batch, h, w, c, channels_first, sign, relu, out_h, out_w, kind, layer_maps,
      heat_maps, all_zero, threads);
}

#endif
