package org.explain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.explain4j.testkit.TestModels;

/** Many threads explaining on one explainer get exactly what serial calls get. */
class ConcurrencyTest {
  @TempDir Path tmp;

  @Test
  void eightThreadsMatchSerialResults() throws Exception {
    Path dir = TestModels.cnn(tmp.resolve("cnn"), true);
    int calls = 64;
    try (Explainer explainer = Explainer.builder().setModel(dir).build()) {
      List<Explanation> serial = new ArrayList<>();
      for (int i = 0; i < calls; i++) {
        serial.add(explainer.explain(TestInputs.images(1 + i % 4, i), Targets.topK(1 + i % 2)));
      }
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<Explanation>> parallel = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
          int n = i;
          parallel.add(pool.submit(() -> explainer.explain(TestInputs.images(1 + n % 4, n), Targets.topK(1 + n % 2))));
        }
        for (int i = 0; i < calls; i++) {
          Explanation a = serial.get(i);
          Explanation b = parallel.get(i).get();
          assertEquals(a.targets().size(), b.targets().size());
          for (int t = 0; t < a.targets().size(); t++) {
            assertEquals(a.targets().get(t).target(), b.targets().get(t).target());
            assertEquals(a.targets().get(t).heatMap(), b.targets().get(t).heatMap(), "call " + i + " target " + t);
          }
        }
      } finally {
        pool.shutdown();
      }
    }
  }
}
