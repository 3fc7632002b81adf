package org.explain4j.internal.explain;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.explain4j.exceptions.InvalidInputException;
import org.explain4j.exceptions.NonFiniteMapException;
import org.explain4j.input.InputBatch;

/**
 * Streams results over many inputs: items are gathered into batches of a bounded size, each batch
 * is handed to a function that returns one result per item, and results come back lazily in input
 * order. Items with NaN or infinite values, or that the model turns into NaN, stop the stream, or
 * are reported as failed.
 */
public final class Batcher {
  /** About this many values per batch when no batch size is given. */
  private static final long DEFAULT_VALUES = 8L << 20;
  private static final int MAX_DEFAULT_BATCH = 64;

  private Batcher() {}

  /**
   * How to batch: {@code batchSize} items per batch (0 chooses one from the input size), whether
   * items with NaN or infinite values are reported as failed instead of ending the stream, a
   * progress callback given the number of items done, and a flag that stops the stream.
   */
  public record Settings(int batchSize, boolean skipBadItems, LongConsumer progress, AtomicBoolean cancel) {}

  /** The result of one input item: its position in the whole input, and its value or why it failed. */
  public record Result<R>(long index, R value, Optional<String> failure) {}

  /** About 8 million values per batch, a power of two between 1 and 64 items. */
  public static int defaultBatchSize(InputBatch sample) {
    long itemSize = Math.max(1, sample.itemSize());
    long items = Math.max(1, DEFAULT_VALUES / itemSize);
    return (int) Math.min(MAX_DEFAULT_BATCH, Long.highestOneBit(items));
  }

  /**
   * The results of {@code explain} over {@code inputs}, whose elements may hold one item or
   * several; {@code explain} gets one batch of items and returns one result per item, in order.
   */
  public static <R> Stream<Result<R>> stream(Iterator<InputBatch> inputs, Settings settings, Function<InputBatch, List<R>> explain) {
    Iterator<Result<R>> results = new Run<>(inputs, settings, explain);
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(results, Spliterator.ORDERED | Spliterator.NONNULL), false);
  }

  private static final class Run<R> implements Iterator<Result<R>> {
    private final Iterator<InputBatch> source;
    private final Settings settings;
    private final Function<InputBatch, List<R>> explain;
    private final ArrayDeque<Result<R>> ready = new ArrayDeque<>();
    private InputBatch pending;
    private int pendingNext;
    private long index;

    Run(Iterator<InputBatch> source, Settings settings, Function<InputBatch, List<R>> explain) {
      this.source = source;
      this.settings = settings;
      this.explain = explain;
    }

    @Override
    public boolean hasNext() {
      while (ready.isEmpty() && !settings.cancel().get() && (pending != null || source.hasNext())) {
        runBatch();
      }
      return !ready.isEmpty();
    }

    @Override
    public Result<R> next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return ready.poll();
    }

    /** Gathers up to one batch of items (failed ones count too, so the buffer stays bounded) and explains the good ones. */
    private void runBatch() {
      List<InputBatch> good = new ArrayList<>();
      List<Long> goodIndex = new ArrayList<>();
      List<Result<R>> gathered = new ArrayList<>();
      int limit = 0;
      // The limit is checked first: asking the source whether it has more may draw an item.
      while ((limit == 0 || gathered.size() + good.size() < limit) && !settings.cancel().get() && (pending != null || source.hasNext())) {
        if (pending == null) {
          pending = source.next();
          pendingNext = 0;
        }
        if (limit == 0) {
          limit = settings.batchSize() > 0 ? settings.batchSize() : defaultBatchSize(pending);
        }
        InputBatch item = pending.batchSize() == 1 ? pending : pending.item(pendingNext);
        if (++pendingNext >= pending.batchSize()) {
          pending = null;
        }
        long at = index++;
        long bad = item.firstNonFinite();
        if (bad >= 0) {
          String failure = "item " + at + " holds a NaN or infinite value (at flat index " + bad + " of the item)";
          if (!settings.skipBadItems()) {
            throw new InvalidInputException("Input " + failure + ": expected finite numbers (or skip bad items)");
          }
          gathered.add(new Result<>(at, null, Optional.of(failure)));
          continue;
        }
        good.add(item);
        goodIndex.add(at);
      }
      // An item whose values the model turns into NaN fails alone when bad items are skipped: the
      // rest of its batch runs again without it (each retry drops one item, so this ends).
      while (!good.isEmpty()) {
        try {
          List<R> values = explain.apply(InputBatch.concat(good));
          for (int i = 0; i < good.size(); i++) {
            gathered.add(new Result<>(goodIndex.get(i), values.get(i), Optional.empty()));
          }
          break;
        } catch (NonFiniteMapException e) {
          if (!settings.skipBadItems() || e.item() < 0 || e.item() >= good.size()) {
            throw e;
          }
          gathered.add(new Result<>(goodIndex.get(e.item()), null, Optional.of("item " + goodIndex.get(e.item())
              + ": the model produced NaN or infinite activations or gradients for it")));
          good.remove(e.item());
          goodIndex.remove(e.item());
        }
      }
      // Failed items were gathered as they came; keep input order by sorting on the index.
      gathered.sort(Comparator.comparingLong(Result::index));
      ready.addAll(gathered);
      settings.progress().accept(index);
    }
  }
}
