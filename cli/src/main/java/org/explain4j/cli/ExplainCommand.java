package org.explain4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.explain4j.BatchOptions;
import org.explain4j.Explainer;
import org.explain4j.ExplainerConfig;
import org.explain4j.ItemExplanation;
import org.explain4j.Targets;
import org.explain4j.cam.Interpolation;
import org.explain4j.input.ImagePreprocessor;
import org.explain4j.input.InputBatch;
import org.explain4j.input.InputSource;
import org.explain4j.model.DataFormat;
import org.explain4j.model.ScoreKind;
import org.explain4j.render.Renderers;
import org.explain4j.render.Rendering;
import org.explain4j.render.ShowOptions;
import org.explain4j.render.image.Colormap;
import org.explain4j.render.image.ImageStyle;
import org.explain4j.render.text.Padding;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code explain4j explain}: explains a SavedModel's predictions on images, a .npy array or token ids. */
@Command(name = "explain", mixinStandardHelpOptions = true,
    description = "Explain a SavedModel's predictions and write the explanations (PNG overlays, HTML, JSON, CSV or text).")
final class ExplainCommand implements Callable<Integer> {
  @Mixin
  ModelOptions models;

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Inputs inputs = new Inputs();

  static final class Inputs {
    @Option(names = "--image", arity = "1..*", description = "Image files or directories (PNG, JPEG, BMP, GIF, TIFF).")
    List<Path> images;

    @Option(names = "--input", description = "A NumPy .npy array (float32, int32 or int64), batch first.")
    Path npy;

    @Option(names = "--ids", description = "Token ids of one sequence, space-separated.")
    String ids;

    @Option(names = "--text", arity = "1..*",
        description = "Sentences for a model that takes raw text (a string input it splits and looks up itself); one item each.")
    List<String> texts;
  }

  @Option(names = "--tokens", description = "Tokens of one sequence, space-separated: with --ids for display, or alone with --vocab.")
  String tokens;

  @Spec
  CommandSpec spec;

  @Option(names = "--vocab", description = "Vocabulary file, one token per line (line N is id N), to turn --tokens into ids.")
  Path vocab;

  @Option(names = "--layer", description = "Layer name or index (default: automatic).")
  String layer;

  @Option(names = "--method", description = "Attribution method: grad-cam, grad-cam++, xgrad-cam, hires-cam, grad-cam-elementwise,"
      + " layer-cam, eigen-cam, eigen-grad-cam, kpca-cam, ablation-cam, score-cam, random-cam (a baseline), gradient-x-activation;"
      + " several comma-separated share"
      + " one pass (default: grad-cam, or gradient-x-activation for a dense layer).")
  String method;

  @Mixin
  TargetOptions targeting;

  @Option(names = "--labels", description = "Class labels, one per line.")
  Path labels;

  @Option(names = "--score", description = "logit or output (default: the logit behind a Softmax or Sigmoid output, else the output).")
  String score;

  @Option(names = "--no-relu", description = "Keep negative evidence (maps in [-1, 1]).")
  boolean noRelu;

  @Option(names = "--counterfactual", description = "Explain what lowers the score.")
  boolean counterfactual;

  @Option(names = "--engine", defaultValue = "auto", description = "auto, java, native or cuda (default: ${DEFAULT-VALUE}).")
  String engine;

  @Option(names = "--data-format", description = "channels_last or channels_first, for layers the graph does not declare.")
  String dataFormat;

  @Option(names = "--batch-size", defaultValue = "32", description = "Images per run (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--format", defaultValue = "auto", description = "auto, png, html, json, csv or text (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(names = "--out", defaultValue = "explain4j-out", description = "Output directory (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--colormap", defaultValue = "jet", description = "jet, viridis, magma, inferno, turbo, reds, greens, gray (default: ${DEFAULT-VALUE}).")
  String colormap;

  @Option(names = "--alpha-limit", defaultValue = "0.6", description = "Largest overlay opacity (default: ${DEFAULT-VALUE}).")
  float alphaLimit;

  @Option(names = "--interpolation", defaultValue = "bilinear", description = "nearest, bilinear (linear) or bicubic (cubic) (default: ${DEFAULT-VALUE}).")
  String interpolation;

  @Option(names = "--pad-value", description = "The padding token (or id) to hide in text output.")
  String padValue;

  @Option(names = "--padding", defaultValue = "post", description = "pre or post (default: ${DEFAULT-VALUE}).")
  String padding;

  @Option(names = "--size", description = "Resize images to WxH (default: the model's input size).")
  String size;

  @Mixin
  PixelOptions pixels;

  @Mixin
  MethodOptions tuning;

  @Option(names = "--grayscale", description = "Feed one luminance channel.")
  boolean grayscale;

  @Override
  public Integer call() throws IOException {
    if (inputs == null || (inputs.images == null && inputs.npy == null && inputs.ids == null && inputs.texts == null && tokens == null)) {
      throw new ParameterException(spec.commandLine(), "Missing input: give --image, --input, --ids, --text or --tokens");
    }
    if (tokens != null && (inputs.images != null || inputs.npy != null)) {
      throw new ParameterException(spec.commandLine(), "--tokens goes with --ids (tokens to display) or alone with --vocab");
    }
    Parsed parsed = parse();
    ExplainerConfig.Builder builder = tuning.apply(models.builder())
        .optScore(parsed.score()).optRelu(!noRelu).optCounterfactual(counterfactual)
        .optInterpolation(parsed.interpolation()).optEngine(engine).optMethod(method);
    builder.optLayerNameOrIndex(layer);
    if (labels != null) {
      builder.optLabels(labels);
    }
    if (parsed.dataFormat() != null) {
      builder.optDataFormat(parsed.dataFormat());
    }
    Files.createDirectories(out);
    Targets targets = parsed.targets();
    ShowOptions.Builder show = ShowOptions.builder().optTargets(targets).optFormat(parsed.format())
        .optImageStyle(ImageStyle.builder().optColormap(parsed.colormap()).optAlphaLimit(alphaLimit).build())
        .optTextInterpolation(parsed.interpolation()).optModelName(models.model.toString())
        .optPadding(padValue, parsed.padding());
    try (Explainer explainer = builder.build()) {
      InputSource source = source(explainer, parsed);
      // The batcher draws items lazily; those drawn wait here for their results, which come in input order.
      Deque<InputSource.Item> drawn = new ArrayDeque<>();
      Iterator<InputSource.Item> items = source.iterator();
      Iterable<InputBatch> batches = () -> new Iterator<>() {
        @Override
        public boolean hasNext() {
          return items.hasNext();
        }

        @Override
        public InputBatch next() {
          InputSource.Item item = items.next();
          drawn.add(item);
          return item.batch();
        }
      };
      Progress progress = new Progress(source.size());
      BatchOptions options = BatchOptions.builder().optBatchSize(batchSize).optTargets(targets).optProgress(progress::done).build();
      int written = 0;
      try (Stream<ItemExplanation> results = explainer.explainAll(batches, options)) {
        for (ItemExplanation result : (Iterable<ItemExplanation>) results::iterator) {
          InputSource.Item item = drawn.poll();
          ShowOptions.Builder itemShow = show.build().toBuilder();
          if (item.image() != null) {
            itemShow.optImages(List.of(item.image()));
          }
          if (item.tokens() != null) {
            itemShow.optTokens(List.of(item.tokens()));
          }
          // A raw-text model's own tokens (its vocabulary's words), where the item brought none.
          ShowOptions itemOptions = Renderers.withTextTokens(explainer, item.batch(), itemShow.build());
          if (itemOptions.format() == Rendering.Format.AUTO) {
            itemOptions = itemOptions.toBuilder().optFormat(Renderers.choose(explainer.layer(), item.batch())).build();
          }
          Rendering r = Renderers.render(result.explanation().orElseThrow(), item.batch(), itemOptions);
          Path file = out.resolve(item.name() + "." + r.format().extension());
          r.writeTo(file);
          if (r.format() == Rendering.Format.TEXT) {
            System.out.print(r.text());
          }
          progress.println("wrote " + file);
          written++;
        }
      }
      progress.finish();
      System.out.printf(Locale.ROOT, "explained %d item(s) with layer %s, engine %s%n", written, explainer.layer().name(), explainer.engine());
    }
    return 0;
  }

  /** The items the options point at. */
  private InputSource source(Explainer explainer, Parsed parsed) {
    if (inputs.images != null && explainer.model().inputs().get(0).dataType() == org.tensorflow.proto.DataType.DT_STRING) {
      return InputSource.encodedImages(inputs.images); // the model decodes the files itself
    }
    if (inputs.images != null) {
      ImagePreprocessor.Builder pre = ImagePreprocessor.forModel(explainer.model());
      if (parsed.size() != null) {
        pre.optSize(parsed.size()[0], parsed.size()[1]);
      }
      pixels.apply(pre);
      if (grayscale) {
        pre.optGrayscale(true);
      }
      return InputSource.images(inputs.images, pre.build());
    }
    if (inputs.npy != null) {
      return InputSource.npy(inputs.npy);
    }
    if (inputs.texts != null) {
      return InputSource.texts(inputs.texts);
    }
    List<String> words = tokens == null ? null : List.of(tokens.trim().split("\\s+"));
    if (inputs.ids == null) {
      if (vocab == null) {
        throw new IllegalArgumentException("--tokens alone needs --vocab FILE to turn tokens into ids (or give --ids)");
      }
      return InputSource.tokens(words, vocab);
    }
    return InputSource.tokenIds(parsed.ids(), words);
  }

  /** The option values that need parsing, parsed; a value that does not parse is a usage error (exit 2). */
  private record Parsed(ScoreKind score, Interpolation interpolation, DataFormat dataFormat, Rendering.Format format,
      Colormap colormap, Padding padding, int[] size, Targets targets, int[] ids) {}

  private Parsed parse() {
    Targets targets;
    try {
      targets = targeting.targets();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    try {
      int[] wh = null;
      if (size != null) {
        if (!size.trim().matches("\\d+[xX]\\d+")) {
          throw new IllegalArgumentException("--size takes WxH, such as 224x224; got '" + size + "'");
        }
        String[] parts = size.trim().toLowerCase(Locale.ROOT).split("x");
        wh = new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
      }
      int[] ids = null;
      if (inputs.ids != null) {
        try {
          ids = Arrays.stream(inputs.ids.trim().split("\\s+")).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("--ids takes whole numbers separated by spaces; got '" + inputs.ids + "'", e);
        }
      }
      return new Parsed(score == null ? null : choice(ScoreKind.class, score, "--score"), Interpolation.parse(interpolation),
          dataFormat == null ? null : choice(DataFormat.class, dataFormat, "--data-format"), Rendering.Format.parse(format),
          Colormap.parse(colormap), choice(Padding.class, padding, "--padding"), wh,
          targets, ids);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

  /** An enum constant by its name in any case, or a message listing the names. */
  private static <E extends Enum<E>> E choice(Class<E> type, String value, String option) {
    try {
      return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Unknown " + option + " '" + value + "': expected one of "
          + Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT)).toList(), e);
    }
  }
}
