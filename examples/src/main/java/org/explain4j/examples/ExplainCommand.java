package org.explain4j.examples;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.explain4j.model.DataFormat;
import org.explain4j.render.Renderers;
import org.explain4j.Explainer;
import org.explain4j.ExplainerConfig;
import org.explain4j.input.InputBatch;
import org.explain4j.render.Rendering;
import org.explain4j.model.ScoreKind;
import org.explain4j.render.ShowOptions;
import org.explain4j.Targets;
import org.explain4j.cam.Interpolation;
import org.explain4j.render.image.Colormap;
import org.explain4j.input.ImagePreprocessor;
import org.explain4j.render.image.ImageStyle;
import org.explain4j.input.Images;
import org.explain4j.render.text.Padding;
import org.explain4j.input.NpyReader;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import org.explain4j.model.Layer;

/** {@code explain4j explain}: explains a SavedModel's predictions on images, a .npy array or token ids. */
@Command(name = "explain", mixinStandardHelpOptions = true,
    description = "Explain a SavedModel's predictions and write the explanations (PNG overlays, HTML, JSON, CSV or text).")
final class ExplainCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, description = "SavedModel directory.")
  Path model;

  @Option(names = "--signature", description = "Signature key (default: serving_default, or the only one).")
  String signature;

  @Option(names = "--tags", split = ",", defaultValue = "serve", description = "Meta graph tags, comma-separated (default: ${DEFAULT-VALUE}).")
  String[] tags;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Inputs inputs;

  static final class Inputs {
    @Option(names = "--image", arity = "1..*", description = "Image files or directories (PNG, JPEG, BMP, GIF, TIFF).")
    List<Path> images;

    @Option(names = "--input", description = "A NumPy .npy array (float32, int32 or int64), batch first.")
    Path npy;

    @Option(names = "--ids", description = "Token ids of one sequence, space-separated.")
    String ids;

    @Option(names = "--tokens", description = "Tokens of one sequence, space-separated: with --ids for display, or alone with --vocab.")
    String tokens;
  }

  @Option(names = "--vocab", description = "Vocabulary file, one token per line (line N is id N), to turn --tokens into ids.")
  Path vocab;

  @Option(names = "--layer", description = "Layer name or index (default: automatic).")
  String layer;

  @Option(names = "--target", arity = "1..*", description = "Class indices to explain (default: the predicted class).")
  int[] target;

  @Option(names = "--top-k", description = "Explain the K most probable classes.")
  Integer topK;

  @Option(names = "--labels", description = "Class labels, one per line.")
  Path labels;

  @Option(names = "--score", defaultValue = "logit", description = "logit or output (default: ${DEFAULT-VALUE}).")
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

  @Option(names = "--scale", description = "Multiplies 0..255 pixel values (default: 1/255).")
  Float scale;

  @Option(names = "--mean", split = ",", description = "Per-channel mean subtracted after scaling.")
  float[] mean;

  @Option(names = "--std", split = ",", description = "Per-channel standard deviation divided by after the mean.")
  float[] std;

  @Option(names = "--grayscale", description = "Feed one luminance channel.")
  boolean grayscale;

  @Override
  public Integer call() throws IOException {
    ExplainerConfig.Builder builder = Explainer.builder().setModel(model).optTags(tags).optSignature(signature)
        .optScore(ScoreKind.valueOf(score.trim().toUpperCase(Locale.ROOT))).optRelu(!noRelu).optCounterfactual(counterfactual)
        .optInterpolation(Interpolation.parse(interpolation)).optEngine(engine);
    if (layer != null) {
      if (layer.matches("\\d+")) {
        builder.optLayer(Integer.parseInt(layer));
      } else {
        builder.optLayer(layer);
      }
    }
    if (labels != null) {
      builder.optLabels(labels);
    }
    if (dataFormat != null) {
      builder.optDataFormat(DataFormat.valueOf(dataFormat.trim().toUpperCase(Locale.ROOT)));
    }
    Files.createDirectories(out);
    Targets targets = target != null ? Targets.of(target) : topK != null ? Targets.topK(topK) : Targets.predicted();
    ShowOptions.Builder show = ShowOptions.builder().optTargets(targets).optFormat(Rendering.Format.parse(format))
        .optImageStyle(ImageStyle.builder().optColormap(Colormap.parse(colormap)).optAlphaLimit(alphaLimit).build())
        .optTextInterpolation(Interpolation.parse(interpolation)).optModelName(model.toString())
        .optPadding(padValue, Padding.valueOf(padding.trim().toUpperCase(Locale.ROOT)));
    try (Explainer explainer = builder.build()) {
      List<InputBatch> batches = new ArrayList<>();
      List<List<BufferedImage>> originals = new ArrayList<>();
      if (inputs.images != null) {
        List<Path> files = imageFiles(inputs.images);
        ImagePreprocessor.Builder pre = ImagePreprocessor.forModel(explainer.model());
        if (size != null) {
          String[] wh = size.toLowerCase(Locale.ROOT).split("x");
          pre.optSize(Integer.parseInt(wh[0]), Integer.parseInt(wh[1]));
        }
        if (scale != null) {
          pre.optScale(scale);
        }
        if (mean != null) {
          pre.optMean(mean);
        }
        if (std != null) {
          pre.optStd(std);
        }
        if (grayscale) {
          pre.optGrayscale(true);
        }
        ImagePreprocessor preprocessor = pre.build();
        for (int i = 0; i < files.size(); i += batchSize) {
          List<BufferedImage> images = new ArrayList<>();
          for (Path f : files.subList(i, Math.min(files.size(), i + batchSize))) {
            images.add(Images.read(f));
          }
          batches.add(preprocessor.toBatch(images));
          originals.add(images);
        }
      } else if (inputs.npy != null) {
        batches.add(NpyReader.read(inputs.npy));
      } else {
        int[] ids = inputs.ids != null ? Arrays.stream(inputs.ids.trim().split("\\s+")).mapToInt(Integer::parseInt).toArray()
            : idsFromVocabulary(inputs.tokens, vocab);
        batches.add(InputBatch.ofInts(ids, 1, ids.length));
        if (inputs.tokens != null) {
          List<String> words = List.of(inputs.tokens.trim().split("\\s+"));
          if (words.size() != ids.length) {
            throw new IllegalArgumentException("--tokens has " + words.size() + " tokens but --ids has " + ids.length + " ids");
          }
          show.optTokens(List.of(words));
        }
      }
      int items = 0;
      for (int b = 0; b < batches.size(); b++) {
        if (!originals.isEmpty()) {
          show.optImages(originals.get(b));
        }
        Rendering r = Renderers.show(explainer, batches.get(b), show.build());
        Path file = out.resolve("explanation-" + (b + 1) + "." + r.format().extension());
        r.writeTo(file);
        if (r.format() == Rendering.Format.TEXT) {
          System.out.print(r.text());
        }
        items += batches.get(b).batchSize();
        if (System.console() != null && batches.size() > 1) {
          // A progress line on terminals only: it is overwritten, not logged.
          int done = (b + 1) * 30 / batches.size();
          System.err.printf(Locale.ROOT, "\r[%s%s] %d items", "#".repeat(done), " ".repeat(30 - done), items);
        }
        System.out.println((System.console() != null && batches.size() > 1 ? "\n" : "") + "wrote " + file);
      }
      System.out.printf(Locale.ROOT, "explained %d item(s) with layer %s, engine %s%n", items, explainer.layer().name(), explainer.engine());
    }
    return 0;
  }

  private static int[] idsFromVocabulary(String tokens, Path vocab) throws IOException {
    if (vocab == null) {
      throw new IllegalArgumentException("--tokens alone needs --vocab FILE to turn tokens into ids (or give --ids)");
    }
    List<String> lines = Files.readAllLines(vocab);
    String[] words = tokens.trim().split("\\s+");
    int[] ids = new int[words.length];
    for (int i = 0; i < words.length; i++) {
      ids[i] = lines.indexOf(words[i]);
      if (ids[i] < 0) {
        throw new IllegalArgumentException("Token '" + words[i] + "' is not in the vocabulary " + vocab);
      }
    }
    return ids;
  }

  private static List<Path> imageFiles(List<Path> paths) throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path p : paths) {
      if (Files.isDirectory(p)) {
        try (Stream<Path> listing = Files.list(p)) {
          listing.filter(Files::isRegularFile).sorted().forEach(files::add);
        }
      } else {
        files.add(p);
      }
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException("No image files in " + paths);
    }
    return files;
  }
}
