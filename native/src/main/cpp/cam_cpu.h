// The C++ CPU CAM engine: Grad-CAM (channel means of the gradients, weighted sum), XGrad-CAM and
// the element-wise formulas, then ReLU, normalisation and separable resampling, one item per task,
// spread over threads.
#ifndef EXPLAIN4J_CAM_CPU_H
#define EXPLAIN4J_CAM_CPU_H

#include <algorithm>
#include <atomic>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "cam_math.h"

namespace e4j {

// The ReLU over one item's layer map, its largest magnitude and whether it is all zero; false when
// a value is not finite (NaN or infinity in the item's inputs).
inline bool finish_item(float* layer_map, int cells, int relu, unsigned char* all_zero, float* max_out) {
  bool finite = true;
  float max_abs = 0.f;
  for (int i = 0; i < cells; i++) {
    float v = layer_map[i];
    finite = finite && std::isfinite(v);
    if (relu) v = relu_of(v);
    layer_map[i] = v;
    max_abs = std::max(max_abs, std::fabs(v));
  }
  if (!finite) return false;
  *all_zero = max_abs > 0 ? 0 : 1;
  *max_out = max_abs;
  return true;
}

// One item: returns false when its map is not finite (NaN or infinity in its inputs).
// One item's layer map (after the ReLU) and its largest absolute value; false when not finite.
inline bool gradcam_item(const float* acts, const float* grads, int h, int w, int c, int channels_first, float sign,
    int relu, float* layer_map, unsigned char* all_zero, float* max_out, std::vector<double>& sums,
    std::vector<float>& weights) {
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
  return finish_item(layer_map, cells, relu, all_zero, max_out);
}

// One item of the other formulas: XGrad-CAM's weights sum(G A) / sum(A), or an element-wise sum
// over channels. Sums in double, as the Java methods do; the ReLU and the largest magnitude as above.
inline bool family_item(int formula, const float* acts, const float* grads, int h, int w, int c, int channels_first,
    float sign, int relu, float* layer_map, unsigned char* all_zero, float* max_out, std::vector<double>& weights) {
  const int cells = h * w;
  if (formula == XGRAD_CAM) {
    weights.assign(c, 0.0);
    for (int ch = 0; ch < c; ch++) {
      double ga = 0, sa = 0;
      for (int i = 0; i < cells; i++) {
        long at = element(i, ch, cells, c, channels_first);
        ga += (double) (sign * grads[at]) * acts[at];
        sa += acts[at];
      }
      weights[ch] = xgrad_weight(ga, sa);
    }
  }
  for (int i = 0; i < cells; i++) {
    double s = 0;
    for (int ch = 0; ch < c; ch++) {
      long at = element(i, ch, cells, c, channels_first);
      s += formula == XGRAD_CAM ? weights[ch] * acts[at] : (double) elementwise_term(formula, sign * grads[at], acts[at]);
    }
    layer_map[i] = (float) s;
  }
  return finish_item(layer_map, cells, relu, all_zero, max_out);
}

// The column pass of one item's resampling, scaled by 1 / max: h rows of out_w values into wide.
inline void resample_columns(const float* layer_map, int h, int w, int out_w, const int* col_index,
    const float* col_weight, int taps, float scale, float* wide) {
  for (int y = 0; y < h; y++) {
    const float* row = layer_map + (long) y * w;
    float* dst = wide + (long) y * out_w;
    for (int x = 0; x < out_w; x++) {
      float s = 0;
      for (int k = 0; k < taps; k++) s += col_weight[x * taps + k] * row[col_index[x * taps + k]];
      dst[x] = s * scale;
    }
  }
}

// The row pass for output row y of one item, clamped to [lo, 1].
inline void resample_row(const float* wide, int out_w, const int* row_index, const float* row_weight, int taps, int y,
    float lo, float* dst) {
  std::fill(dst, dst + out_w, 0.f);
  for (int k = 0; k < taps; k++) {
    const float wk = row_weight[y * taps + k];
    const float* src = wide + (long) row_index[y * taps + k] * out_w;
    for (int x = 0; x < out_w; x++) dst[x] += wk * src[x];
  }
  for (int x = 0; x < out_w; x++) dst[x] = clampf(dst[x], lo, 1.f);
}

// One pool of worker threads for the process, sized to the machine and started on first use:
// concurrent calls share it instead of each starting threads of its own, so they never ask for
// more threads than there are cores.
class Pool {
 public:
  static Pool& shared() {
    // Never destroyed: its workers wait on its condition variable until the process ends, and
    // destroying a condition variable that threads wait on would block the exit.
    static Pool* pool = new Pool(std::max(1u, std::thread::hardware_concurrency()) - 1);
    return *pool;
  }

  int workers() const { return (int) threads_.size(); }

  void submit(std::function<void()> task) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      tasks_.push_back(std::move(task));
    }
    ready_.notify_one();
  }

 private:
  explicit Pool(unsigned count) {
    for (unsigned i = 0; i < count; i++) {
      threads_.emplace_back([this] { run(); });
      threads_.back().detach();  // they live as long as the process
    }
  }

  void run() {
    for (;;) {
      std::function<void()> task;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        ready_.wait(lock, [this] { return !tasks_.empty(); });
        task = std::move(tasks_.front());
        tasks_.pop_front();
      }
      task();
    }
  }

  std::vector<std::thread> threads_;
  std::deque<std::function<void()>> tasks_;
  std::mutex mutex_;
  std::condition_variable ready_;
};

// Runs work(i) for i in [0, n) on up to `threads` threads of the shared pool, the caller included.
// The caller takes items too, so a call completes even while the pool is busy with other calls;
// it returns once every item is done. Helpers that start late find no item left and touch only the
// shared counters, never `work`.
template <typename Work>
inline void parallel_for(int n, int threads, Work work) {
  struct State {
    std::atomic<int> next{0};
    std::atomic<int> done{0};
    std::mutex mutex;
    std::condition_variable finished;
  };
  auto state = std::make_shared<State>();
  std::function<void(int)> each = work;
  std::function<void(int)>* body = &each;
  int n_items = n;
  auto loop = [state, body, n_items]() {
    for (int i = state->next++; i < n_items; i = state->next++) {
      (*body)(i);
      if (++state->done == n_items) {
        std::lock_guard<std::mutex> lock(state->mutex);
        state->finished.notify_all();
      }
    }
  };
  Pool& pool = Pool::shared();
  int helpers = std::min(std::min(threads, n) - 1, pool.workers());
  for (int t = 0; t < helpers; t++) pool.submit(loop);
  loop();
  std::unique_lock<std::mutex> lock(state->mutex);
  state->finished.wait(lock, [&] { return state->done.load() == n_items; });
}

// The whole batch: layer maps in parallel over items, then resampling in parallel over output
// rows of all items (so that a single large item still uses every thread). Returns 0, or
// -(item + 1) for the first item whose map is not finite.
inline int cam_cpu(int formula, const float* acts, const float* grads, int batch, int h, int w, int c, int channels_first,
    float sign, int relu, int out_h, int out_w, int kind, float* layer_maps, float* heat_maps,
    unsigned char* all_zero, int threads) {
  const int taps = taps_of(kind);
  std::vector<int> row_index((size_t) out_h * taps), col_index((size_t) out_w * taps);
  std::vector<float> row_weight((size_t) out_h * taps), col_weight((size_t) out_w * taps);
  for (int o = 0; o < out_h; o++) axis_taps(h, out_h, kind, o, &row_index[(size_t) o * taps], &row_weight[(size_t) o * taps]);
  for (int o = 0; o < out_w; o++) axis_taps(w, out_w, kind, o, &col_index[(size_t) o * taps], &col_weight[(size_t) o * taps]);
  const long item_size = (long) h * w * c;
  std::vector<float> maxima(batch);
  std::vector<float> wide((size_t) batch * h * out_w);
  std::atomic<int> bad(batch);
  parallel_for(batch, threads, [&](int b) {
    thread_local std::vector<double> sums;
    thread_local std::vector<float> weights;
    float* layer = layer_maps + (long) b * h * w;
    bool ok = formula == GRAD_CAM
        ? gradcam_item(acts + b * item_size, grads + b * item_size, h, w, c, channels_first, sign, relu, layer,
              all_zero + b, &maxima[b], sums, weights)
        : family_item(formula, acts + b * item_size, grads + b * item_size, h, w, c, channels_first, sign, relu, layer,
              all_zero + b, &maxima[b], sums);
    if (!ok) {
      int seen = bad.load();
      while (b < seen && !bad.compare_exchange_weak(seen, b)) {
      }
      return;
    }
    if (maxima[b] > 0) {
      resample_columns(layer, h, w, out_w, col_index.data(), col_weight.data(), taps, 1.f / maxima[b],
          wide.data() + (size_t) b * h * out_w);
    }
  });
  if (bad.load() < batch) return -(bad.load() + 1);
  const float lo = relu ? 0.f : -1.f;
  const int rows_per_task = std::max(1, 4096 / std::max(1, out_w));
  const int tasks_per_item = (out_h + rows_per_task - 1) / rows_per_task;
  parallel_for(batch * tasks_per_item, threads, [&](int t) {
    int b = t / tasks_per_item;
    int y0 = (t % tasks_per_item) * rows_per_task;
    int y1 = std::min(out_h, y0 + rows_per_task);
    float* heat = heat_maps + (long) b * out_h * out_w;
    if (!(maxima[b] > 0)) {
      std::fill(heat + (long) y0 * out_w, heat + (long) y1 * out_w, 0.f);
      return;
    }
    const float* item_wide = wide.data() + (size_t) b * h * out_w;
    for (int y = y0; y < y1; y++) {
      resample_row(item_wide, out_w, row_index.data(), row_weight.data(), taps, y, lo, heat + (long) y * out_w);
    }
  });
  return 0;
}

}  // namespace e4j

// The entry point bound by JavaCPP.
inline int e4j_gradcam_cpu(const float* acts, const float* grads, int batch, int h, int w, int c, int channels_first,
    float sign, int relu, int out_h, int out_w, int kind, float* layer_maps, float* heat_maps,
    unsigned char* all_zero, int threads) {
  return e4j::cam_cpu(e4j::GRAD_CAM, acts, grads, batch, h, w, c, channels_first, sign, relu, out_h, out_w, kind, layer_maps,
      heat_maps, all_zero, threads);
}

// The other formulas of cam_math.h's Formula (XGrad-CAM, HiResCAM, Grad-CAM-elementwise, LayerCAM).
// Returns as cam_cpu does, or 2000 + formula for a code cam_math.h does not define (as the CUDA
// engine does): an unknown code is an error, never another formula's map.
inline int e4j_cam_cpu(int formula, const float* acts, const float* grads, int batch, int h, int w, int c,
    int channels_first, float sign, int relu, int out_h, int out_w, int kind, float* layer_maps, float* heat_maps,
    unsigned char* all_zero, int threads) {
  if (formula < e4j::GRAD_CAM || formula > e4j::XGRAD_CAM) return 2000 + formula;
  return e4j::cam_cpu(formula, acts, grads, batch, h, w, c, channels_first, sign, relu, out_h, out_w, kind, layer_maps,
      heat_maps, all_zero, threads);
}

#endif
