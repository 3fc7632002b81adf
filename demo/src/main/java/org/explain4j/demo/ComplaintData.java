package org.explain4j.demo;

import java.util.List;
import java.util.Random;

/**
 * Generated long texts at the character level, in the spirit of ELI5's financial-complaint
 * classifier: about 3,000 characters of neutral filler words with a few keyword phrases of one
 * class at random places; the label is the class, and the keyword spans are known. Characters map
 * to ids 1..N; 0 pads.
 */
public final class ComplaintData {
  public static final int LENGTH = 3000;
  public static final List<String> LABELS = List.of("billing", "fraud");
  static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz .";
  static final List<String> FILLER = List.of("the", "bank", "account", "i", "called", "my", "they", "said", "a", "letter",
      "was", "sent", "on", "monday", "and", "then", "again", "about", "this", "customer", "service", "to", "we", "it", "of");
  static final List<List<String>> KEYWORDS = List.of(
      List.of("overcharged", "late fee", "invoice", "double billed"),
      List.of("stolen card", "identity theft", "unauthorized", "scam"));

  private ComplaintData() {}

  /** Ids (0 = padding), the label, and which characters belong to keyword phrases. */
  public record Sample(int[] ids, int label, boolean[] keyword, int length) {}

  /** The id of a character (1-based; 0 pads). */
  public static int id(char c) {
    return ALPHABET.indexOf(c) + 1;
  }

  public static int vocabulary() {
    return ALPHABET.length() + 1;
  }

  public static Sample sample(Random rng) {
    int label = rng.nextInt(2);
    int target = 2000 + rng.nextInt(LENGTH - 2000);
    StringBuilder text = new StringBuilder();
    boolean[] keyword = new boolean[LENGTH];
    int phrases = 2 + rng.nextInt(3);
    // Keyword phrases go in at random word boundaries.
    java.util.TreeSet<Integer> at = new java.util.TreeSet<>();
    while (at.size() < phrases) {
      at.add(rng.nextInt(target - 200));
    }
    while (text.length() < target) {
      if (!at.isEmpty() && text.length() >= at.first()) {
        at.pollFirst();
        String phrase = KEYWORDS.get(label).get(rng.nextInt(KEYWORDS.get(label).size()));
        for (int i = 0; i < phrase.length() && text.length() + i < LENGTH; i++) {
          keyword[text.length() + i] = true;
        }
        text.append(phrase).append(' ');
      } else {
        text.append(FILLER.get(rng.nextInt(FILLER.size()))).append(rng.nextInt(12) == 0 ? ". " : " ");
      }
    }
    int length = Math.min(LENGTH, text.length());
    int[] ids = new int[LENGTH];
    for (int i = 0; i < length; i++) {
      ids[i] = id(text.charAt(i));
    }
    return new Sample(ids, label, keyword, length);
  }
}
