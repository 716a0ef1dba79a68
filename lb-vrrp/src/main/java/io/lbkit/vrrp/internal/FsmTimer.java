package io.lbkit.vrrp.internal;

import io.lbkit.api.TimerService;
import java.time.Duration;
import java.util.function.IntConsumer;

/**
 * A state machine's one timer, used under the machine's lock: every arm replaces the
 * armed timer, and a generation number makes a callback that lost the race with a
 * cancel or a re-arm harmless. Knows its deadline, so the callback can tell how late it ran.
 */
final class FsmTimer {
  private final TimerService clock;
  private TimerService.Cancellable timer;
  private long deadlineNanos;
  private int generation;

  FsmTimer(TimerService clock) {
    this.clock = clock;
  }

  /** Arms for {@code micros}; at expiry {@code expired} gets the generation to pass to {@link #fire}. */
  void arm(long micros, IntConsumer expired) {
    cancel();
    int gen = ++generation;
    deadlineNanos = clock.nanoTime() + micros * 1000;
    timer = clock.schedule(Duration.ofNanos(micros * 1000), () -> expired.accept(gen));
  }

  void cancel() {
    generation++;
    if (timer != null) {
      timer.cancel();
      timer = null;
    }
  }

  /** True (and the timer is spent) if the callback of this generation is the armed one. */
  boolean fire(int gen) {
    if (gen != generation) {
      return false;
    }
    timer = null;
    return true;
  }

  /** Microseconds past the deadline now. */
  long lateMicros() {
    return (clock.nanoTime() - deadlineNanos) / 1000;
  }
}
