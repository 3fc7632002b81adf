package org.explain4j.service;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.explain4j.Targets;
import org.explain4j.input.InputBatch;

/**
 * Merges concurrent requests with the same {@link BatchKey} into one run, as TF Serving's batching
 * does: a worker takes the oldest request, waits up to the batch timeout for company with the same
 * key until the batch holds {@code maxBatchSize} items, runs the merged batch, and hands each
 * request its items. The queue is bounded (a full one refuses at once) and a request whose
 * deadline passes while it waits is answered, not run.
 */
final class MicroBatcher implements AutoCloseable {
  /** How batches are formed; {@code maxBatchSize} 1 turns merging off. */
  record Settings(int maxBatchSize, long timeoutNanos, int maxQueue, int threads) {}

  /** One request waiting for its run. */
  record Job(BatchKey key, InputBatch input, TargetChoice targets, long deadlineNanos, CompletableFuture<Outcome> result) {
    int items() {
      return input.batchSize();
    }
  }

  /** Runs a merged batch. */
  interface Runner {
    Outcome run(BatchKey key, InputBatch merged, Targets targets);
  }

  /** What the batcher reports as it works. */
  interface Listener {
    void batchRan(int items, int requests);
  }

  private final Settings settings;
  private final Runner runner;
  private final Listener listener;
  private final ArrayDeque<Job> queue = new ArrayDeque<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition arrived = lock.newCondition();
  private final List<Thread> workers = new ArrayList<>();
  /** Jobs a worker has taken from the queue (gathering company, or running) and not yet answered. */
  private final java.util.Set<Job> taken = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private boolean closed;
  private final java.util.concurrent.atomic.AtomicInteger unanswered = new java.util.concurrent.atomic.AtomicInteger();

  MicroBatcher(Settings settings, Runner runner, Listener listener) {
    this.settings = settings;
    this.runner = runner;
    this.listener = listener;
    for (int i = 0; i < settings.threads(); i++) {
      Thread t = new Thread(this::work, "explain4j-batch-" + i);
      t.setDaemon(true);
      t.start();
      workers.add(t);
    }
  }

  /** Queues a request; a full queue or a closed batcher answers 503 at once. */
  CompletableFuture<Outcome> submit(BatchKey key, InputBatch input, TargetChoice targets, long deadlineNanos) {
    Job job = new Job(key, input, targets, deadlineNanos, new CompletableFuture<>());
    lock.lock();
    try {
      if (closed) {
        throw new HttpProblem(503, "The service is shutting down", 1);
      }
      if (queue.size() >= settings.maxQueue()) {
        throw new HttpProblem(503, "The queue is full (" + settings.maxQueue() + " requests waiting); retry later", 1);
      }
      queue.addLast(job);
      unanswered.incrementAndGet();
      job.result().whenComplete((r, e) -> unanswered.decrementAndGet());
      arrived.signalAll();
    } finally {
      lock.unlock();
    }
    return job.result();
  }

  /** Requests submitted and not yet answered: queued, gathering company, or running. */
  int unanswered() {
    return unanswered.get();
  }

  /** Requests waiting for a run. */
  int depth() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  private void work() {
    while (true) {
      List<Job> batch;
      try {
        batch = nextBatch();
      } catch (InterruptedException e) {
        return;
      }
      if (batch == null) {
        return;
      }
      run(batch);
    }
  }

  /** The next batch to run, or null once closed and drained. */
  private List<Job> nextBatch() throws InterruptedException {
    lock.lock();
    try {
      Job first;
      while (true) {
        while (queue.isEmpty()) {
          if (closed) {
            return null;
          }
          arrived.await();
        }
        first = queue.pollFirst();
        if (System.nanoTime() - first.deadlineNanos() < 0) {
          break;
        }
        first.result().completeExceptionally(new HttpProblem(503, "The request waited in the queue past its deadline", 1));
      }
      taken.add(first);
      List<Job> batch = new ArrayList<>(List.of(first));
      int items = first.items();
      int limit = Math.min(settings.maxBatchSize(), first.key().maxItems());
      long until = System.nanoTime() + settings.timeoutNanos();
      while (items < limit) {
        items += takeCompany(first.key(), items, limit, batch);
        long left = until - System.nanoTime();
        if (items >= limit || left <= 0 || closed) {
          break;
        }
        arrived.awaitNanos(left);
      }
      return batch;
    } finally {
      lock.unlock();
    }
  }

  /** Moves queued jobs with this key that still fit into the batch; returns the items added. */
  private int takeCompany(BatchKey key, int items, int limit, List<Job> batch) {
    int added = 0;
    for (Iterator<Job> it = queue.iterator(); it.hasNext(); ) {
      Job j = it.next();
      if (j.key().equals(key) && items + added + j.items() <= limit) {
        it.remove();
        taken.add(j);
        batch.add(j);
        added += j.items();
      }
    }
    return added;
  }

  private void run(List<Job> batch) {
    try {
      batch.removeIf(j -> j.result().isDone()); // answered already (a shutdown out of time): nothing to run for them
      if (batch.isEmpty()) {
        return;
      }
      InputBatch merged = batch.size() == 1 ? batch.get(0).input() : InputBatch.concat(batch.stream().map(Job::input).toList());
      Targets targets = TargetChoice.merged(batch.stream().map(Job::targets).toList());
      Outcome outcome = runner.run(batch.get(0).key(), merged, targets);
      listener.batchRan(merged.batchSize(), batch.size());
      int from = 0;
      for (Job j : batch) {
        j.result().complete(outcome.items(from, from + j.items()));
        from += j.items();
      }
    } catch (RuntimeException | Error e) {
      // One failure answers every request of the batch; the worker goes on with the next.
      batch.forEach(j -> j.result().completeExceptionally(e));
    } finally {
      batch.forEach(taken::remove);
    }
  }

  /**
   * Answers every request still waiting or running with {@code problem}, now: a shutdown out of
   * time. A running batch goes on (a session run cannot be stopped) but its result is dropped.
   */
  void abandon(HttpProblem problem) {
    lock.lock();
    try {
      queue.forEach(j -> j.result().completeExceptionally(problem));
      queue.clear();
    } finally {
      lock.unlock();
    }
    taken.forEach(j -> j.result().completeExceptionally(problem));
  }

  /** Stops taking requests; the workers finish what is queued, then end. */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      arrived.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Waits for the workers to finish the queue; false when the time ran out. */
  boolean awaitIdle(long timeout, TimeUnit unit) throws InterruptedException {
    long until = System.nanoTime() + unit.toNanos(timeout);
    for (Thread t : workers) {
      long left = until - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedJoin(t, left);
      if (t.isAlive()) {
        return false;
      }
    }
    return true;
  }
}
