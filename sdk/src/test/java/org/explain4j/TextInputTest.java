package org.explain4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.explain4j.input.InputBatch;
import org.explain4j.render.Renderers;
import org.explain4j.render.Rendering;
import org.explain4j.testkit.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model that takes raw sentences and turns them into ids itself (a hash table its initialiser
 * fills, as Keras' TextVectorization and StringLookup do): it loads, its own tokens are read back
 * from its vocabulary, and its maps equal those of the same layers fed the ids directly.
 */
class TextInputTest {
  @TempDir
  Path tmp;

  @Test
  void rawTextIsExplainedOverTheModelsOwnTokens() {
    Path vectorized = TestModels.textVectorized(tmp.resolve("text-vectorized"));
    Path ids = TestModels.textCnn(tmp.resolve("text-ids")); // the same weights, fed ids
    InputBatch sentences = InputBatch.ofStrings(List.of("The movie was wonderful", "a zebra film but boring"));
    try (Explainer text = Explainer.builder().setModel(vectorized).build();
        Explainer reference = Explainer.builder().setModel(ids).build()) {
      assertEquals("features", text.layer().name(), "the temporal layer after the embedding");
      List<List<String>> tokens = text.textTokens(sentences);
      assertEquals(List.of("the", "movie", "was", "wonderful", "", "", "", "", "", ""), tokens.get(0));
      assertEquals(List.of("a", "[UNK]", "film", "but", "boring", "", "", "", "", ""), tokens.get(1));
      // The ids the vocabulary gives (word i is id i + 2, unknown 1, padding 0), fed to the same layers.
      int[] wordIds = new int[2 * TestModels.TEXT_LENGTH];
      for (int item = 0; item < 2; item++) {
        for (int t = 0; t < TestModels.TEXT_LENGTH; t++) {
          String w = tokens.get(item).get(t);
          wordIds[item * TestModels.TEXT_LENGTH + t] = w.isEmpty() ? 0 : w.equals("[UNK]") ? 1 : TestModels.TEXT_VOCABULARY.indexOf(w) + 2;
        }
      }
      InputBatch idBatch = InputBatch.ofInts(wordIds, 2, TestModels.TEXT_LENGTH);
      assertArrayEquals(reference.predict(idBatch), text.predict(sentences), 1e-6f);
      Explanation got = text.explain(sentences);
      Explanation want = reference.explain(idBatch);
      for (int item = 0; item < 2; item++) {
        assertEquals(want.first(item).target(), got.first(item).target());
        assertArrayEquals(want.first(item).layerMap().values(), got.first(item).layerMap().values(), 1e-6f);
        assertEquals(TestModels.TEXT_LENGTH, got.first(item).heatMap().width(), "one weight per padded position");
      }
      // Shown as HTML over the model's words, the padding left out.
      Rendering html = Renderers.show(text, sentences.item(0));
      assertEquals(Rendering.Format.HTML, html.format());
      for (String w : List.of("the", "movie", "was", "wonderful")) {
        assertTrue(html.text().contains(">" + w + "<"), w + " in " + html.text());
      }
      assertEquals(4, Pattern.compile("class=\"e4j-token\"").matcher(html.text()).results().count(), html.text());
    }
  }
}
