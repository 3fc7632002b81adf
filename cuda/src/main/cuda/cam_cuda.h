// Host entry points of the CUDA Grad-CAM kernels (cam_cuda.cu), called through JavaCPP.
#ifndef EXPLAIN4J_CAM_CUDA_H
#define EXPLAIN4J_CAM_CUDA_H

#ifdef __cplusplus
extern "C" {
#endif

// Number of CUDA devices, or -(CUDA error code) when the runtime cannot tell (35: no driver).
int e4j_cuda_device_count(void);

// The CUDA runtime's message for an error code.
const char* e4j_cuda_error_string(int code);

// The maps of one of cam_math.h's formulas on the GPU, for a batch whose activations and gradients
// are in host memory. Device and pinned host buffers are kept between calls (grown when needed) and
// work runs on a stream of its own, serialised by a lock. Returns 0, -(item + 1) for the first item
// whose map is not finite, 1000 + (CUDA error code) when CUDA fails, or 2000 + formula for an
// unknown formula.
int e4j_cam_cuda(int formula, const float* activations, const float* gradients, int batch, int height, int width,
    int channels, int channels_first, float sign, int relu, int out_height, int out_width, int interpolation,
    float* layer_maps, float* heat_maps, unsigned char* all_zero);

// Runs later calls on device `ordinal` (0 until set), releasing what the previous device kept. Returns 0,
// or 1000 + (CUDA error code): cudaErrorInvalidDevice for an ordinal the runtime does not count.
int e4j_cuda_use_device(int ordinal);

// Frees the device buffers, pinned host buffers, events and stream kept between calls; a later
// call allocates them again.
void e4j_cuda_release(void);

// Milliseconds of the last e4j_cam_cuda call, measured with CUDA events on its stream:
// timings[0] host-to-device copy, [1] the kernels, [2] device-to-host copy.
void e4j_cuda_last_timings(float* timings);

#ifdef __cplusplus
}
#endif

#endif
