package org.explain4j.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generated sentences: neutral filler words with one or two sentiment keywords at random
 * positions, padded at the end to a fixed length; the label is the sentiment (0 negative,
 * 1 positive) and the keyword positions are known.
 */
public final class SentimentData {
  public static final int LENGTH = 24;
  public static final String PAD = "<pad>";
  public static final List<String> LABELS = List.of("negative", "positive");
  static final List<String> FILLER = List.of("the", "a", "movie", "film", "story", "was", "is", "and", "it", "of", "plot",
      "actors", "scene", "this", "that", "with", "very", "quite", "really", "to", "in", "on", "for", "at", "by", "my",
      "we", "they", "saw", "watched", "today", "yesterday", "ending", "music", "camera", "long", "short", "two", "hours", "cast");
  static final List<String> POSITIVE = List.of("great", "wonderful", "excellent", "loved", "brilliant", "superb", "enjoyable", "moving");
  static final List<String> NEGATIVE = List.of("awful", "boring", "terrible", "hated", "dull", "poor", "tedious", "weak");
  /** Id 0 is the padding; the rest follow in order. */
  public static final List<String> VOCABULARY = vocabulary();

  private SentimentData() {}

  private static List<String> vocabulary() {
    List<String> v = new ArrayList<>(List.of(PAD));
    v.addAll(FILLER);
    v.addAll(POSITIVE);
    v.addAll(NEGATIVE);
    return List.copyOf(v);
  }

  public static String positiveWord(Random rng) {
    return POSITIVE.get(rng.nextInt(POSITIVE.size()));
  }

  public static String negativeWord(Random rng) {
    return NEGATIVE.get(rng.nextInt(NEGATIVE.size()));
  }

  /** One sentence: token ids (padded), the tokens, the label and which positions hold keywords. */
  public record Sample(int[] ids, List<String> tokens, int label, boolean[] keyword) {}

  public static Sample sample(Random rng) {
    int label = rng.nextInt(2);
    int length = 8 + rng.nextInt(LENGTH - 8 + 1);
    List<String> words = new ArrayList<>();
    for (int i = 0; i < length; i++) {
      words.add(FILLER.get(rng.nextInt(FILLER.size())));
    }
    boolean[] keyword = new boolean[LENGTH];
    List<String> keywords = label == 1 ? POSITIVE : NEGATIVE;
    for (int k = 0, n = 1 + rng.nextInt(2); k < n; k++) {
      int at = rng.nextInt(length);
      words.set(at, keywords.get(rng.nextInt(keywords.size())));
      keyword[at] = true;
    }
    int[] ids = new int[LENGTH];
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < LENGTH; i++) {
      String w = i < length ? words.get(i) : PAD;
      tokens.add(w);
      ids[i] = VOCABULARY.indexOf(w);
    }
    return new Sample(ids, tokens, label, keyword);
  }
}
