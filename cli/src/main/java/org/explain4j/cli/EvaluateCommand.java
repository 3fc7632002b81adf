package org.explain4j.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
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
import org.tensorflow.proto.DataType;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code explain4j evaluate}: faithfulness metrics of one or more methods' maps, as a table or JSON. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = "Score methods' maps: deletion, insertion (Petsiuk et al. 2018), ROAD (Rong et al. 2022), confidence change,"
        + " and the pointing game (Zhang et al. 2016) with --boxes or --keywords.")
final class EvaluateCommand implements Callable<Integer> {
  @Mixin
  ModelOptions models;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Inputs inputs;

  static final class Inputs {
    @Option(names = "--image", arity = "1..*", description = "Image files or directories.")
    List<Path> images;

    @Option(names = "--input", description = "A NumPy .npy array, batch first: images (float32), or token ids for the pointing game alone.")
    Path npy;
  }

  @ArgGroup(exclusive = true)
  Truth truth;

  static final class Truth {
    @Option(names = "--boxes", description = "CSV of object boxes for the pointing game: " + RegionsFile.BOX_HEADER
        + " (corners in the image file's pixels; class * for any).")
    Path boxes;

    @Option(names = "--keywords", description = "CSV of keyword token positions for the pointing game: " + RegionsFile.KEYWORD_HEADER + ".")
    Path keywords;
  }

  @Option(names = "--tolerance", description = "Pointing game: how far (pixels or tokens of the map) the peak may lie from a region"
      + " (default: 15 px at 224 px, scaled to the map; 0 tokens).")
  Double tolerance;

  @Option(names = "--method", defaultValue = "grad-cam", description = "Method(s), comma-separated (default: ${DEFAULT-VALUE}).")
  String method;

  @Option(names = "--metric", description = "Metric(s), comma-separated: deletion, insertion, road, confidence, pointing"
      + " (default: the first four for images, and pointing when --boxes or --keywords are given).")
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

  @Option(names = "--batch-size", defaultValue = "32", description = "Items explained at once, and perturbed inputs per prediction run (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--format", defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE}).")
  String format;

  @Mixin
  PixelOptions pixels;

  @Mixin
  MethodOptions tuning;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    Set<Metric> metrics;
    Targets targets;
    try {
      if (!format.equals("table") && !format.equals("json")) {
        throw new IllegalArgumentException("--format is table or json, got '" + format + "'");
      }
      metrics = metric != null ? Metric.parse(metric) : EnumSet.of(Metric.DELETION, Metric.INSERTION, Metric.ROAD, Metric.CONFIDENCE);
      if (metric == null && truth != null) {
        metrics.add(Metric.POINTING);
      }
      if (metrics.contains(Metric.POINTING) && truth == null) {
        throw new IllegalArgumentException("--metric pointing needs --boxes or --keywords");
      }
      if (tolerance != null && !(tolerance >= 0)) {
        throw new IllegalArgumentException("--tolerance is 0 or more, got " + tolerance);
      }
      targets = targeting.targets();
    } catch (IllegalArgumentException | org.explain4j.exceptions.InvalidInputException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    ExplainerConfig.Builder builder = tuning.apply(models.builder()).optMethod(method).optLayerNameOrIndex(layer);
    try (Explainer explainer = builder.build()) {
      InputSource source = inputs.images != null
          ? InputSource.images(inputs.images, pixels.apply(ImagePreprocessor.forModel(explainer.model())).build())
          : InputSource.npy(inputs.npy);
      List<InputSource.Item> items = new ArrayList<>();
      source.forEach(items::add);
      InputBatch all = InputBatch.concat(items.stream().map(InputSource.Item::batch).toList());
      if (metric == null && truth != null && !all.dataType().equals(DataType.DT_FLOAT)) {
        metrics = EnumSet.of(Metric.POINTING);   // token ids: the perturbing metrics do not apply
      }
      Faithfulness.Options.Builder options = Faithfulness.Options.builder().optSteps(steps).optBaseline(baseline).optBlurSigma(blurSigma)
          .optBatchSize(batchSize);
      if (truth != null) {
        options.optRegions(RegionsFile.read(truth.boxes != null ? truth.boxes : truth.keywords, truth.keywords != null, items));
        if (tolerance != null) {
          options.optPointingTolerance(tolerance);
        }
      }
      int perItem = targeting.topK != null ? targeting.topK : targeting.target != null ? targeting.target.length : 1;
      Progress progress = new Progress(items.size() * perItem * explainer.method().split(",").length);
      List<Faithfulness.Score> scores = Faithfulness.evaluate(explainer, all, targets, metrics, options.optProgress(progress::done).build());
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
    out.append("(-) lower is better, (+) higher is better; means over the maps (items x targets)"
        + (columns.contains("pointing") ? "; pointing over the maps with regions" : "") + "\n");
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
