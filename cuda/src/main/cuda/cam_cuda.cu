// CUDA kernels of the CAM formulas (cam_math.h's Formula: Grad-CAM, XGrad-CAM, HiResCAM,
// Grad-CAM-elementwise, LayerCAM). The per-element arithmetic comes from cam_math.h, shared with the
// C++ CPU engine. One launch sequence per batch: channel weights (for the formulas that weigh
// channels), sums over channels with ReLU, per-item max, and resampling with normalisation.
#include <cuda_runtime.h>

#include <cstring>
#include <mutex>

#include "cam_cuda.h"
#include "cam_math.h"

namespace {

constexpr int kThreads = 256;

// Channel weights of the formulas that weigh channels: Grad-CAM's sign * mean gradient, XGrad-CAM's
// sum(sign G A) / sum(A), summed in double as the CPU engine does; threads span channels (coalesced
// for channels-last).
__global__ void channel_weights(const float* acts, const float* grads, int cells, int channels, int channels_first,
    float sign, int formula, float* weights) {
  int b = blockIdx.y;
  int c = blockIdx.x * blockDim.x + threadIdx.x;
  if (c >= channels) return;
  const float* g = grads + (long) b * cells * channels;
  const float* a = acts + (long) b * cells * channels;
  double s = 0, sa = 0;
  if (formula == e4j::XGRAD_CAM) {
    for (int i = 0; i < cells; i++) {
      long at = e4j::element(i, c, cells, channels, channels_first);
      s += (double) (sign * g[at]) * a[at];
      sa += a[at];
    }
    weights[(long) b * channels + c] = (float) e4j::xgrad_weight(s, sa);
  } else {
    for (int i = 0; i < cells; i++) s += g[e4j::element(i, c, cells, channels, channels_first)];
    weights[(long) b * channels + c] = (float) (sign * s / cells);
  }
}

// One warp per cell: lanes stride over channels, then a shuffle reduction. The weighted formulas
// sum weight x activation; the element-wise ones sum their term of the signed gradient and activation.
__global__ void channel_sum(const float* acts, const float* grads, const float* weights, int cells, int channels,
    int channels_first, float sign, int formula, int relu, float* maps, int* nonfinite) {
  int b = blockIdx.y;
  int warp = (blockIdx.x * blockDim.x + threadIdx.x) / 32;
  int lane = threadIdx.x % 32;
  if (warp >= cells) return;
  const float* a = acts + (long) b * cells * channels;
  const float* g = grads + (long) b * cells * channels;
  const float* w = weights + (long) b * channels;
  const bool weighted = e4j::weighs_channels(formula);
  float s = 0;
  for (int c = lane; c < channels; c += 32) {
    long at = e4j::element(warp, c, cells, channels, channels_first);
    s += weighted ? w[c] * a[at] : e4j::elementwise_term(formula, sign * g[at], a[at]);
  }
  for (int offset = 16; offset > 0; offset /= 2) s += __shfl_down_sync(0xffffffff, s, offset);
  if (lane == 0) {
    if (!isfinite(s)) atomicMin(nonfinite, b);
    maps[(long) b * cells + warp] = relu ? e4j::relu_of(s) : s;
  }
}

// Largest absolute value per item (one block per item).
__global__ void max_abs(const float* maps, int cells, float* maxima) {
  __shared__ float partial[kThreads];
  int b = blockIdx.x;
  float m = 0;
  for (int i = threadIdx.x; i < cells; i += blockDim.x) m = fmaxf(m, fabsf(maps[(long) b * cells + i]));
  partial[threadIdx.x] = m;
  __syncthreads();
  for (int stride = blockDim.x / 2; stride > 0; stride /= 2) {
    if (threadIdx.x < stride) partial[threadIdx.x] = fmaxf(partial[threadIdx.x], partial[threadIdx.x + stride]);
    __syncthreads();
  }
  if (threadIdx.x == 0) maxima[b] = partial[0];
}

// One thread per output cell: separable taps (rows x columns), scaled by 1 / max, clamped.
__global__ void resample(const float* maps, const float* maxima, int h, int w, int out_h, int out_w, int kind, int relu,
    float* heat) {
  int b = blockIdx.y;
  int o = blockIdx.x * blockDim.x + threadIdx.x;
  if (o >= out_h * out_w) return;
  int y = o / out_w;
  int x = o % out_w;
  float max = maxima[b];
  float* dst = heat + (long) b * out_h * out_w + o;
  if (!(max > 0)) {
    *dst = 0.f;
    return;
  }
  int ri[4], ci[4];
  float rw[4], cw[4];
  e4j::axis_taps(h, out_h, kind, y, ri, rw);
  e4j::axis_taps(w, out_w, kind, x, ci, cw);
  int taps = e4j::taps_of(kind);
  const float* m = maps + (long) b * h * w;
  float s = 0;
  for (int i = 0; i < taps; i++) {
    float row = 0;
    for (int j = 0; j < taps; j++) row += cw[j] * m[ri[i] * w + ci[j]];
    s += rw[i] * (row / max);
  }
  *dst = e4j::clampf(s, relu ? 0.f : -1.f, 1.f);
}

// Buffers kept between calls.
struct State {
  std::mutex lock;
  cudaStream_t stream = nullptr;
  float* device = nullptr;
  size_t device_floats = 0;
  float* pinned = nullptr;
  size_t pinned_floats = 0;
  cudaEvent_t events[4] = {nullptr, nullptr, nullptr, nullptr};
  float timings[3] = {0, 0, 0};
  // The device every call runs on: set on the calling thread each time (the current device is per thread).
  int ordinal = 0;
};

State& state() {
  static State s;
  return s;
}

int grow(State& s, size_t device_floats, size_t pinned_floats) {
  cudaError_t e = cudaSuccess;
  if (s.stream == nullptr && (e = cudaStreamCreateWithFlags(&s.stream, cudaStreamNonBlocking)) != cudaSuccess) return e;
  for (auto& event : s.events) {
    if (event == nullptr && (e = cudaEventCreate(&event)) != cudaSuccess) return e;
  }
  if (device_floats > s.device_floats) {
    if (s.device) cudaFree(s.device);
    s.device = nullptr;
    s.device_floats = 0;
    if ((e = cudaMalloc(&s.device, device_floats * sizeof(float))) != cudaSuccess) return e;
    s.device_floats = device_floats;
  }
  if (pinned_floats > s.pinned_floats) {
    if (s.pinned) cudaFreeHost(s.pinned);
    s.pinned = nullptr;
    s.pinned_floats = 0;
    if ((e = cudaMallocHost(&s.pinned, pinned_floats * sizeof(float))) != cudaSuccess) return e;
    s.pinned_floats = pinned_floats;
  }
  return cudaSuccess;
}

}  // namespace

namespace {
// Frees what State keeps, on its device; the caller holds the lock.
void release_locked(State& s) {
  cudaSetDevice(s.ordinal);
  if (s.stream) cudaStreamSynchronize(s.stream);
  if (s.device) cudaFree(s.device);
  if (s.pinned) cudaFreeHost(s.pinned);
  for (auto& event : s.events) {
    if (event) cudaEventDestroy(event);
    event = nullptr;
  }
  if (s.stream) cudaStreamDestroy(s.stream);
  s.stream = nullptr;
  s.device = nullptr;
  s.device_floats = 0;
  s.pinned = nullptr;
  s.pinned_floats = 0;
}
}  // namespace

extern "C" void e4j_cuda_release(void) {
  State& s = state();
  std::lock_guard<std::mutex> guard(s.lock);
  release_locked(s);
}

extern "C" int e4j_cuda_use_device(int ordinal) {
  State& s = state();
  std::lock_guard<std::mutex> guard(s.lock);
  if (ordinal == s.ordinal) return 0;
  int count = 0;
  cudaError_t e = cudaGetDeviceCount(&count);
  if (e != cudaSuccess) return 1000 + e;
  if (ordinal < 0 || ordinal >= count) return 1000 + cudaErrorInvalidDevice;
  release_locked(s);
  s.ordinal = ordinal;
  return 0;
}

extern "C" int e4j_cuda_device_count(void) {
  int count = 0;
  cudaError_t e = cudaGetDeviceCount(&count);
  return e == cudaSuccess ? count : -(int) e;
}

extern "C" void e4j_cuda_last_timings(float* timings) {
  State& s = state();
  std::lock_guard<std::mutex> guard(s.lock);
  for (int i = 0; i < 3; i++) timings[i] = s.timings[i];
}

extern "C" const char* e4j_cuda_error_string(int code) { return cudaGetErrorString((cudaError_t) code); }

extern "C" int e4j_cam_cuda(int formula, const float* activations, const float* gradients, int batch, int height,
    int width, int channels, int channels_first, float sign, int relu, int out_height, int out_width, int interpolation,
    float* layer_maps, float* heat_maps, unsigned char* all_zero) {
  if (formula < e4j::GRAD_CAM || formula > e4j::XGRAD_CAM) return 2000 + formula;
  State& s = state();
  std::lock_guard<std::mutex> guard(s.lock);
  const int cells = height * width;
  const size_t n = (size_t) batch * cells * channels;
  const size_t maps = (size_t) batch * cells;
  const size_t heat = (size_t) batch * out_height * out_width;
  // Device layout: activations, gradients, weights, maps, maxima, heat, then one int flag.
  const size_t device_floats = 2 * n + (size_t) batch * channels + maps + batch + heat + 1;
  const size_t pinned_floats = 2 * n > maps + heat + batch + 1 ? 2 * n : maps + heat + batch + 1;
  int e = cudaSetDevice(s.ordinal);
  if (e != cudaSuccess) return 1000 + e;
  e = grow(s, device_floats, pinned_floats);
  if (e != cudaSuccess) return 1000 + e;
  float* d_acts = s.device;
  float* d_grads = d_acts + n;
  float* d_weights = d_grads + n;
  float* d_maps = d_weights + (size_t) batch * channels;
  float* d_max = d_maps + maps;
  float* d_heat = d_max + batch;
  int* d_flag = (int*) (d_heat + heat);
  // Stage through pinned memory so that the copies run at full speed on our stream.
  memcpy(s.pinned, activations, n * sizeof(float));
  memcpy(s.pinned + n, gradients, n * sizeof(float));
  int no_item = batch;
  cudaEventRecord(s.events[0], s.stream);
  cudaMemcpyAsync(d_acts, s.pinned, 2 * n * sizeof(float), cudaMemcpyHostToDevice, s.stream);
  cudaMemcpyAsync(d_flag, &no_item, sizeof(int), cudaMemcpyHostToDevice, s.stream);
  cudaEventRecord(s.events[1], s.stream);
  if (e4j::weighs_channels(formula)) {
    dim3 wgrid((channels + kThreads - 1) / kThreads, batch);
    channel_weights<<<wgrid, kThreads, 0, s.stream>>>(d_acts, d_grads, cells, channels, channels_first, sign, formula,
        d_weights);
  }
  dim3 mgrid((cells * 32 + kThreads - 1) / kThreads, batch);
  channel_sum<<<mgrid, kThreads, 0, s.stream>>>(d_acts, d_grads, d_weights, cells, channels, channels_first, sign, formula,
      relu, d_maps, d_flag);
  max_abs<<<batch, kThreads, 0, s.stream>>>(d_maps, cells, d_max);
  dim3 rgrid((out_height * out_width + kThreads - 1) / kThreads, batch);
  resample<<<rgrid, kThreads, 0, s.stream>>>(d_maps, d_max, height, width, out_height, out_width, interpolation, relu, d_heat);
  cudaEventRecord(s.events[2], s.stream);
  // Results back in one copy: maps, heat, maxima, flag are contiguous on the device.
  cudaMemcpyAsync(s.pinned, d_maps, (maps + batch + heat + 1) * sizeof(float), cudaMemcpyDeviceToHost, s.stream);
  cudaEventRecord(s.events[3], s.stream);
  if ((e = cudaStreamSynchronize(s.stream)) != cudaSuccess) return 1000 + e;
  for (int i = 0; i < 3; i++) cudaEventElapsedTime(&s.timings[i], s.events[i], s.events[i + 1]);
  if ((e = cudaGetLastError()) != cudaSuccess) return 1000 + e;
  int bad;
  memcpy(&bad, s.pinned + maps + batch + heat, sizeof(int));
  if (bad < batch) return -(bad + 1);
  memcpy(layer_maps, s.pinned, maps * sizeof(float));
  const float* maxima = s.pinned + maps;
  memcpy(heat_maps, s.pinned + maps + batch, heat * sizeof(float));
  for (int b = 0; b < batch; b++) all_zero[b] = maxima[b] > 0 ? 0 : 1;
  return 0;
}
