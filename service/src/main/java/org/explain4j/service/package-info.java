/**
 * The explanation service: KServe V1 endpoints ({@code :predict}, {@code :explain}, model
 * metadata), health and Prometheus metrics over HTTP, with concurrent requests for the same model
 * and options merged into one session run. Start one with {@link ExplainService#start}; the
 * {@code explain4j serve} command wraps it. See {@code docs/service.md}.
 */
package org.explain4j.service;
