package io.lbkit.cli;

import io.lbkit.api.LoadBalancerSpec;
import io.lbkit.api.TimerService;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * lbctl run's reloads (SIGHUP): one at a time, each with a deadline, and never one
 * applied after a newer one.
 *
 * <p>A reload reads the file on a thread of its own, then applies it. A request while
 * one runs waits for it (any number of such requests make one more reload, which reads
 * the file as it is then). A reload not done within {@link #DEADLINE} (a file that
 * blocks, a slow file system) is abandoned: it is said so, the next requested reload may
 * start, and the abandoned one, if it ever finishes reading, is dropped with a message
 * instead of rolling the newer configuration back. Applying itself (kernel changes,
 * bounded by their own timeouts) is never abandoned half-way.
 */
final class Reloads {
  /** How long one reload may take before a newer one may run without it. */
  static final Duration DEADLINE = Duration.ofSeconds(30);

  /** Reads the configuration; null if it cannot be applied (the loader said why). */
  interface Loader {
    LoadBalancerSpec load();
  }

  /** Applies a configuration that was read. */
  interface Applier {
    void apply(LoadBalancerSpec spec) throws IOException;
  }

  /** One reload: its number and how far it got. */
  private static final class Attempt {
    final long number;
    TimerService.Cancellable timer;
    boolean applying;
    boolean abandoned;

    Attempt(long number) {
      this.number = number;
    }
  }

  private final Loader loader;
  private final Applier applier;
  private final TimerService timers;
  private final Duration deadline;
  private final PrintStream out;
  private final PrintStream err;
  private final List<Thread> threads = new ArrayList<>();
  private long started;
  private Attempt running;
  private boolean pending;

  Reloads(Loader loader, Applier applier, TimerService timers, Duration deadline, PrintStream out, PrintStream err) {
    this.loader = Objects.requireNonNull(loader, "loader");
    this.applier = Objects.requireNonNull(applier, "applier");
    this.timers = Objects.requireNonNull(timers, "timers");
    this.deadline = Objects.requireNonNull(deadline, "deadline");
    this.out = Objects.requireNonNull(out, "out");
    this.err = Objects.requireNonNull(err, "err");
  }

  /** Asks for a reload: it starts now, or after the one running. Never blocks. */
  synchronized void request() {
    if (running != null) {
      if (!pending) {
        out.println(timers.now() + " reload requested while reload #" + running.number + " runs: it follows");
      }
      pending = true;
      return;
    }
    start();
  }

  private void start() {
    Attempt a = new Attempt(++started);
    running = a;
    a.timer = timers.schedule(deadline, () -> expire(a));
    Thread t = new Thread(() -> run(a), "lbctl-reload-" + a.number);
    t.setDaemon(true);
    threads.removeIf(x -> !x.isAlive());
    threads.add(t);
    t.start();
  }

  private void run(Attempt a) {
    try {
      LoadBalancerSpec next;
      try {
        next = loader.load();
      } catch (RuntimeException e) {
        err.println("lbctl run: reload #" + a.number + " failed: " + Text.safe(String.valueOf(e.getMessage())));
        next = null;
      }
      synchronized (this) {
        if (a.abandoned) {
          err.println("lbctl run: reload #" + a.number + ": dropped, not applied: it took longer than "
              + deadline.toSeconds() + " s and reload #" + started + " came after it");
          return;
        }
        if (next == null) {
          return;
        }
        a.applying = true;
      }
      try {
        applier.apply(next); // outside the lock: a request meanwhile must not wait for the kernel
        out.println(timers.now() + " reload #" + a.number + " applied");
      } catch (IOException | RuntimeException e) {
        err.println("lbctl run: reload #" + a.number + " failed: " + Text.safe(String.valueOf(e.getMessage())));
      }
    } finally {
      finish(a);
    }
  }

  private synchronized void finish(Attempt a) {
    a.timer.cancel();
    if (running == a) {
      running = null;
      if (pending) {
        pending = false;
        start();
      }
    }
  }

  private synchronized void expire(Attempt a) {
    if (running != a || a.applying) {
      return; // done, or changing the kernel now: it finishes
    }
    a.abandoned = true;
    running = null;
    err.println("lbctl run: reload #" + a.number + ": not done within " + deadline.toSeconds() + " s (a file that "
        + "blocks?); abandoned, it will not be applied; still running the previous configuration");
    if (pending) {
      pending = false;
      start();
    }
  }

  /** Waits (at most {@code max}) until no reload thread runs; false if one still does. For tests and stopping. */
  boolean awaitQuiet(Duration max) throws InterruptedException {
    long end = System.nanoTime() + max.toNanos();
    while (true) {
      Thread t;
      synchronized (this) {
        t = threads.stream().filter(Thread::isAlive).findFirst().orElse(null);
      }
      if (t == null) {
        return true;
      }
      long left = end - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      t.join(Math.max(1, left / 1_000_000));
    }
  }
}
