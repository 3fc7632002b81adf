package org.explain4j.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.explain4j.Explainer;
import org.explain4j.ExplainerConfig;
import org.explain4j.input.ImagePreprocessor;
import org.explain4j.service.ExplainService;
import org.explain4j.service.ServiceConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code explain4j serve}: the KServe V1 explanation service (docs/service.md). */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Serve predictions and explanations over HTTP (KServe V1 protocol), with micro-batching.")
final class ServeCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--model", arity = "1..*",
      description = "A model to serve: DIR (named by --name or the directory), or NAME=DIR; repeat for several (the options below"
          + " apply to all). Or --models-file.")
  List<String> models;

  @Option(names = "--models-file",
      description = "A JSON file naming the models to serve, each with its own labels, pixel settings, layer and method"
          + " (docs/service.md); instead of --model.")
  Path modelsFile;

  @Option(names = "--name", description = "The name of a single --model DIR in URLs (default: the directory's name).")
  String name;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default: ${DEFAULT-VALUE}, loopback only).")
  String host;

  @Option(names = "--port", defaultValue = "8080", description = "Port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
  int port;

  @Option(names = "--max-batch-size", defaultValue = "32", description = "Most items merged into one run (default: ${DEFAULT-VALUE}; 1 turns merging off).")
  int maxBatchSize;

  @Option(names = "--batch-timeout", defaultValue = "2000", description = "Microseconds a request may wait for company (default: ${DEFAULT-VALUE}).")
  long batchTimeoutMicros;

  @Option(names = "--max-queue", defaultValue = "256", description = "Most requests waiting; more are answered 503 (default: ${DEFAULT-VALUE}).")
  int maxQueue;

  @Option(names = "--request-timeout", defaultValue = "30000", description = "Milliseconds a request may take in all (default: ${DEFAULT-VALUE}).")
  long requestTimeoutMillis;

  @Option(names = "--idle-timeout", defaultValue = "30000", description = "Milliseconds a connection may stall (default: ${DEFAULT-VALUE}).")
  long idleTimeoutMillis;

  @Option(names = "--max-body-bytes", defaultValue = "33554432", description = "Largest request body; larger ones get 413 (default: ${DEFAULT-VALUE}).")
  long maxBodyBytes;

  @Option(names = "--batch-threads", defaultValue = "1", description = "Batches run at once (default: ${DEFAULT-VALUE}).")
  int batchThreads;

  @Option(names = "--max-subgraphs", defaultValue = "16",
      description = "(layer, score) gradient subgraphs each model keeps, least recently used dropped (default: ${DEFAULT-VALUE}).")
  int maxSubgraphs;

  @Option(names = "--max-targets", defaultValue = "20",
      description = "Most classes one request may explain per instance (top_k or targets); more get 400 (default: ${DEFAULT-VALUE}).")
  int maxTargets;

  @Option(names = "--max-instances", defaultValue = "256",
      description = "Most instances one request may carry; more get 400 (default: ${DEFAULT-VALUE}).")
  int maxInstances;

  @Option(names = "--shutdown-timeout", defaultValue = "25",
      description = "Seconds to answer the requests in flight on SIGTERM; the rest get 503 and the process exits within about a second more"
          + " (default: ${DEFAULT-VALUE}, under Kubernetes' 30 s grace period).")
  long shutdownSeconds;

  @Option(names = "--max-pixels", defaultValue = "40000000",
      description = "Most pixels an uploaded image may declare; larger ones get 413 before any pixel is decoded (default: ${DEFAULT-VALUE}).")
  long maxPixels;

  @Option(names = "--max-response-bytes", defaultValue = "67108864",
      description = "Largest response body; a request whose answer would be larger gets 400 (default: ${DEFAULT-VALUE}).")
  long maxResponseBytes;

  @Option(names = "--read-timeout", defaultValue = "10000",
      description = "Milliseconds a request body may take to arrive; slower ones get 408 (default: ${DEFAULT-VALUE}).")
  long readTimeoutMillis;

  @Option(names = "--auth-token-file", description = "Require 'Authorization: Bearer <token>' with the token in this file (health stays open).")
  Path authTokenFile;

  @Option(names = "--layer", description = "Layer name or index for every model (default: automatic).")
  String layer;

  @Option(names = "--method", description = "Default attribution method(s) for every model (requests may ask for others).")
  String method;

  @Option(names = "--labels", description = "Class labels, one per line (every model).")
  Path labels;

  @Option(names = "--engine", defaultValue = "auto", description = "auto, java, native or cuda (default: ${DEFAULT-VALUE}).")
  String engine;

  @Mixin
  PixelOptions pixels;

  @Mixin
  ThreadOptions threads;

  @Override
  public Integer call() throws IOException, InterruptedException {
    if ((models == null) == (modelsFile == null)) {
      throw new ParameterException(spec.commandLine(), "Give --model (one or several) or --models-file, not both and not neither");
    }
    if (modelsFile != null && (labels != null || layer != null || method != null || pixels.given())) {
      throw new ParameterException(spec.commandLine(), "--labels, --layer, --method and pixel options are per model in a models file:"
          + " set them there");
    }
    if (name != null && (models == null || models.size() > 1)) {
      throw new ParameterException(spec.commandLine(), "--name names a single --model; use --model NAME=DIR for several");
    }
    ServiceConfig.Builder config = ServiceConfig.builder().optHost(host).optPort(port).optMaxBatchSize(maxBatchSize)
        .optBatchTimeout(Duration.ofNanos(batchTimeoutMicros * 1000)).optMaxQueue(maxQueue)
        .optRequestTimeout(Duration.ofMillis(requestTimeoutMillis)).optIdleTimeout(Duration.ofMillis(idleTimeoutMillis))
        .optMaxBodyBytes(maxBodyBytes).optBatchThreads(batchThreads).optMaxSubgraphs(maxSubgraphs).optMaxTargets(maxTargets).optMaxInstances(maxInstances)
        .optShutdownTimeout(Duration.ofSeconds(shutdownSeconds)).optMaxPixels(maxPixels).optMaxResponseBytes(maxResponseBytes)
        .optReadTimeout(Duration.ofMillis(readTimeoutMillis));
    if (authTokenFile != null) {
      config.optAuthToken(Files.readString(authTokenFile, StandardCharsets.UTF_8).strip());
    }
    if (modelsFile != null) {
      config.addModels(modelsFile);
    }
    for (String m : models == null ? List.<String>of() : models) {
      int eq = m.indexOf('=');
      Path dir = Path.of(eq < 0 ? m : m.substring(eq + 1));
      String modelName = eq >= 0 ? m.substring(0, eq) : name != null ? name : dir.getFileName().toString().replaceFirst("\\.pb$", "");
      config.addModel(modelName, explainerConfig(dir), preprocessor(dir));
    }
    ExplainService service = ExplainService.start(config.build());
    // SIGTERM and Ctrl-C: stop taking requests, answer those in flight, then exit.
    Runtime.getRuntime().addShutdownHook(new Thread(service::close, "explain4j-shutdown"));
    System.out.println("explain4j: serving " + service.models() + " on " + service.uri() + " (ready)");
    System.out.flush();
    service.awaitShutdown();
    return 0;
  }

  private ExplainerConfig explainerConfig(Path dir) {
    ExplainerConfig.Builder b = threads.applyTo(Explainer.builder().setModel(dir).optEngine(engine).optMethod(method)
        .optLayerNameOrIndex(layer));
    if (labels != null) {
      b.optLabels(labels);
    }
    return b.config();
  }

  /** Null (the model's signature decides) unless preprocessing options were given. */
  private ImagePreprocessor preprocessor(Path dir) {
    if (!pixels.given()) {
      return null;
    }
    return pixels.apply(ImagePreprocessor.forModel(ExplainerConfig.builder().setModel(dir).describe())).build();
  }
}
