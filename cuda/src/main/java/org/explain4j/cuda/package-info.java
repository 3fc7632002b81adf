/**
 * The CUDA engine: {@link org.explain4j.cuda.CudaEngineProvider} loads the JNI library (CUDA
 * runtime linked statically) and counts devices on first use; {@link org.explain4j.cuda.CudaCamEngine}
 * runs the kernels of {@code cam_cuda.cu}.
 */
package org.explain4j.cuda;
