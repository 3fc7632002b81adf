package example;

// The README's Java snippet, verbatim between the markers (ReadmeSnippetTest in the SDK checks it).
// --- README imports ---
import java.nio.file.Path;
import org.explain4j.*;                        // Explainer, Targets, Explanation, TargetExplanation, HeatMap
import org.explain4j.input.InputBatch;         // batches; InputSource, NpyReader, ImagePreprocessor too
// --- end ---

public final class ReadmeSnippet {
  public static void main(String[] args) {
// --- README body ---
float[][][][] images = new float[1][28][28][1];          // one 28x28 grey image in [0, 1]: draw a digit
for (int y = 6; y < 22; y++) {
    images[0][y][14][0] = 1f;                            // a vertical stroke: a "1"
}
try (Explainer explainer = Explainer.builder()
        .setModel(Path.of("testdata/models/mlnet-mnist-conv-tf1"))  // a SavedModel directory, or a frozen graph .pb
        .optLayer("Relu_2")                       // by name or index; omit for the automatic choice
        .optMethod("grad-cam")                    // the attribution method; omit for the layer's default
        .optLabels(java.util.List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"))  // or a labels file, one per line
        .build()) {
    System.out.print(explainer.model().summary());                  // signature and candidate layers
    Explanation e = explainer.explain(InputBatch.of(images), Targets.predicted());  // or topK(2), of(3), perItem(...)
    TargetExplanation t = e.first(0);
    HeatMap map = t.heatMap();                 // normalised, at the input's size
    System.out.println(t.label() + " " + t.probability() + " peak at " + map.argMax());
    System.out.println(e.provenance());        // how it was made: layer, method, score, engine, versions...
}
// --- end ---
  }
}
