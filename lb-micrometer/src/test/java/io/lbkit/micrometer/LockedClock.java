package io.lbkit.micrometer;

import io.lbkit.api.TimerService;
import io.lbkit.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;

/**
 * A {@link ManualClock} other threads may schedule on while the test advances it (the
 * runtime's vrrp_script threads schedule their next run when a process ends): every
 * call holds one lock; tasks run on the advancing thread, under it.
 */
final class LockedClock implements TimerService {
  private final ManualClock clock = new ManualClock();

  @Override
  public synchronized long nanoTime() {
    return clock.nanoTime();
  }

  @Override
  public synchronized Instant now() {
    return clock.now();
  }

  @Override
  public synchronized Cancellable schedule(Duration delay, Runnable task) {
    Cancellable c = clock.schedule(delay, task);
    return () -> {
      synchronized (this) {
        c.cancel();
      }
    };
  }

  /** Moves time forward, running the tasks that fall due. */
  synchronized void advance(Duration d) {
    clock.advance(d);
  }
}
