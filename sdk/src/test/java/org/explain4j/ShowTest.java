package org.explain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.explain4j.render.Renderers;
import org.explain4j.input.Images;
import org.explain4j.render.text.Padding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.explain4j.input.InputBatch;
import org.explain4j.render.Rendering;
import org.explain4j.render.ShowOptions;
import org.explain4j.testkit.TestModels;

/** {@link Renderers#show} picks the format from the model kind, and can be told otherwise. */
class ShowTest {
  @TempDir Path tmp;

  @Test
  void imageModelsGiveOverlayPngs() {
    Path model = TestModels.cnn(tmp.resolve("cnn"), true);
    try (Explainer explainer = Explainer.builder().setModel(model).build()) {
      Rendering one = Renderers.show(explainer, TestInputs.images(1, 2));
      assertEquals(Rendering.Format.PNG, one.format());
      assertEquals("image/png", one.mediaType());
      BufferedImage image = Images.decode(one.content(), "one.png");
      assertEquals(128, image.getWidth(), "a 16x16 input is drawn 8 times larger");
      assertEquals(128, image.getHeight());
      Rendering three = Renderers.show(explainer, TestInputs.images(3, 2));
      BufferedImage grid = Images.decode(three.content(), "grid.png");
      assertEquals(3 * (Math.max(128, org.explain4j.render.image.HeatMapImages.MIN_CAPTION_WIDTH) + 6) + 6, grid.getWidth(),
          "three captioned tiles in a row");
      Rendering json = Renderers.show(explainer, TestInputs.images(2, 2),
          ShowOptions.builder().optFormat(Rendering.Format.JSON).optModelName("cnn").build());
      assertEquals(Rendering.Format.JSON, json.format());
      assertTrue(json.text().contains("\"model\":\"cnn\""), json.text());
      Rendering text = Renderers.show(explainer, TestInputs.images(2, 2), ShowOptions.builder().optFormat(Rendering.Format.TEXT).build());
      assertEquals(2 + 2, text.text().lines().count());
    }
  }

  @Test
  void tokenModelsGiveHtmlWithPaddingRemoved() throws Exception {
    Path model = TestModels.textCnn(tmp.resolve("text"));
    int[] ids = new int[2 * TestModels.TEXT_LENGTH];
    Random rng = new Random(3);
    List<List<String>> tokens = new ArrayList<>();
    for (int item = 0; item < 2; item++) {
      List<String> words = new ArrayList<>();
      for (int i = 0; i < TestModels.TEXT_LENGTH; i++) {
        boolean pad = i >= 7;
        ids[item * TestModels.TEXT_LENGTH + i] = pad ? 0 : 1 + rng.nextInt(TestModels.VOCABULARY - 1);
        words.add(pad ? "<pad>" : "w" + ids[item * TestModels.TEXT_LENGTH + i]);
      }
      tokens.add(words);
    }
    InputBatch batch = InputBatch.ofInts(ids, 2, TestModels.TEXT_LENGTH);
    // At the dense layer ("pooled", [batch, channels]) the map is over units, not tokens: a table
    // by default, and token highlighting refuses it rather than stretch it over the tokens.
    try (Explainer dense = Explainer.builder().setModel(model).optLayer("pooled").build()) {
      assertEquals(Rendering.Format.TEXT, Renderers.show(dense, batch).format());
      org.explain4j.exceptions.InvalidInputException refused = org.junit.jupiter.api.Assertions.assertThrows(
          org.explain4j.exceptions.InvalidInputException.class,
          () -> Renderers.show(dense, batch, ShowOptions.builder().optTokens(tokens).optFormat(Rendering.Format.HTML).build()));
      assertTrue(refused.getMessage().contains("temporal layer") && refused.getMessage().contains("units"), refused.getMessage());
    }
    try (Explainer explainer = Explainer.builder().setModel(model).build()) {
      assertEquals("features", explainer.layer().name(), "automatic choice finds the temporal layer behind the embedding");
      Rendering html = Renderers.show(explainer, batch, ShowOptions.builder().optTokens(tokens).optPadding("<pad>", Padding.POST).build());
      assertEquals(Rendering.Format.HTML, html.format());
      long spans = Pattern.compile("class=\"e4j-token\"").matcher(html.text()).results().count();
      assertEquals(2 * 7, spans, "padding is not displayed");
      assertTrue(!html.text().contains("&lt;pad&gt;"), html.text());
      // Without tokens, the ids are shown, and the id of the padding can be given instead.
      Rendering ids0 = Renderers.show(explainer, batch, ShowOptions.builder().optPadding("0", Padding.POST).build());
      assertEquals(2 * 7, Pattern.compile("class=\"e4j-token\"").matcher(ids0.text()).results().count());
    }
  }

  @Test
  void aPreEmbeddedSequenceIsShownOverItsStepsWhenNoTokensAreGiven() {
    // [batch, time, features] vectors carry no readable tokens: the steps are labelled #0, #1, ...
    Path model = TestModels.embeddedSequence(tmp.resolve("embedded"));
    try (Explainer explainer = Explainer.builder().setModel(model).build()) {
      InputBatch vectors = InputBatch.ofFloats(TestModels.random(new Random(9), TestModels.TEXT_LENGTH * 4, 1.0), 1,
          TestModels.TEXT_LENGTH, 4);
      Rendering r = Renderers.show(explainer, vectors);
      assertEquals(Rendering.Format.HTML, r.format());
      String html = r.text();
      for (int i = 0; i < TestModels.TEXT_LENGTH; i++) {
        assertTrue(html.contains(">#" + i + "<"), "step " + i + " in " + html);
      }
      assertEquals(TestModels.TEXT_LENGTH, Pattern.compile("class=\"e4j-token\"").matcher(html).results().count());
    }
  }

  @Test
  void otherModelsGiveATextTable() {
    Path model = TestModels.cnn(tmp.resolve("cnn"), true);
    try (Explainer explainer = Explainer.builder().setModel(model).optLayer("flatten").build()) {
      Rendering r = Renderers.show(explainer, TestInputs.images(1, 1));
      assertEquals(Rendering.Format.TEXT, r.format());
      assertTrue(r.text().contains("gradient-x-activation"), r.text());
    }
  }

  @Test
  void idInputsAreNotDifferentiated() throws Exception {
    Path model = TestModels.textCnn(tmp.resolve("text2"));
    try (Explainer explainer = Explainer.builder().setModel(model).build()) {
      LayerGradients raw = explainer.gradients(InputBatch.ofInts(new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 1, 10), Targets.of(1));
      assertEquals(List.of(1L, 10L, 6L), java.util.Arrays.stream(raw.layerShape()).boxed().toList());
    }
  }
}
