/**
 * The C++ CPU engine: {@link org.explain4j.nativecpu.NativeEngineProvider} probes the CPU and loads
 * the JNI library on first use; {@link org.explain4j.nativecpu.NativeCamEngine} runs the kernels of
 * {@code cam_cpu.h} over the batch.
 */
package org.explain4j.nativecpu;
