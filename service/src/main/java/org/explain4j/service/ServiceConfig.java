package org.explain4j.service;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.explain4j.ExplainerConfig;
import org.explain4j.input.ImagePreprocessor;

/**
 * How a service runs: its models, where it listens, how it batches and what it refuses. Immutable;
 * build with {@link #builder()} ({@code set}/{@code add} required, {@code opt} optional).
 *
 * @param models the served models, by name
 * @param host the address to bind (loopback unless told otherwise)
 * @param port the port (0: any free one; {@link ExplainService#port()} tells which)
 * @param maxBatchSize most items merged into one session run (1: no merging)
 * @param batchTimeout how long a request may wait for company
 * @param maxQueue most requests waiting; one more is answered 503 with {@code Retry-After}
 * @param requestTimeout each request's deadline, from its arrival
 * @param maxBodyBytes the largest request body (413 above it)
 * @param idleTimeout how long a connection may stall (a slow client) before it is closed; it also bounds how long
 *     a connection waits, silent, for its answer, so keep it at or above {@code requestTimeout}
 * @param authToken the bearer token requests must carry, or null for none
 * @param batchThreads workers that run batches concurrently
 * @param maxSubgraphs most (layer, score) gradient subgraphs each model keeps (least recently used dropped)
 * @param maxTargets most classes one request may explain per instance ({@code top_k} or explicit targets):
 *     each costs a map per instance in the response
 * @param maxInstances most instances one request may carry
 * @param shutdownTimeout how long {@link ExplainService#close()} may take: it answers the requests in flight for
 *     this long, gives the rest a 503, and returns within it plus about a second
 * @param maxPixels most pixels an uploaded image may declare (413 above it, refused from its header before any
 *     pixel is decoded)
 * @param maxResponseBytes the largest response body; a request whose answer would be larger gets 400 naming it
 * @param readTimeout how long a request body may take to arrive in all (408 past it), so that slow clients cannot
 *     hold the server's threads
 */
public record ServiceConfig(
    List<Model> models,
    String host,
    int port,
    int maxBatchSize,
    Duration batchTimeout,
    int maxQueue,
    Duration requestTimeout,
    long maxBodyBytes,
    Duration idleTimeout,
    String authToken,
    int batchThreads,
    int maxSubgraphs,
    int maxTargets,
    int maxInstances,
    Duration shutdownTimeout,
    long maxPixels,
    long maxResponseBytes,
    Duration readTimeout) {

  /** The default {@code maxPixels}: 40 million, an 8000x5000 photo (160 MB decoded as RGB). */
  public static final long DEFAULT_MAX_PIXELS = 40_000_000L;

  /** A served model: its name in URLs, its explainer configuration, and how images are prepared (null: from its signature). */
  public record Model(String name, ExplainerConfig config, ImagePreprocessor preprocessor) {
    public Model {
      if (name == null || !name.matches("[A-Za-z0-9._-]+")) {
        throw new IllegalArgumentException("A model name must be letters, digits, '.', '_' or '-', got '" + name + "'");
      }
    }
  }

  public ServiceConfig {
    models = List.copyOf(models);
    if (models.isEmpty()) {
      throw new IllegalArgumentException("A service needs at least one model (addModel)");
    }
    if (models.stream().map(Model::name).distinct().count() != models.size()) {
      throw new IllegalArgumentException("Model names must be distinct, got " + models.stream().map(Model::name).toList());
    }
    positive("maxBatchSize", maxBatchSize);
    positive("maxQueue", maxQueue);
    positive("batchThreads", batchThreads);
    positive("maxBodyBytes", maxBodyBytes);
    positive("maxPixels", maxPixels);
    positive("maxResponseBytes", maxResponseBytes);
    if (maxInstances < 1) {
      throw new IllegalArgumentException("maxInstances must be 1 or more, got " + maxInstances);
    }
    if (maxTargets < 1) {
      throw new IllegalArgumentException("maxTargets must be 1 or more, got " + maxTargets);
    }
    if (maxSubgraphs < 1) {
      throw new IllegalArgumentException("maxSubgraphs must be 1 or more, got " + maxSubgraphs);
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, got " + port);
    }
    for (Duration d : List.of(batchTimeout, requestTimeout, idleTimeout, shutdownTimeout, readTimeout)) {
      if (d.isNegative()) {
        throw new IllegalArgumentException("Durations must not be negative, got " + d);
      }
    }
  }

  private static void positive(String name, long value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1, got " + value);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these settings, to change some of them. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.models.addAll(models);
    b.host = host;
    b.port = port;
    b.maxBatchSize = maxBatchSize;
    b.batchTimeout = batchTimeout;
    b.maxQueue = maxQueue;
    b.requestTimeout = requestTimeout;
    b.maxBodyBytes = maxBodyBytes;
    b.idleTimeout = idleTimeout;
    b.authToken = authToken;
    b.batchThreads = batchThreads;
    b.maxSubgraphs = maxSubgraphs;
    b.maxTargets = maxTargets;
    b.maxInstances = maxInstances;
    b.shutdownTimeout = shutdownTimeout;
    b.maxPixels = maxPixels;
    b.maxResponseBytes = maxResponseBytes;
    b.readTimeout = readTimeout;
    return b;
  }

  /** Builds a {@link ServiceConfig}; the defaults are those of {@code explain4j serve}. */
  public static final class Builder {
    private final List<Model> models = new ArrayList<>();
    private String host = "127.0.0.1";
    private int port = 8080;
    private int maxBatchSize = 32;
    private Duration batchTimeout = Duration.ofMillis(2);
    private int maxQueue = 256;
    private Duration requestTimeout = Duration.ofSeconds(30);
    private long maxBodyBytes = 32L << 20;
    private Duration idleTimeout = Duration.ofSeconds(30);
    private String authToken;
    private int batchThreads = 1;
    private int maxSubgraphs = org.explain4j.ExplainerConfig.DEFAULT_MAX_SUBGRAPHS;
    private int maxTargets = 20;
    private int maxInstances = 256;
    private Duration shutdownTimeout = Duration.ofSeconds(25);
    private long maxPixels = DEFAULT_MAX_PIXELS;
    private long maxResponseBytes = 64L << 20;
    private Duration readTimeout = Duration.ofSeconds(10);

    private Builder() {}

    /** Serves a model under {@code name}. */
    public Builder addModel(String name, ExplainerConfig config) {
      return addModel(name, config, null);
    }

    /** Serves a model under {@code name}, preparing {@code b64} images with {@code preprocessor}. */
    public Builder addModel(String name, ExplainerConfig config, ImagePreprocessor preprocessor) {
      models.add(new Model(name, config, preprocessor));
      return this;
    }

    /** Serves every model a models file names, each with its own settings ({@link ModelsFile}). */
    public Builder addModels(Path modelsFile) {
      models.addAll(ModelsFile.read(modelsFile));
      return this;
    }

    /** Serves the model in {@code dir} under {@code name} with its default configuration. */
    public Builder addModel(String name, Path dir) {
      return addModel(name, ExplainerConfig.builder().setModel(dir).config());
    }

    public Builder optHost(String host) {
      this.host = host;
      return this;
    }

    public Builder optPort(int port) {
      this.port = port;
      return this;
    }

    public Builder optMaxBatchSize(int items) {
      this.maxBatchSize = items;
      return this;
    }

    public Builder optBatchTimeout(Duration timeout) {
      this.batchTimeout = timeout;
      return this;
    }

    public Builder optMaxQueue(int requests) {
      this.maxQueue = requests;
      return this;
    }

    public Builder optRequestTimeout(Duration timeout) {
      this.requestTimeout = timeout;
      return this;
    }

    public Builder optMaxBodyBytes(long bytes) {
      this.maxBodyBytes = bytes;
      return this;
    }

    public Builder optIdleTimeout(Duration timeout) {
      this.idleTimeout = timeout;
      return this;
    }

    /** Requires {@code Authorization: Bearer <token>} on every endpoint but health. */
    public Builder optAuthToken(String token) {
      if (token != null && token.isBlank()) {
        throw new IllegalArgumentException("The auth token is blank");
      }
      this.authToken = token;
      return this;
    }

    public Builder optBatchThreads(int threads) {
      this.batchThreads = threads;
      return this;
    }

    public Builder optMaxSubgraphs(int subgraphs) {
      this.maxSubgraphs = subgraphs;
      return this;
    }

    /** Most instances one request may carry (256 by default); more get 400 naming the bound. */
    public Builder optMaxInstances(int instances) {
      this.maxInstances = instances;
      return this;
    }

    /** Most classes one request may explain per instance (20 by default): a bound on the response's size. */
    public Builder optMaxTargets(int targets) {
      this.maxTargets = targets;
      return this;
    }

    /** How long closing may take (25 s by default: under Kubernetes' 30 s grace period, with a second to spare). */
    public Builder optShutdownTimeout(Duration timeout) {
      this.shutdownTimeout = timeout;
      return this;
    }

    /** Most pixels an uploaded image may declare (40 million by default, e.g. 8000x5000); more get 413. */
    public Builder optMaxPixels(long pixels) {
      this.maxPixels = pixels;
      return this;
    }

    /** The largest response body (64 MiB by default); a larger answer gets 400 naming the bound. */
    public Builder optMaxResponseBytes(long bytes) {
      this.maxResponseBytes = bytes;
      return this;
    }

    /** How long a request body may take to arrive (10 s by default); slower ones get 408. */
    public Builder optReadTimeout(Duration timeout) {
      this.readTimeout = timeout;
      return this;
    }

    public ServiceConfig build() {
      return new ServiceConfig(models, host, port, maxBatchSize, batchTimeout, maxQueue, requestTimeout, maxBodyBytes,
          idleTimeout, authToken, batchThreads, maxSubgraphs, maxTargets, maxInstances, shutdownTimeout, maxPixels, maxResponseBytes,
          readTimeout);
    }
  }
}
