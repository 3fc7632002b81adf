package org.explain4j.input;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.explain4j.exceptions.ExplainException;
import org.explain4j.exceptions.InvalidInputException;

/**
 * Turns what a user points at into input items: image files and directories, a NumPy array, token
 * ids, or tokens looked up in a vocabulary. Each item is a batch of one with a name unique within
 * the source (for output files) and, where there is one, the original image or the tokens to
 * display. Items are made as they are drawn: a directory of images is read one file at a time.
 */
public final class InputSource implements Iterable<InputSource.Item> {

  /**
   * One input item.
   *
   * @param name unique within its source: an image file's name without extension, {@code file-i}
   *     for row i of an array, {@code tokens} for a token sequence
   * @param batch the item as a batch of one
   * @param image the original image, for image items (else null)
   * @param tokens the tokens to display, for token items when known (else null)
   */
  public record Item(String name, InputBatch batch, BufferedImage image, List<String> tokens) {}

  private final int size;
  private final IntFunction<Item> item;

  private InputSource(int size, IntFunction<Item> item) {
    this.size = size;
    this.item = item;
  }

  /** The number of items. */
  public int size() {
    return size;
  }

  @Override
  public Iterator<Item> iterator() {
    return new Iterator<>() {
      private int next;

      @Override
      public boolean hasNext() {
        return next < size;
      }

      @Override
      public Item next() {
        if (next >= size) {
          throw new NoSuchElementException();
        }
        return item.apply(next++);
      }
    };
  }

  /**
   * Image files, each read and preprocessed when drawn; directories stand for the regular files in
   * them, sorted by name.
   */
  public static InputSource images(List<Path> filesOrDirectories, ImagePreprocessor preprocessor) {
    List<Path> files = imageFiles(filesOrDirectories);
    List<String> names = uniqueNames(files.stream().map(f -> stem(f.getFileName().toString())).toList());
    return new InputSource(files.size(), i -> {
      BufferedImage image = Images.read(files.get(i));
      return new Item(names.get(i), preprocessor.toBatch(List.of(image)), image, null);
    });
  }

  /**
   * Image files fed as their encoded bytes, for models that decode in the graph (a {@code DT_STRING}
   * input); each item keeps the decoded image for display.
   */
  public static InputSource encodedImages(List<Path> filesOrDirectories) {
    List<Path> files = imageFiles(filesOrDirectories);
    List<String> names = uniqueNames(files.stream().map(f -> stem(f.getFileName().toString())).toList());
    return new InputSource(files.size(), i -> {
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(files.get(i));
      } catch (IOException e) {
        throw new ExplainException("Cannot read image file " + files.get(i) + ": " + e.getMessage(), e);
      }
      BufferedImage image = Images.decode(bytes, files.get(i).toString());
      return new Item(names.get(i), InputBatch.ofEncoded(List.of(bytes)), image, null);
    });
  }

  /** Sentences for a model that takes raw text, one item each ({@code text-0}, {@code text-1}...). */
  public static InputSource texts(List<String> sentences) {
    if (sentences.isEmpty()) {
      throw new InvalidInputException("No text: expected at least one sentence");
    }
    List<String> copy = List.copyOf(sentences);
    return new InputSource(copy.size(), i -> new Item("text-" + i, InputBatch.ofStrings(List.of(copy.get(i))), null, null));
  }

  /** The rows of a NumPy {@code .npy} array, batch first. */
  public static InputSource npy(Path file) {
    InputBatch all = NpyReader.read(file);
    String stem = stem(file.getFileName().toString());
    return new InputSource(all.batchSize(), i -> new Item(stem + "-" + i, all.item(i), null, null));
  }

  /**
   * One sequence of token ids; {@code tokens}, when not null, are shown in its place and must be
   * as many as the ids.
   */
  public static InputSource tokenIds(int[] ids, List<String> tokens) {
    if (ids.length == 0) {
      throw new InvalidInputException("No token ids: expected at least one");
    }
    if (tokens != null && tokens.size() != ids.length) {
      throw new InvalidInputException(tokens.size() + " tokens were given for " + ids.length + " ids: expected one token per id");
    }
    InputBatch batch = InputBatch.ofInts(ids, 1, ids.length);
    List<String> shown = tokens == null ? null : List.copyOf(tokens);
    return new InputSource(1, i -> new Item("tokens", batch, null, shown));
  }

  /** One sequence of tokens, turned into ids by a vocabulary file (line N holds the token of id N). */
  public static InputSource tokens(List<String> tokens, Path vocabulary) {
    Map<String, Integer> ids = new HashMap<>();
    try {
      List<String> lines = Files.readAllLines(vocabulary, StandardCharsets.UTF_8);
      for (int i = lines.size() - 1; i >= 0; i--) {
        ids.put(lines.get(i), i); // the first line wins where a token repeats
      }
    } catch (IOException e) {
      throw new ExplainException("Cannot read the vocabulary " + vocabulary + ": " + e.getMessage(), e);
    }
    int[] values = new int[tokens.size()];
    for (int i = 0; i < values.length; i++) {
      Integer id = ids.get(tokens.get(i));
      if (id == null) {
        throw new InvalidInputException("Token '" + tokens.get(i) + "' is not in the vocabulary " + vocabulary);
      }
      values[i] = id;
    }
    return tokenIds(values, tokens);
  }

  /** The files named, with each directory replaced by its regular files sorted by name. */
  public static List<Path> imageFiles(List<Path> filesOrDirectories) {
    List<Path> files = new ArrayList<>();
    for (Path p : filesOrDirectories) {
      if (Files.isDirectory(p)) {
        try (Stream<Path> listing = Files.list(p)) {
          listing.filter(Files::isRegularFile).sorted().forEach(files::add);
        } catch (IOException e) {
          throw new ExplainException("Cannot list the directory " + p + ": " + e.getMessage(), e);
        }
      } else {
        files.add(p);
      }
    }
    if (files.isEmpty()) {
      throw new InvalidInputException("No image files in " + filesOrDirectories);
    }
    return files;
  }

  private static String stem(String fileName) {
    int dot = fileName.lastIndexOf('.');
    return dot > 0 ? fileName.substring(0, dot) : fileName;
  }

  /** The names, a repeated one suffixed with {@code -2}, {@code -3}... */
  private static List<String> uniqueNames(List<String> names) {
    Set<String> used = new HashSet<>();
    List<String> out = new ArrayList<>();
    for (String name : names) {
      String candidate = name;
      for (int n = 2; !used.add(candidate); n++) {
        candidate = name + "-" + n;
      }
      out.add(candidate);
    }
    return out;
  }
}
