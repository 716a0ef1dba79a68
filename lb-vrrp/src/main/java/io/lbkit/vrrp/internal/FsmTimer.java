package io.lbkit.vrrp.internal;

import io.lbkit.api.TimerService;
import java.time.Duration;
import java.util.function.IntConsumer;

/**
 * A state machine's one timer, used under the machine's lock: every arm replaces the
 * armed timer, and a generation number makes a callback that lost the race with a
 * cancel or a re-arm harmless. Knows its deadline, so the callback can tell how late it ran.
 *
 * <p>Precise arming ({@link #armFrom(long, long, IntConsumer, Runnable)}): a timer whose
 * lateness decides a failover (a backup's master-down and skew timers) wakes
 * {@link #LEAD_NANOS} early, runs a warm-up (without the machine's lock) and spins on the
 * clock to the deadline, so neither the executor's wake-up latency and the kernel's timer
 * slack nor cold caches on the first steps of the takeover delay it. It costs at most
 * the lead in CPU per expiry that is not cancelled before (the rare takeover), and holds
 * the timer thread for as long (a shared executor's other tasks wait up to the lead). A
 * clock that does not move on its own (a test's manual clock) is detected and waited on
 * as an ordinary timer for the rest.
 */
final class FsmTimer {
  /** How early a precise timer wakes to spin to its deadline. */
  static final long LEAD_NANOS = 1_000_000;
  /** Clock readings without progress after which the clock is taken as manual. */
  private static final int STUCK_READS = 1000;

  private final TimerService clock;
  private TimerService.Cancellable timer;
  private long deadlineNanos;
  private volatile int generation;

  FsmTimer(TimerService clock) {
    this.clock = clock;
  }

  /** Arms for {@code micros}; at expiry {@code expired} gets the generation to pass to {@link #fire}. */
  void arm(long micros, IntConsumer expired) {
    armFrom(clock.nanoTime(), micros, expired, null);
  }

  /**
   * Arms for {@code micros} after {@code startNanos} (the clock's time, not after now:
   * an advert's arrival); a deadline already past runs the callback at once. With a
   * {@code warmUp}, a timer longer than twice the lead is precise (see the class comment).
   */
  synchronized void armFrom(long startNanos, long micros, IntConsumer expired, Runnable warmUp) {
    cancel();
    int gen = ++generation;
    long now = clock.nanoTime();
    long deadline = Math.min(startNanos, now) + micros * 1000;
    deadlineNanos = deadline;
    long delay = Math.max(0, deadline - now);
    if (warmUp == null || delay <= 2 * LEAD_NANOS) {
      timer = clock.schedule(Duration.ofNanos(delay), () -> expired.accept(gen));
      return;
    }
    timer = clock.schedule(Duration.ofNanos(delay - LEAD_NANOS), () -> {
      if (gen != generation) {
        return;
      }
      warmUp.run();
      if (spinTo(deadline, gen, expired)) {
        expired.accept(gen);
      }
    });
  }

  /**
   * Spins until the clock reaches {@code deadline}: true when it did; false if the timer
   * was re-armed or cancelled meanwhile, or if the clock does not move on its own (then
   * the rest is scheduled as an ordinary timer).
   */
  private boolean spinTo(long deadline, int gen, IntConsumer expired) {
    long last = clock.nanoTime();
    int still = 0;
    while (last < deadline) {
      if (gen != generation) {
        return false;
      }
      Thread.onSpinWait();
      long t = clock.nanoTime();
      if (t != last) {
        last = t;
        still = 0;
      } else if (++still > STUCK_READS) {
        synchronized (this) {
          if (gen == generation) {
            timer = clock.schedule(Duration.ofNanos(deadline - t), () -> expired.accept(gen));
          }
        }
        return false;
      }
    }
    return true;
  }

  synchronized void cancel() {
    generation++;
    if (timer != null) {
      timer.cancel();
      timer = null;
    }
  }

  /** True (and the timer is spent) if the callback of this generation is the armed one. */
  synchronized boolean fire(int gen) {
    if (gen != generation) {
      return false;
    }
    timer = null;
    return true;
  }

  synchronized long deadlineNanos() {
    return deadlineNanos;
  }

  /** Microseconds past the deadline now. */
  synchronized long lateMicros() {
    return (clock.nanoTime() - deadlineNanos) / 1000;
  }
}
