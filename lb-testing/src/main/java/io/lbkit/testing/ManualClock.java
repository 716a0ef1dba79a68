package io.lbkit.testing;

import io.lbkit.api.TimerService;
import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;

/**
 * A {@link TimerService} whose time moves only when a test says so. Tasks scheduled
 * on it run, in due order, inside {@link #advance}; a task that schedules another
 * task within the advanced window sees it run in the same call.
 *
 * <pre>{@code
 * ManualClock clock = new ManualClock();
 * InMemoryVrrpNetwork network = new InMemoryVrrpNetwork(clock, Duration.ZERO);   // lb-vrrp's
 * VrrpRouter router = VrrpRouter.builder(network.host(Inet.parse("10.0.0.1")), addresses, clock)
 *     .instance(spec).build();
 * router.start();
 * clock.advance(Duration.ofMillis(3610));   // past the master-down interval at priority 100 (3609.375 ms)
 * }</pre>
 *
 * <p>(Compiled and run by the examples module's {@code JavadocExamplesTest}: the router is
 * MASTER after the advance.)
 *
 * <p>Not thread-safe: drive it from the test thread.
 */
public final class ManualClock implements TimerService {
  private static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

  private final PriorityQueue<Task> queue = new PriorityQueue<>();
  private long nanos;
  private long seq;
  private int ran;

  /** A clock at 2026-01-01T00:00:00Z, monotonic time 0. */
  public ManualClock() {}

  @Override
  public long nanoTime() {
    return nanos;
  }

  @Override
  public Instant now() {
    return EPOCH.plusNanos(nanos);
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    Task t = new Task(nanos + Math.max(0, delay.toNanos()), seq++, task);
    queue.add(t);
    return () -> t.cancelled = true;
  }

  /** Moves time forward, running every task that falls due, in order of due time. */
  public void advance(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("time cannot go back: " + d);
    }
    long end = nanos + d.toNanos();
    while (!queue.isEmpty() && queue.peek().due <= end) {
      Task t = queue.poll();
      nanos = Math.max(nanos, t.due);
      if (!t.cancelled) {
        ran++;
        t.task.run();
      }
    }
    nanos = end;
  }

  /** Moves time forward in milliseconds. */
  public void advanceMillis(long ms) {
    advance(Duration.ofMillis(ms));
  }

  /** Runs tasks due now without moving time. */
  public void runDue() {
    advance(Duration.ZERO);
  }

  /** How many tasks are scheduled and not cancelled. */
  public int pending() {
    int n = 0;
    for (Task t : queue) {
      if (!t.cancelled) {
        n++;
      }
    }
    return n;
  }

  /** How many tasks have run so far. */
  public int tasksRun() {
    return ran;
  }

  /** Time until the next pending task, or null if none. */
  public Duration nextDue() {
    return queue.stream().filter(t -> !t.cancelled).mapToLong(t -> t.due).min()
        .stream().mapToObj(due -> Duration.ofNanos(due - nanos)).findFirst().orElse(null);
  }

  private static final class Task implements Comparable<Task> {
    final long due;
    final long seq;
    final Runnable task;
    boolean cancelled;

    Task(long due, long seq, Runnable task) {
      this.due = due;
      this.seq = seq;
      this.task = task;
    }

    @Override
    public int compareTo(Task o) {
      return due != o.due ? Long.compare(due, o.due) : Long.compare(seq, o.seq);
    }
  }
}
