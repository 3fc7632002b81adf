package org.explain4j.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.explain4j.Explainer;
import org.explain4j.input.InputBatch;
import org.explain4j.TargetExplanation;
import org.explain4j.Targets;
import org.explain4j.cam.Interpolation;
import org.explain4j.demo.DemoModels;
import org.explain4j.demo.SentimentData;
import org.explain4j.render.text.AnsiHighlighter;
import org.explain4j.render.text.HtmlHighlighter;
import org.explain4j.render.text.Padding;
import org.explain4j.render.text.TokenWeights;

/**
 * The Java API end to end for a text classifier: tokens to ids, explain, highlight the tokens in
 * HTML and in the terminal, with and without the counterfactual. Run: {@code java -cp
 * examples/target/classes:$(cat examples/target/classpath.txt)
 * org.explain4j.examples.TextClassifierExample "the plot was dull but the music was wonderful" [--model DIR] [--out DIR]}.
 */
public final class TextClassifierExample {
  private TextClassifierExample() {}

  public static void main(String[] args) throws Exception {
    List<String> words = new ArrayList<>(List.of(args));
    Path out = Path.of(Flags.take(words, "--out", "explain4j-out"));
    String modelFlag = Flags.take(words, "--model", null);
    Path model = modelFlag != null ? Path.of(modelFlag) : DemoModels.sentiment(out.resolve("models").resolve("sentiment-" + DemoModels.VERSION));
    String sentence = !words.isEmpty() ? String.join(" ", words) : "the plot was dull but the music was wonderful";

    // Tokens to ids, padded at the end to the model's length; unknown words become "the".
    List<String> tokens = new ArrayList<>(List.of(sentence.toLowerCase().split("\\s+")));
    while (tokens.size() < SentimentData.LENGTH) {
      tokens.add(SentimentData.PAD);
    }
    int[] ids = tokens.stream().limit(SentimentData.LENGTH)
        .mapToInt(w -> Math.max(1, SentimentData.VOCABULARY.indexOf(w))).toArray();
    InputBatch batch = InputBatch.ofInts(ids, 1, SentimentData.LENGTH);

    List<TokenWeights> shown = new ArrayList<>();
    try (Explainer explainer = Explainer.builder().setModel(model).optLabels(SentimentData.LABELS).build();
        Explainer counter = Explainer.builder().setModel(model).optLabels(SentimentData.LABELS).optCounterfactual(true).build()) {
      TargetExplanation why = explainer.explain(batch).first(0);
      // What speaks against the predicted class: the counterfactual of the same target.
      TargetExplanation against = counter.explain(batch, Targets.of(why.target())).first(0);
      for (TargetExplanation t : List.of(why, against)) {
        TokenWeights w = TokenWeights.of(t, tokens.subList(0, SentimentData.LENGTH), SentimentData.PAD, Padding.POST, Interpolation.NEAREST);
        shown.add(w);
        System.out.print(AnsiHighlighter.render(w));
      }
    }
    Path html = out.resolve("text-example.html");
    Files.createDirectories(html.getParent());
    Files.writeString(html, HtmlHighlighter.page("why this sentiment, and what speaks against it", shown));
    System.out.println("wrote " + html);
  }
}
