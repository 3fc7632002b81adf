package org.explain4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.explain4j.exceptions.InvalidInputException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.explain4j.input.InputBatch;
import org.explain4j.testkit.TestModels;

/** Many inputs: automatic batching, order, progress, cancellation, bad items, many threads. */
class BatchTest {
  @TempDir static Path tmp;
  static Explainer explainer;

  @BeforeAll
  static void build() {
    explainer = Explainer.builder().setModel(TestModels.cnn(tmp.resolve("cnn"), true)).build();
  }

  @AfterAll
  static void close() {
    explainer.close();
  }

  private static List<InputBatch> inputs() {
    List<InputBatch> inputs = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      inputs.add(TestInputs.images(1, 100 + i));
    }
    inputs.add(TestInputs.images(3, 200));
    return inputs;
  }

  @Test
  void resultsComeInInputOrderAndMatchSingleExplanations() {
    List<InputBatch> inputs = inputs();
    List<Long> progress = new ArrayList<>();
    List<ItemExplanation> results = explainer.explainAll(inputs,
        BatchOptions.builder().optBatchSize(4).optTargets(Targets.topK(2)).optProgress(progress::add).build()).toList();
    assertEquals(13, results.size());
    int k = 0;
    for (InputBatch in : inputs) {
      for (int item = 0; item < in.batchSize(); item++, k++) {
        ItemExplanation r = results.get(k);
        assertEquals(k, r.index());
        assertTrue(r.succeeded());
        List<TargetExplanation> alone = explainer.explain(in.item(item), Targets.topK(2)).forItem(0);
        assertEquals(2, r.targets().size());
        for (int t = 0; t < 2; t++) {
          assertEquals(alone.get(t).target(), r.targets().get(t).target());
          assertArrayEquals(alone.get(t).heatMap().values(), r.targets().get(t).heatMap().values(), 1e-5f);
        }
      }
    }
    assertEquals(List.of(4L, 8L, 12L, 13L), progress, "one call per batch of 4");
  }

  @Test
  void streamsOfInputsAreConsumedLazily() {
    java.util.concurrent.atomic.AtomicInteger generated = new java.util.concurrent.atomic.AtomicInteger();
    java.util.stream.Stream<InputBatch> endless = java.util.stream.Stream.generate(() -> TestInputs.images(1, generated.incrementAndGet()));
    List<ItemExplanation> first = explainer.explainAll(endless, BatchOptions.builder().optBatchSize(3).build()).limit(5).toList();
    assertEquals(5, first.size());
    assertEquals(6, generated.get(), "two batches of three were drawn from an endless stream, no more");
  }

  @Test
  void consumingLazilyAndCancelling() {
    AtomicBoolean cancel = new AtomicBoolean();
    List<ItemExplanation> results = explainer.explainAll(inputs(),
        BatchOptions.builder().optBatchSize(2).optProgress(done -> cancel.set(done >= 4)).optCancel(cancel).build()).toList();
    assertEquals(4, results.size(), "the run stops before the batch after the flag is set");
    // Taking three items runs only the batches needed for them.
    List<Long> progress = new ArrayList<>();
    assertEquals(3, explainer.explainAll(inputs(), BatchOptions.builder().optBatchSize(2).optProgress(progress::add).build())
        .limit(3).count());
    assertEquals(List.of(2L, 4L), progress);
  }

  @Test
  void badItemsEndTheRunOrAreSkipped() {
    List<InputBatch> inputs = inputs();
    float[] nan = new float[16 * 16 * 3];
    nan[17] = Float.NaN;
    inputs.add(2, InputBatch.ofFloats(nan, 1, 16, 16, 3));
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> explainer.explainAll(inputs, BatchOptions.builder().optBatchSize(4).build()).toList());
    assertTrue(e.getMessage().contains("item 2"), e.getMessage());
    List<ItemExplanation> results = explainer.explainAll(inputs, BatchOptions.builder().optBatchSize(4).optSkipBadItems(true).build()).toList();
    assertEquals(14, results.size());
    for (int i = 0; i < 14; i++) {
      assertEquals(i, results.get(i).index());
      assertEquals(i != 2, results.get(i).succeeded(), "item " + i);
    }
    assertTrue(results.get(2).failure().orElseThrow().contains("NaN"));
    assertFalse(results.get(3).targets().isEmpty(), "the items after the bad one are not lost");
  }

  @Test
  void aLongRunOfBadItemsStaysBoundedAndCancellable() {
    float[] nan = new float[16 * 16 * 3];
    nan[0] = Float.NaN;
    AtomicInteger drawn = new AtomicInteger();
    AtomicBoolean cancel = new AtomicBoolean();
    // An endless run of bad items: each batch of 4 reports 4 failures and returns, so the stream
    // yields them and sees the flag instead of buffering without bound.
    java.util.stream.Stream<InputBatch> bad = java.util.stream.Stream.generate(() -> {
      drawn.incrementAndGet();
      return InputBatch.ofFloats(nan, 1, 16, 16, 3);
    });
    List<ItemExplanation> first = explainer.explainAll(bad,
        BatchOptions.builder().optBatchSize(4).optSkipBadItems(true).optCancel(cancel).build()).limit(6).toList();
    assertEquals(6, first.size());
    assertTrue(first.stream().noneMatch(ItemExplanation::succeeded));
    assertEquals(8, drawn.get(), "two batches of four were drawn, no more");
    // Cancelling while a batch is being gathered stops drawing at once.
    AtomicInteger counted = new AtomicInteger();
    java.util.Iterator<InputBatch> cancelling = new java.util.Iterator<>() {
      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public InputBatch next() {
        if (counted.incrementAndGet() == 3) {
          cancel.set(true);
        }
        return InputBatch.ofFloats(nan, 1, 16, 16, 3);
      }
    };
    List<ItemExplanation> stopped = explainer.explainAll(() -> cancelling,
        BatchOptions.builder().optBatchSize(100).optSkipBadItems(true).optCancel(cancel).build()).toList();
    assertEquals(3, counted.get(), "no item is drawn after the flag is set");
    assertEquals(3, stopped.size(), "what was drawn is still reported");
  }

  @Test
  void anItemTheModelTurnsIntoNaNFailsAloneWhenSkipping() {
    // A finite pixel below -10 is NaN after the model's log(x + 10): the model, not the input, makes it.
    // The layer explained is that op (a ReLU above it would turn NaN into 0 on some CPUs).
    float[] belowMinusTen = new float[16 * 16 * 3];
    java.util.Arrays.fill(belowMinusTen, -20f);
    List<InputBatch> inputs = new ArrayList<>(List.of(TestInputs.images(1, 71), InputBatch.ofFloats(belowMinusTen, 1, 16, 16, 3),
        TestInputs.images(1, 72), TestInputs.images(1, 73)));
    try (Explainer logged = Explainer.builder().setModel(TestModels.cnnLogged(tmp.resolve("logged"))).optLayer("logged").build()) {
      assertThrows(org.explain4j.exceptions.NonFiniteMapException.class,
          () -> logged.explainAll(inputs, BatchOptions.builder().optBatchSize(4).build()).toList());
      List<ItemExplanation> results = logged.explainAll(inputs, BatchOptions.builder().optBatchSize(4).optSkipBadItems(true).build()).toList();
      assertEquals(4, results.size());
      assertFalse(results.get(1).succeeded());
      assertTrue(results.get(1).failure().orElseThrow().contains("the model produced NaN"), results.get(1).failure().orElseThrow());
      for (int i : new int[] {0, 2, 3}) {
        assertTrue(results.get(i).succeeded(), "item " + i);
        assertArrayEquals(logged.explain(inputs.get(i)).first(0).heatMap().values(),
            results.get(i).targets().get(0).heatMap().values(), 1e-6f, "item " + i + " as if explained alone");
      }
    }
  }

  @Test
  void defaultBatchSizeFollowsTheInputSize() {
    assertEquals(64, org.explain4j.internal.explain.Batcher.defaultBatchSize(TestInputs.images(1, 1)));
    assertEquals(32, org.explain4j.internal.explain.Batcher.defaultBatchSize(InputBatch.ofFloats(new float[224 * 224 * 3], 1, 224, 224, 3)));
    assertEquals(64, org.explain4j.internal.explain.Batcher.defaultBatchSize(InputBatch.ofFloats(new float[1], 1, 1)), "capped at 64");
    assertEquals(1, org.explain4j.internal.explain.Batcher.defaultBatchSize(InputBatch.ofFloats(new float[3 << 22], 1, 1 << 11, 1 << 11, 3)), "at least 1");
  }

  @Test
  void eightThreadsTimesTwoThousandExplanationsMatchSerialResults() throws Exception {
    int calls = 2000;
    List<InputBatch> inputs = new ArrayList<>();
    List<float[]> serial = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      inputs.add(TestInputs.images(1 + i % 3, 1000 + i));
      serial.add(explainer.explain(inputs.get(i), Targets.predicted()).first(0).heatMap().values());
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<float[]>> futures = new ArrayList<>();
      for (int i = 0; i < calls; i++) {
        InputBatch in = inputs.get(i % 50);
        futures.add(pool.submit(() -> explainer.explain(in, Targets.predicted()).first(0).heatMap().values()));
      }
      for (int i = 0; i < calls; i++) {
        assertArrayEquals(serial.get(i % 50), futures.get(i).get(), "call " + i);
      }
    } finally {
      pool.shutdown();
    }
  }
}
