package org.explain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.explain4j.testkit.TestData;
import org.junit.jupiter.api.Test;

/**
 * The README's Java snippet is what the outside project in {@code it/} compiles and runs: the
 * lines between its markers, imports then body, equal the README's first Java block to the letter.
 */
class ReadmeSnippetTest {
  @Test
  void theOutsideProjectCompilesTheReadmeSnippetVerbatim() throws IOException {
    Path root = TestData.root().getParent();
    List<String> readme = Files.readAllLines(root.resolve("README.md"), StandardCharsets.UTF_8);
    int start = readme.indexOf("```java") + 1;
    List<String> snippet = new ArrayList<>(readme.subList(start, readme.subList(start, readme.size()).indexOf("```") + start));
    List<String> source = Files.readAllLines(root.resolve("it/src/it/readme-snippet/src/main/java/example/ReadmeSnippet.java"),
        StandardCharsets.UTF_8);
    List<String> embedded = new ArrayList<>(between(source, "// --- README imports ---"));
    embedded.add("");
    embedded.addAll(between(source, "// --- README body ---"));
    assertEquals(String.join("\n", snippet), String.join("\n", embedded));
  }

  private static List<String> between(List<String> lines, String marker) {
    int from = lines.indexOf(marker) + 1;
    int to = lines.subList(from, lines.size()).indexOf("// --- end ---") + from;
    return lines.subList(from, to);
  }
}
