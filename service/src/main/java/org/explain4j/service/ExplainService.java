package org.explain4j.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ServerConnector;
import org.explain4j.Explainer;
import org.explain4j.Explanation;
import org.explain4j.Targets;
import org.explain4j.exceptions.ExplainException;
import org.explain4j.exceptions.InvalidInputException;
import org.explain4j.input.InputBatch;

/**
 * The explanation service: KServe V1 endpoints, health and metrics over HTTP, with requests for
 * the same model and options merged into one session run ({@link MicroBatcher}).
 *
 * <pre>{@code
 * try (ExplainService service = ExplainService.start(ServiceConfig.builder()
 *         .addModel("resnet", Path.of("resnet50")).optPort(8080).build())) {
 *   service.awaitShutdown();
 * }
 * }</pre>
 *
 * <b>Loads every model and holds a port: the service must be closed.</b> Closing stops taking
 * requests, answers those in flight, then frees the models.
 */
public final class ExplainService implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(ExplainService.class.getName());
  private static final String JSON = "application/json";
  /** Request bodies received at once; more wait a moment, then get 503 (see {@link BodyReader}). */
  private static final int BODY_SLOTS = 64;
  /**
   * HTTP threads: every body slot, plus room for health, metrics and the requests turned away, so
   * that slow bodies can never take them all.
   */
  private static final int HTTP_THREADS = 4 * BODY_SLOTS + 64;

  private final ServiceConfig config;
  private final Map<String, ModelHost> models;
  private final MicroBatcher batcher;
  private final ServiceMetrics metrics;
  private final ExecutorService renderers;
  private final BodyReader bodies;
  private final ImageDecoding decoding;
  /** Requests admitted (past the shutdown gate) and not yet answered: being read, decoded, queued or run. */
  private final AtomicInteger inFlight = new AtomicInteger();
  private final byte[] tokenDigest;
  private final Object closeLock = new Object();
  private volatile boolean draining;
  private volatile boolean closed;
  private Javalin app;

  private ExplainService(ServiceConfig config, Map<String, ModelHost> models) {
    this.config = config;
    this.models = models;
    this.tokenDigest = config.authToken() == null ? null : sha256(config.authToken());
    this.metrics = new ServiceMetrics();
    this.batcher = new MicroBatcher(new MicroBatcher.Settings(config.maxBatchSize(), config.batchTimeout().toNanos(),
        config.maxQueue(), config.batchThreads()), this::run, metrics::batchRan);
    metrics.watchQueue(batcher::depth);
    metrics.watchInFlight(inFlight::get);
    models.forEach((name, host) -> metrics.watchModel(name, host.model()));
    int cores = Runtime.getRuntime().availableProcessors();
    this.bodies = new BodyReader(BODY_SLOTS, config.maxBodyBytes(), config.readTimeout());
    this.decoding = new ImageDecoding(cores, config.maxPixels());
    this.renderers = Executors.newFixedThreadPool(Math.max(2, cores), r -> {
      Thread t = new Thread(r, "explain4j-respond");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Loads and warms every model, then listens. <b>The service returned must be closed.</b>
   * Throws the model's {@link ExplainException} when one cannot be loaded (nothing is left open).
   */
  public static ExplainService start(ServiceConfig config) {
    Map<String, ModelHost> models = new LinkedHashMap<>();
    try {
      for (ServiceConfig.Model m : config.models()) {
        ModelHost host = ModelHost.load(m, config.maxSubgraphs());
        models.put(m.name(), host);
      }
    } catch (RuntimeException e) {
      models.values().forEach(ModelHost::close);
      throw e;
    }
    ExplainService service = new ExplainService(config, models);
    try {
      service.listen();
    } catch (RuntimeException e) {
      service.close();
      throw e;
    }
    return service;
  }

  /** The port the service listens on. */
  public int port() {
    return app.port();
  }

  /** The service's base address, {@code http://host:port}. */
  public URI uri() {
    String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
    return URI.create("http://" + host + ":" + port());
  }

  /** The served models' names. */
  public List<String> models() {
    return List.copyOf(models.keySet());
  }

  private void listen() {
    app = Javalin.create(this::configure);
    app.start(config.host(), config.port());
    for (Connector c : app.jettyServer().server().getConnectors()) {
      if (c instanceof ServerConnector sc) {
        sc.setIdleTimeout(config.idleTimeout().toMillis());
      }
    }
  }

  private void configure(JavalinConfig c) {
    c.startup.showJavalinBanner = false;
    c.startup.showOldJavalinVersionWarning = false;
    c.http.maxRequestSize = config.maxBodyBytes();
    c.http.defaultContentType = JSON;
    // A known path with the wrong verb is 405 (Method Not Allowed), not 404.
    c.http.prefer405over404 = true;
    c.jetty.threadPool = httpThreads();
    c.jetty.clientAbortStatus = HttpProblem.CLIENT_CLOSED;
    c.jetty.modifyHttpConfiguration(http -> http.setSendServerVersion(false));
    c.jetty.modifyServer(server -> {
      server.setErrorHandler(new JsonErrorHandler());
      // close() has answered or refused every request before it stops Jetty: no graceful phase of Jetty's own
      // (which would wait for idle keep-alive connections to go).
      server.setStopTimeout(0);
    });
    c.routes.before(this::admit);
    c.routes.get("/v2/health/live", ctx -> ctx.result("{\"live\":true}"));
    c.routes.get("/v2/health/ready", ctx -> {
      boolean ready = !draining;
      ctx.status(ready ? 200 : 503).result("{\"ready\":" + ready + "}");
    });
    c.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
    c.routes.get("/v1/models", ctx -> ctx.result(Responses.json(json -> {
      json.writeStartObject();
      json.writeArrayFieldStart("models");
      for (String name : models.keySet()) {
        json.writeString(name);
      }
      json.writeEndArray();
      json.writeEndObject();
    })));
    c.routes.get("/v1/models/{name}", this::metadata);
    c.routes.post("/v1/models/{call}", this::call);
    c.routes.get("/v2", ctx -> ctx.result(OpenInference.serverMetadata(models.values())));
    c.routes.get("/v2/models/{name}", ctx -> ctx.result(OpenInference.modelMetadata(host(ctx.pathParam("name")))));
    c.routes.get("/v2/models/{name}/ready", ctx -> {
      ModelHost host = host(ctx.pathParam("name"));
      ctx.status(draining ? 503 : 200).result(OpenInference.ready(host.name(), !draining));
    });
    c.routes.post("/v2/models/{name}/infer", ctx -> inferV2(ctx, false));
    c.routes.post("/v2/models/{name}/explain", ctx -> inferV2(ctx, true));
    c.routes.get("/openapi.json", ctx -> ctx.result(OpenApi.document()));
    c.routes.get("/", ctx -> ctx.contentType("text/html; charset=utf-8").result(WebPage.html()));
    c.routes.after(this::record);
    c.routes.exception(HttpProblem.class, (e, ctx) -> fail(ctx, e.status(), e.getMessage(), e.retryAfterSeconds()));
    c.routes.exception(HttpResponseException.class, (e, ctx) -> fail(ctx, e.getStatus(), JsonErrorHandler.text(e.getStatus()), 0));
    c.routes.exception(Exception.class, (e, ctx) -> internalError(ctx, e));
    c.routes.error(405, ctx -> ctx.contentType(JSON).result(Responses.error(405, "No " + ctx.method() + " on " + ctx.path()
        + ": health, metrics and model metadata take GET; :predict and :explain take POST")));
    c.routes.error(404, ctx -> {
      if (ctx.result() == null || ctx.result().isEmpty() || !ctx.result().startsWith("{")) {
        ctx.contentType(JSON).result(Responses.error(404, "No endpoint " + ctx.method() + " " + ctx.path()
            + "; see /v1/models, /v1/models/{name}, /v1/models/{name}:predict, /v1/models/{name}:explain"));
      }
    });
  }

  private static org.eclipse.jetty.util.thread.QueuedThreadPool httpThreads() {
    org.eclipse.jetty.util.thread.QueuedThreadPool pool = new org.eclipse.jetty.util.thread.QueuedThreadPool(HTTP_THREADS, 8);
    pool.setName("explain4j-http");
    return pool;
  }

  /** Before every request: the clock, the shutdown gate, the in-flight count, and the token. */
  private void admit(Context ctx) {
    ctx.attribute("start", System.nanoTime());
    boolean health = ctx.path().startsWith("/v2/health/");
    // The page and the API document hold no data: they need no token (the page's own calls do).
    boolean open = health || ctx.path().equals("/") || ctx.path().equals("/openapi.json");
    if (draining && !health) {
      ctx.header("Connection", "close");
      throw new HttpProblem(503, "The service is shutting down", 1);
    }
    if (!health && !ctx.path().equals("/metrics")) {
      // Counted until Jetty has sent the whole response (or given up on it), not merely until a handler returns.
      inFlight.incrementAndGet();
      org.eclipse.jetty.server.Request.addCompletionListener(
          org.eclipse.jetty.ee10.servlet.ServletContextRequest.getServletContextRequest(ctx.req()), failure -> inFlight.decrementAndGet());
    }
    if (tokenDigest != null && !open) {
      String header = ctx.header("Authorization");
      String given = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : "";
      // Digests of equal length compared in constant time: neither the token nor its length leaks through timing.
      if (!MessageDigest.isEqual(sha256(given), tokenDigest)) {
        ctx.header("WWW-Authenticate", "Bearer");
        throw new HttpProblem(401, "Missing or wrong bearer token (Authorization: Bearer <token>)");
      }
    }
  }

  private void record(Context ctx) {
    Long start = ctx.attribute("start");
    if (start != null) {
      metrics.request(endpoint(ctx), modelOf(ctx), ctx.statusCode(), System.nanoTime() - start);
    }
  }

  /**
   * The served model a request named ({@code /v1/models/NAME...} or {@code /v2/models/NAME/...}),
   * or "" (unknown names too: labels stay bounded).
   */
  private String modelOf(Context ctx) {
    String path = ctx.path();
    String prefix = path.startsWith("/v1/models/") ? "/v1/models/" : path.startsWith("/v2/models/") ? "/v2/models/" : null;
    if (prefix == null) {
      return "";
    }
    String rest = path.substring(prefix.length());
    int end = prefix.startsWith("/v1") ? rest.lastIndexOf(':') : rest.indexOf('/');
    String name = end < 0 ? rest : rest.substring(0, end);
    return models.containsKey(name) ? name : "";
  }

  private static String endpoint(Context ctx) {
    String path = ctx.path();
    if (path.startsWith("/v2/health")) {
      return "health";
    }
    if (path.equals("/metrics")) {
      return "metrics";
    }
    if (path.endsWith(":predict") || path.startsWith("/v2/models/") && path.endsWith("/infer")) {
      return "predict";
    }
    if (path.endsWith(":explain") || path.startsWith("/v2/models/") && path.endsWith("/explain")) {
      return "explain";
    }
    if (path.equals("/")) {
      return "page";
    }
    return path.startsWith("/v1/models") || path.startsWith("/v2") || path.equals("/openapi.json") ? "metadata" : "other";
  }

  private void metadata(Context ctx) {
    ModelHost host = host(ctx.pathParam("name"));
    Explainer e = host.primary();
    ctx.result(Responses.json(json -> {
      json.writeStartObject();
      json.writeStringField("name", host.name());
      json.writeBooleanField("ready", !draining);
      json.writeStringField("signature", e.model().signature());
      json.writeStringField("input", host.input().toString());
      json.writeStringField("layer", e.layer().name());
      json.writeStringField("method", e.method());
      json.writeStringField("engine", e.engine());
      json.writeNumberField("classes", e.classes());
      json.writeStringField("inputType", OpenInference.datatype(host.input().dataType()));
      boolean text = host.model().takesText();
      json.writeBooleanField("image", !text && (host.input().dataType() == org.tensorflow.proto.DataType.DT_STRING
          || host.input().shape().numDimensions() == 4));
      json.writeBooleanField("text", text);
      json.writeArrayFieldStart("methods"); // the methods that can explain the default layer
      for (org.explain4j.method.AttributionMethod m : org.explain4j.method.Methods.all()) {
        if (m.supports(org.explain4j.model.LayerKind.ofRank(e.layer().shape().numDimensions()))) {
          json.writeString(m.name());
        }
      }
      json.writeEndArray();
      List<String> labels = e.config().labels();
      if (labels != null) {
        json.writeArrayFieldStart("labels");
        for (String l : labels) {
          json.writeString(l);
        }
        json.writeEndArray();
      }
      json.writeEndObject();
    }));
  }

  private ModelHost host(String name) {
    ModelHost host = models.get(name);
    if (host == null) {
      throw new HttpProblem(404, "No model '" + name + "'; this service serves " + models.keySet());
    }
    return host;
  }

  /** {@code POST /v1/models/{name}:predict} and {@code :explain}. */
  private void call(Context ctx) {
    String call = ctx.pathParam("call");
    int colon = call.lastIndexOf(':');
    String verb = colon < 0 ? "" : call.substring(colon + 1);
    if (!verb.equals("predict") && !verb.equals("explain")) {
      throw new HttpProblem(404, "No endpoint POST " + ctx.path() + "; expected /v1/models/{name}:predict or :explain");
    }
    ModelHost host = host(call.substring(0, colon));
    boolean predict = verb.equals("predict");
    String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
    boolean rawImage = type.startsWith("image/");
    if (rawImage && (predict || !(type.startsWith("image/png") || type.startsWith("image/jpeg")))) {
      throw new HttpProblem(415, "Raw uploads take Content-Type image/png or image/jpeg on :explain; got " + type + " on :" + verb);
    }
    byte[] body = bodies.read(ctx);
    Instances.Decoder decoder = decoder(ctx);
    if (rawImage) {
      Instances.Decoded decoded = Instances.image(body, host.input(), host.images(), decoder);
      RequestOptions options = RequestOptions.fromQuery(ctx.queryParamMap());
      serve(ctx, host, false, decoded, options, (result, input) -> {
        Explanation first = result.explanation().items(0, 1);
        byte[] png = Responses.overlay(first, input.item(0), decoded.images().get(0));
        if (png.length > config.maxResponseBytes()) {
          throw HttpProblem.badRequest("The overlay would be over " + config.maxResponseBytes()
              + " bytes (the service's --max-response-bytes)");
        }
        ctx.result(png);
        // A PNG has no charset: Jetty would otherwise append the default one.
        ctx.res().setCharacterEncoding(null);
        ctx.contentType("image/png");
      });
      return;
    }
    JsonNode root = Json.parseObject(body);
    boolean columnar = Instances.columnar(root);
    Instances.Decoded decoded = Instances.parse(root, host.input(), host.images(), decoder);
    RequestOptions options = predict ? RequestOptions.parse(null, 1) : RequestOptions.parse(root.get("parameters"), decoded.batch().batchSize());
    long maxBytes = config.maxResponseBytes();
    serve(ctx, host, predict, decoded, options, (result, input) -> ctx.result(predict
        ? Responses.predictions(result.outputs(), maxBytes, columnar)
        : Responses.explanations(host.name(), result, options.outputs(), input, decoded.images(), tokens(host, input, options), maxBytes)));
  }

  /** The tokens an HTML output shows: the request's, or a raw-text model's own words for its sentences. */
  private static List<List<String>> tokens(ModelHost host, InputBatch input, RequestOptions options) {
    if (options.tokens() != null || !options.outputs().contains(Output.HTML) || !host.model().takesText()) {
      return options.tokens();
    }
    return host.model().textTokens(input);
  }

  /** {@code POST /v2/models/{name}/infer} and {@code /explain}: the Open Inference Protocol's tensors. */
  private void inferV2(Context ctx, boolean explain) {
    ModelHost host = host(ctx.pathParam("name"));
    byte[] body = bodies.read(ctx);
    OpenInference.Request request = OpenInference.request(Json.parseObject(body), host, explain, decoder(ctx));
    long maxBytes = config.maxResponseBytes();
    serve(ctx, host, !explain, request.decoded(), request.options(), (result, input) ->
        ctx.result(OpenInference.response(host, request, result, maxBytes)));
  }

  private Instances.Decoder decoder(Context ctx) {
    long deadline = deadline(ctx);
    return (bytes, name) -> decoding.decode(bytes, name, deadline);
  }

  private long deadline(Context ctx) {
    return ctx.<Long>attribute("start") + config.requestTimeout().toNanos();
  }

  /** How a protocol writes a request's answer, on a responder thread. */
  private interface Answer {
    void write(Outcome result, InputBatch input);
  }

  /** The bounds, the checks, the queue and the answer: what every protocol's request goes through. */
  private void serve(Context ctx, ModelHost host, boolean predict, Instances.Decoded decoded, RequestOptions options, Answer answer) {
    if (decoded.batch().batchSize() > config.maxInstances()) {
      throw HttpProblem.badRequest("This request carries " + decoded.batch().batchSize() + " instances; this service takes at most "
          + config.maxInstances() + " per request (its --max-instances): send them in several requests");
    }
    if (options.targets().perItem() > config.maxTargets()) {
      throw HttpProblem.badRequest("This request explains " + options.targets().perItem() + " classes per instance; this service"
          + " explains at most " + config.maxTargets() + " (its --max-targets): ask for fewer (top_k or targets)");
    }
    host.prepare(options.variant()); // a bad option is refused here, and a new layer's subgraph built, before queueing
    InputBatch input;
    try {
      input = host.model().conform(decoded.batch());
    } catch (InvalidInputException e) {
      throw HttpProblem.badRequest(e.getMessage());
    }
    BatchKey key = BatchKey.of(host, options.variant(), options.targets(), predict, input);
    long deadline = deadline(ctx);
    CompletableFuture<Outcome> outcome = batcher.submit(key, input, options.targets(), deadline);
    ctx.future(() -> outcome
        .orTimeout(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
        .handleAsync((result, failure) -> {
          try {
            if (failure != null) {
              answerFailure(ctx, failure);
            } else {
              answer.write(result, input);
            }
          } catch (RuntimeException e) {
            answerFailure(ctx, e);
          }
          return null;
        }, renderers));
  }

  private void answerFailure(Context ctx, Throwable failure) {
    Throwable e = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    if (e instanceof HttpProblem p) {
      fail(ctx, p.status(), p.getMessage(), p.retryAfterSeconds());
    } else if (e instanceof java.util.concurrent.TimeoutException) {
      fail(ctx, 504, "The explanation did not finish within the request timeout (" + config.requestTimeout() + ")", 0);
    } else if (e instanceof InvalidInputException) {
      fail(ctx, 400, e.getMessage(), 0);
    } else if (e instanceof ExplainException) {
      fail(ctx, 500, e.getMessage(), 0);
    } else {
      internalError(ctx, e);
    }
  }

  /** A bug or a resource failure: the details go to the log, never to the client. */
  private static void internalError(Context ctx, Throwable e) {
    LOG.log(System.Logger.Level.ERROR, "Request " + ctx.method() + " " + ctx.path() + " failed", e);
    fail(ctx, 500, JsonErrorHandler.text(500), 0);
  }

  private static void fail(Context ctx, int status, String message, int retryAfter) {
    if (retryAfter > 0) {
      ctx.header("Retry-After", Integer.toString(retryAfter));
    }
    ctx.status(status).contentType(JSON).result(Responses.error(status, message));
  }

  /** Runs one merged batch on the batch worker. */
  private Outcome run(BatchKey key, InputBatch merged, Targets targets) {
    ModelHost host = models.get(key.model());
    if (key.predictOnly()) {
      float[] flat = host.model().predict(merged);
      int n = merged.batchSize();
      int classes = flat.length / n;
      float[][] rows = new float[n][];
      for (int i = 0; i < n; i++) {
        rows[i] = java.util.Arrays.copyOfRange(flat, i * classes, (i + 1) * classes);
      }
      return new Outcome(rows, null);
    }
    Explanation e = host.model().explain(merged, host.options(key.variant()).withTargets(targets));
    return new Outcome(e.outputs(), e);
  }

  /** Requests accepted and not yet answered. */
  int inFlight() {
    return inFlight.get();
  }

  /** Requests handed to the batcher and not yet answered. */
  int batched() {
    return batcher.unanswered();
  }

  /** Requests waiting in the batcher's queue. */
  int queueDepth() {
    return batcher.depth();
  }

  /** Blocks until the service is closed (by {@link #close()} from another thread, or a shutdown hook). */
  public void awaitShutdown() throws InterruptedException {
    synchronized (closeLock) {
      while (!closed) {
        closeLock.wait();
      }
    }
  }

  /**
   * Drains, then frees everything, within the shutdown timeout plus about a second: stops
   * accepting connections (requests on open ones get a JSON 503), answers the requests already
   * accepted (being read, decoded, queued or run) while the timeout lasts, answers those still
   * left a JSON 503, then stops listening and frees the models.
   */
  @Override
  public void close() {
    synchronized (closeLock) {
      if (closed) {
        return;
      }
      long until = System.nanoTime() + config.shutdownTimeout().toNanos();
      draining = true;
      stopAccepting();
      awaitAnswered(until - TimeUnit.MILLISECONDS.toNanos(500)); // leaves time to answer the rest and stop within the timeout
      if (inFlight.get() > 0) {
        LOG.log(System.Logger.Level.WARNING, inFlight.get() + " requests were still in flight at the shutdown timeout: answering 503");
        batcher.abandon(new HttpProblem(503, "The service shut down before this request was answered", 1));
        awaitAnswered(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300));
      }
      if (app != null) {
        app.stop();
      }
      batcher.close();
      boolean idle = false;
      try {
        // A worker that was gathering company wakes, finds its requests answered and ends: give it a moment.
        idle = batcher.awaitIdle(Math.max(TimeUnit.MILLISECONDS.toNanos(200), until - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      renderers.shutdown();
      if (idle) {
        models.values().forEach(ModelHost::close);
      } else {
        // Closing a session waits for its runs: the process exit frees the models instead.
        LOG.log(System.Logger.Level.WARNING, "A batch was still running at the shutdown timeout; its models are not freed");
      }
      closed = true;
      closeLock.notifyAll();
    }
  }

  private void stopAccepting() {
    if (app == null) {
      return;
    }
    for (Connector c : app.jettyServer().server().getConnectors()) {
      if (c instanceof ServerConnector sc) {
        sc.close(); // the listening socket only: open connections stay, and are answered
      }
    }
  }

  private void awaitAnswered(long untilNanos) {
    while (inFlight.get() > 0 && System.nanoTime() - untilNanos < 0) {
      try {
        closeLock.wait(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
