package io.lbkit.api;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Injected time: a monotonic clock, the wall clock and one-shot timers. Production
 * code uses {@link #system}; tests use lb-testing's {@code ManualClock} and advance
 * it instead of sleeping.
 */
public interface TimerService {

  /** A scheduled task that can be cancelled. */
  interface Cancellable {
    /** Cancels the task if it has not run; idempotent. */
    void cancel();
  }

  /** Monotonic nanoseconds (only differences mean anything). */
  long nanoTime();

  /** Wall-clock time, for logs and state views. */
  Instant now();

  /** Runs {@code task} once after {@code delay}. */
  Cancellable schedule(Duration delay, Runnable task);

  /** Real time on a scheduled executor (which the caller owns and shuts down). */
  static TimerService system(ScheduledExecutorService executor) {
    return new TimerService() {
      @Override
      public long nanoTime() {
        return System.nanoTime();
      }

      @Override
      public Instant now() {
        return Instant.now();
      }

      @Override
      public Cancellable schedule(Duration delay, Runnable task) {
        ScheduledFuture<?> f = executor.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
      }
    };
  }
}
