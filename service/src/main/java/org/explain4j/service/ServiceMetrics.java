package org.explain4j.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The service's Prometheus metrics, each named with an {@code explain4j_} prefix: requests by
 * endpoint and status, request latency and batch-size histograms, and the queue depth.
 */
final class ServiceMetrics {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final DistributionSummary batchItems;
  private final DistributionSummary batchRequests;

  ServiceMetrics() {
    // The JVM and the process, as Micrometer's binders report them: memory, GC, threads, classes, CPU, uptime.
    new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.jvm.JvmGcMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.system.ProcessorMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.system.UptimeMetrics().bindTo(registry);
    batchItems = DistributionSummary.builder("explain4j.batch.size").baseUnit("items")
        .description("Items per session run (merged requests)").publishPercentileHistogram()
        .minimumExpectedValue(1.0).maximumExpectedValue(1024.0).register(registry);
    batchRequests = DistributionSummary.builder("explain4j.batch.requests")
        .description("Requests merged into one session run").publishPercentileHistogram()
        .minimumExpectedValue(1.0).maximumExpectedValue(1024.0).register(registry);
  }

  /** Reports the queue's depth as the {@code explain4j_queue_depth} gauge. */
  void watchQueue(Supplier<Number> depth) {
    Gauge.builder("explain4j.queue.depth", depth).description("Requests waiting for a run").register(registry);
  }

  /**
   * Reports a served model's cached gradient subgraphs ({@code explain4j_gradient_subgraphs}) and
   * how many it has built ({@code explain4j_gradient_subgraph_builds_total}: rising while the cache
   * stays full means the bound is too small for the layers requests ask for).
   */
  void watchModel(String name, org.explain4j.ExplainModel model) {
    Gauge.builder("explain4j.gradient.subgraphs", model::cachedSubgraphs).tag("model", name)
        .description("(layer, score) gradient subgraphs the model keeps").register(registry);
    io.micrometer.core.instrument.FunctionCounter.builder("explain4j.gradient.subgraph.builds", model, m -> m.subgraphBuilds())
        .tag("model", name).description("Gradient subgraphs built since the model was loaded").register(registry);
  }

  /** Reports the requests accepted and not yet answered as the {@code explain4j_requests_in_flight} gauge. */
  void watchInFlight(Supplier<Number> inFlight) {
    Gauge.builder("explain4j.requests.in.flight", inFlight).description("Requests accepted and not yet answered").register(registry);
  }

  /** One answered request; {@code model} is the served model it named, or "" for the other endpoints. */
  void request(String endpoint, String model, int status, long nanos) {
    Counter.builder("explain4j.requests").description("Requests answered, by endpoint, model and status")
        .tag("endpoint", endpoint).tag("model", model).tag("status", Integer.toString(status)).register(registry).increment();
    Timer.builder("explain4j.request.duration").description("Time from the request's arrival to its answer")
        .tag("endpoint", endpoint).tag("model", model).publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(60))
        .register(registry).record(Duration.ofNanos(nanos));
  }

  void batchRan(int items, int requests) {
    batchItems.record(items);
    batchRequests.record(requests);
  }

  /** The Prometheus text exposition. */
  String scrape() {
    return registry.scrape();
  }
}
