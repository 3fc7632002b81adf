package org.explain4j;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;

/**
 * How {@link Explainer#explainAll} batches and reports: the batch size (0 chooses one from the
 * input size), the targets, whether items with NaN or infinite values are skipped (reported as
 * failed) rather than ending the run, a progress callback given the number of items done, and a
 * flag that cancels the run. Immutable; build with {@link #builder()}.
 */
public record BatchOptions(int batchSize, Targets targets, boolean skipBadItems, LongConsumer progress, AtomicBoolean cancel) {

  public static Builder builder() {
    return new Builder();
  }

  /** Configures {@link BatchOptions}; every setting is optional. */
  public static final class Builder {
    private int batchSize;
    private Targets targets;
    private boolean skipBadItems;
    private LongConsumer progress = done -> { };
    private AtomicBoolean cancel = new AtomicBoolean();

    /** Items per session run; by default chosen from the input size (at most 64). */
    public Builder optBatchSize(int batchSize) {
      if (batchSize < 1) {
        throw new IllegalArgumentException("The batch size must be at least 1, got " + batchSize);
      }
      this.batchSize = batchSize;
      return this;
    }

    /** Targets for every item (per-item lists are not available here); by default the explain options' (the predicted class). */
    public Builder optTargets(Targets targets) {
      this.targets = targets;
      return this;
    }

    /** Report items holding NaN or infinite values as failed and go on, instead of throwing. */
    public Builder optSkipBadItems(boolean skip) {
      this.skipBadItems = skip;
      return this;
    }

    /** Called after each batch with the number of items done so far. */
    public Builder optProgress(LongConsumer progress) {
      this.progress = progress;
      return this;
    }

    /** Setting this flag stops the run before its next batch. */
    public Builder optCancel(AtomicBoolean cancel) {
      this.cancel = cancel;
      return this;
    }

    public BatchOptions build() {
      return new BatchOptions(batchSize, targets, skipBadItems, progress, cancel);
    }
  }
}
