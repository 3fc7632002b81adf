package org.explain4j.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.explain4j.Explainer;
import org.explain4j.ExplainerConfig;
import org.explain4j.Targets;
import org.explain4j.input.ImagePreprocessor;
import org.explain4j.input.InputBatch;
import org.explain4j.input.InputSource;
import org.explain4j.metric.Faithfulness;
import org.explain4j.metric.Metric;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code explain4j evaluate}: faithfulness metrics of one or more methods' maps, as a table or JSON. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = "Score methods' maps: deletion, insertion (Petsiuk et al. 2018), ROAD (Rong et al. 2022), confidence change.")
final class EvaluateCommand implements Callable<Integer> {
  @Mixin
  ModelOptions models;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Inputs inputs;

  static final class Inputs {
    @Option(names = "--image", arity = "1..*", description = "Image files or directories.")
    List<Path> images;

    @Option(names = "--input", description = "A NumPy .npy array of images (float32), batch first.")
    Path npy;
  }

  @Option(names = "--method", defaultValue = "grad-cam", description = "Method(s), comma-separated (default: ${DEFAULT-VALUE}).")
  String method;

  @Option(names = "--metric", defaultValue = "deletion,insertion,road,confidence",
      description = "Metric(s), comma-separated: deletion, insertion, road, confidence (default: all).")
  String metric;

  @Option(names = "--layer", description = "Layer name or index (default: automatic).")
  String layer;

  @Mixin
  TargetOptions targeting;

  @Option(names = "--steps", defaultValue = "20", description = "Points of the deletion and insertion curves (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--baseline", defaultValue = "0", description = "The value deleted pixels take, in input units (default: ${DEFAULT-VALUE}).")
  float baseline;

  @Option(names = "--blur-sigma", defaultValue = "5", description = "Insertion's blur, in pixels (default: ${DEFAULT-VALUE}).")
  double blurSigma;

  @Option(names = "--batch-size", defaultValue = "32", description = "Images explained at once, and perturbed inputs per prediction run (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--format", defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE}).")
  String format;

  @Mixin
  PixelOptions pixels;

  @Mixin
  MethodOptions tuning;

  @Override
  public Integer call() throws IOException {
    if (!format.equals("table") && !format.equals("json")) {
      throw new IllegalArgumentException("--format is table or json, got '" + format + "'");
    }
    Set<Metric> metrics = Metric.parse(metric);
    ExplainerConfig.Builder builder = tuning.apply(models.builder()).optMethod(method).optLayerNameOrIndex(layer);
    Targets targets = targeting.targets();
    try (Explainer explainer = builder.build()) {
      InputSource source = inputs.images != null
          ? InputSource.images(inputs.images, pixels.apply(ImagePreprocessor.forModel(explainer.model())).build())
          : InputSource.npy(inputs.npy);
      List<InputBatch> items = new ArrayList<>();
      source.forEach(item -> items.add(item.batch()));
      int maps = items.size() * explainer.method().split(",").length;
      Progress progress = new Progress(maps);
      List<Faithfulness.Score> scores = new ArrayList<>();
      for (int from = 0; from < items.size(); from += batchSize) {
        List<InputBatch> chunk = items.subList(from, Math.min(items.size(), from + batchSize));
        int done = scores.size();
        Faithfulness.Options options = Faithfulness.Options.builder().optSteps(steps).optBaseline(baseline).optBlurSigma(blurSigma)
            .optBatchSize(batchSize).optProgress(n -> progress.done(done + n)).build();
        scores.addAll(Faithfulness.evaluate(explainer, InputBatch.concat(chunk), targets, metrics, options));
      }
      progress.finish();
      System.out.print(format.equals("json") ? json(models.model.toString(), scores) : table(scores));
    }
    return 0;
  }

  /** One row per method: the mean of each metric over its maps, with the direction that is better. */
  static String table(List<Faithfulness.Score> scores) {
    Map<String, Map<String, Double>> means = Faithfulness.means(scores);
    List<String> columns = Faithfulness.COLUMNS.stream().filter(c -> means.values().stream().anyMatch(r -> r.containsKey(c))).toList();
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-24s %5s", "method", "maps"));
    for (String c : columns) {
      out.append(String.format(Locale.ROOT, " %12s", c + (c.equals("deletion") || c.equals("road_morf") ? " (-)" : " (+)")));
    }
    out.append('\n');
    means.forEach((m, row) -> {
      out.append(String.format(Locale.ROOT, "%-24s %5d", m, scores.stream().filter(s -> s.method().equals(m)).count()));
      for (String c : columns) {
        out.append(String.format(Locale.ROOT, " %12.4f", row.get(c)));
      }
      out.append('\n');
    });
    out.append("(-) lower is better, (+) higher is better; means over the maps (items x targets)\n");
    return out.toString();
  }

  static String json(String model, List<Faithfulness.Score> scores) throws IOException {
    StringWriter w = new StringWriter();
    try (JsonGenerator json = new JsonFactory().createGenerator(w)) {
      json.useDefaultPrettyPrinter();
      json.writeStartObject();
      json.writeStringField("schema", "explain4j.evaluation/1");
      json.writeStringField("model", model);
      json.writeObjectFieldStart("means");
      for (Map.Entry<String, Map<String, Double>> e : Faithfulness.means(scores).entrySet()) {
        json.writeObjectFieldStart(e.getKey());
        for (Map.Entry<String, Double> v : e.getValue().entrySet()) {
          json.writeNumberField(v.getKey(), v.getValue());
        }
        json.writeEndObject();
      }
      json.writeEndObject();
      json.writeArrayFieldStart("maps");
      for (Faithfulness.Score s : scores) {
        json.writeStartObject();
        json.writeNumberField("item", s.item());
        json.writeNumberField("target", s.target());
        json.writeStringField("method", s.method());
        json.writeNumberField("output", s.output());
        for (Map.Entry<String, Double> v : s.values().entrySet()) {
          json.writeNumberField(v.getKey(), v.getValue());
        }
        for (Map.Entry<String, double[]> c : s.curves().entrySet()) {
          json.writeArrayFieldStart(c.getKey() + "Curve");
          for (double v : c.getValue()) {
            json.writeNumber(v);
          }
          json.writeEndArray();
        }
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeEndObject();
    }
    return w + "\n";
  }
}
