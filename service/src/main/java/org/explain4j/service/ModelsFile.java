package org.explain4j.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.explain4j.Explainer;
import org.explain4j.ExplainerConfig;
import org.explain4j.exceptions.ExplainException;
import org.explain4j.input.ImagePreprocessor;

/**
 * A models file: the served models, each with its own labels, pixel settings and defaults, as JSON
 * (format in {@code docs/service.md}). Relative paths are resolved against the file's folder, so a
 * folder of models and its models file can move together.
 *
 * <pre>{@code
 * {"models": [
 *   {"name": "mobilenet", "path": "mobilenet/frozen_graph.pb", "labels": "mobilenet/labels.txt",
 *    "pixels": {"scale": 0.00784, "mean": [1, 1, 1]}, "method": "grad-cam++"},
 *   {"name": "mnist", "path": "mnist", "labels": ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]}
 * ]}
 * }</pre>
 */
public final class ModelsFile {
  private static final Set<String> MODEL_KEYS = Set.of("name", "path", "labels", "layer", "method", "engine", "signature",
      "input", "output", "tags", "pixels", "intraOpThreads", "interOpThreads", "feed");
  private static final Set<String> PIXEL_KEYS = Set.of("scale", "mean", "std", "size", "channelOrder", "grayscale");

  private ModelsFile() {}

  /** The models a file names, in its order; an {@link ExplainException} names the file, the model and what is wrong. */
  public static List<ServiceConfig.Model> read(Path file) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new ExplainException("Cannot read the models file " + file + ": " + e.getMessage(), e);
    }
    JsonNode models = root == null ? null : root.get("models");
    if (models == null || !models.isArray() || models.isEmpty()) {
      throw new ExplainException("The models file " + file + " must be {\"models\": [{\"name\": ..., \"path\": ...}, ...]}"
          + " with at least one model");
    }
    Path folder = file.toAbsolutePath().getParent();
    List<ServiceConfig.Model> out = new ArrayList<>();
    for (int i = 0; i < models.size(); i++) {
      out.add(model(models.get(i), folder, file + ", model " + i));
    }
    return out;
  }

  private static ServiceConfig.Model model(JsonNode m, Path folder, String where) {
    if (!m.isObject()) {
      throw problem(where, "is not an object");
    }
    String name = text(m, "name", where, true);
    where = where + " ('" + name + "')";
    checkKeys(m, MODEL_KEYS, where);
    Path path = folder.resolve(text(m, "path", where, true));
    ExplainerConfig.Builder b = Explainer.builder().setModel(path);
    JsonNode labels = m.get("labels");
    if (labels != null) {
      if (labels.isTextual()) {
        b.optLabels(folder.resolve(labels.textValue()));
      } else if (labels.isArray()) {
        List<String> list = new ArrayList<>();
        labels.forEach(l -> list.add(l.asText()));
        b.optLabels(list);
      } else {
        throw problem(where, "\"labels\" must be a file name or an array of names");
      }
    }
    b.optLayerNameOrIndex(text(m, "layer", where, false));
    b.optMethod(text(m, "method", where, false));
    if (m.has("engine")) {
      b.optEngine(text(m, "engine", where, false));
    }
    if (m.has("signature")) {
      b.optSignature(text(m, "signature", where, false));
    }
    if (m.has("input")) {
      b.optInput(text(m, "input", where, false));
    }
    if (m.has("output")) {
      b.optOutput(text(m, "output", where, false));
    }
    if (m.has("tags")) {
      b.optTags(text(m, "tags", where, false).split(","));
    }
    JsonNode feed = m.get("feed");
    if (feed != null) {
      if (!feed.isObject()) {
        throw problem(where, "\"feed\" must be an object of placeholder values, such as {\"keep_prob\": 1.0}");
      }
      feed.fields().forEachRemaining(f -> b.optFeed(f.getKey(), f.getValue().isBoolean() ? (Object) f.getValue().asBoolean()
          : f.getValue().asText()));
    }
    if (m.has("intraOpThreads") || m.has("interOpThreads")) {
      b.optThreads(m.path("intraOpThreads").asInt(0), m.path("interOpThreads").asInt(0));
    }
    ExplainerConfig config = b.config();
    JsonNode pixels = m.get("pixels");
    return new ServiceConfig.Model(name, config, pixels == null ? null : preprocessor(pixels, config, where));
  }

  private static ImagePreprocessor preprocessor(JsonNode pixels, ExplainerConfig config, String where) {
    if (!pixels.isObject()) {
      throw problem(where, "\"pixels\" must be an object with some of " + PIXEL_KEYS);
    }
    checkKeys(pixels, PIXEL_KEYS, where + ", pixels");
    ImagePreprocessor.Builder b = ImagePreprocessor.forModel(config.describe());
    if (pixels.has("scale")) {
      b.optScale((float) number(pixels.get("scale"), where + ", pixels.scale"));
    }
    if (pixels.has("mean")) {
      b.optMean(floats(pixels.get("mean"), where + ", pixels.mean"));
    }
    if (pixels.has("std")) {
      b.optStd(floats(pixels.get("std"), where + ", pixels.std"));
    }
    if (pixels.has("size")) {
      float[] size = floats(pixels.get("size"), where + ", pixels.size");
      if (size.length != 2) {
        throw problem(where, "pixels.size must be [width, height]");
      }
      b.optSize((int) size[0], (int) size[1]);
    }
    if (pixels.has("channelOrder")) {
      String order = pixels.get("channelOrder").asText().toUpperCase(Locale.ROOT);
      if (!order.equals("RGB") && !order.equals("BGR")) {
        throw problem(where, "pixels.channelOrder must be \"rgb\" or \"bgr\", got " + pixels.get("channelOrder"));
      }
      b.optChannelOrder(ImagePreprocessor.ChannelOrder.valueOf(order));
    }
    if (pixels.has("grayscale")) {
      b.optGrayscale(pixels.get("grayscale").asBoolean());
    }
    try {
      return b.build();
    } catch (RuntimeException e) {
      throw problem(where, "pixels: " + e.getMessage());
    }
  }

  private static void checkKeys(JsonNode object, Set<String> known, String where) {
    for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!known.contains(key)) {
        throw problem(where, "has an unknown key \"" + key + "\"; the keys are " + new java.util.TreeSet<>(known));
      }
    }
  }

  private static String text(JsonNode m, String key, String where, boolean required) {
    JsonNode v = m.get(key);
    if (v == null || v.isNull()) {
      if (required) {
        throw problem(where, "has no \"" + key + "\"");
      }
      return null;
    }
    if (!v.isTextual() && !v.isNumber()) {
      throw problem(where, "\"" + key + "\" must be a string, got " + v);
    }
    return v.asText();
  }

  private static double number(JsonNode v, String where) {
    if (!v.isNumber()) {
      throw problem(where, "must be a number, got " + v);
    }
    return v.doubleValue();
  }

  private static float[] floats(JsonNode v, String where) {
    if (!v.isArray()) {
      throw problem(where, "must be an array of numbers, got " + v);
    }
    float[] out = new float[v.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) number(v.get(i), where);
    }
    return out;
  }

  private static ExplainException problem(String where, String what) {
    return new ExplainException("The models file: " + where + " " + what);
  }
}
