package io.lbkit.vrrp.internal;

import io.lbkit.api.TimerService;
import java.time.Duration;
import java.util.function.IntConsumer;

/**
 * A state machine's one timer, used under the machine's lock: every arm replaces the
 * armed deadline, and a generation number makes a callback that lost the race with a
 * cancel or a re-arm harmless. Knows its deadline, so the callback can tell how late it ran.
 *
 * <p>Re-arming to a later deadline does not touch the executor: the wake-up already
 * scheduled stays, and when it runs before the (moved) deadline it schedules itself
 * again for the rest. A backup re-arms its master-down timer on every advert it hears;
 * this way an advert costs a clock reading instead of a cancel and a schedule, and the
 * timer thread wakes about once per master-down interval instead of once per advert
 * (or, with an executor that keeps cancelled tasks queued, once per stale task).
 *
 * <p>Such a re-scheduled wake-up, when its target is more than two {@link #GRANULE_NANOS}
 * away, is put on the granule boundary before it ({@link #coalesced}): never later than the
 * target, and many instances' wake-ups share one instant, so the executor's thread wakes
 * once for a group of them (at most once per granule, however the adverts are spread)
 * instead of once per instance. When the deadline did not move (no advert since), that
 * early wake-up schedules the exact one: one more task, only on the way to an expiry.
 * Such far wake-ups do not schedule a task each: they park in the {@link FarWakeUps} the
 * timer shares with the other machines of its router, whose one task wakes them.
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
  /** The grid a far re-scheduled wake-up is moved back onto, on the clock's scale. */
  static final long GRANULE_NANOS = 128_000_000;

  private final TimerService clock;
  private final FarWakeUps far;
  /** The timer's place in {@link #far} while parked there, else -1: guarded by {@link #far}'s lock. */
  int slot = -1;
  private boolean parked;                 // the wake-up is parked in far
  private TimerService.Cancellable timer; // the scheduled wake-up, or null
  private Runnable wake;                  // its task (identity tells a stale one)
  private long wakeNanos;                 // when it runs, on the clock's scale
  private long deadlineNanos;
  private boolean precise;
  private IntConsumer expired;
  private Runnable warmUp;
  private volatile int generation;

  FsmTimer(TimerService clock) {
    this(clock, new FarWakeUps(clock));
  }

  /** A timer whose far wake-ups share {@code far}'s task (on the same clock). */
  FsmTimer(TimerService clock, FarWakeUps far) {
    this.clock = clock;
    this.far = far;
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
    generation++;
    long now = clock.nanoTime();
    long deadline = Math.min(startNanos, now) + micros * 1000;
    deadlineNanos = deadline;
    this.expired = expired;
    this.warmUp = warmUp;
    precise = warmUp != null && deadline - now > 2 * LEAD_NANOS;
    long at = wakeAt();
    if ((timer != null || parked) && wakeNanos <= at) {
      return; // the scheduled wake-up comes first and re-schedules itself for the rest
    }
    unschedule();
    schedule(at, now);
  }

  private long wakeAt() {
    return precise ? deadlineNanos - LEAD_NANOS : deadlineNanos;
  }

  /**
   * {@code at}, or the granule boundary before it when that is still more than a granule
   * after {@code now}: never later than {@code at}.
   */
  static long coalesced(long at, long now) {
    if (at - now <= 2 * GRANULE_NANOS) {
      return at;
    }
    return at - Math.floorMod(at, GRANULE_NANOS);
  }

  private void schedule(long at, long now) {
    Runnable task = new Runnable() {
      @Override
      public void run() {
        woke(this);
      }
    };
    wake = task;
    wakeNanos = at;
    timer = clock.schedule(Duration.ofNanos(Math.max(0, at - now)), task);
  }

  private void unschedule() {
    if (timer != null) {
      timer.cancel();
      timer = null;
      wake = null;
    }
    if (parked) {
      parked = false;
      far.unpark(this);
    }
  }

  /** The parked wake-up's time came ({@link FarWakeUps} took it off): see {@link #due}. */
  void parkedDue() {
    woke(null);
  }

  /** A wake-up ran, {@code task} or (null) the parked one: expires if its time came, else waits again. */
  private void woke(Runnable task) {
    int gen;
    long deadline;
    IntConsumer callback;
    Runnable before;
    synchronized (this) {
      if (task == null ? !parked : task != wake) {
        return; // cancelled or replaced
      }
      if (task == null) {
        parked = false;
      } else {
        timer = null;
        wake = null;
      }
      if (!due()) {
        return;
      }
      gen = generation;
      deadline = deadlineNanos;
      callback = expired;
      before = precise ? warmUp : null;
    }
    if (before != null) {
      before.run();
      if (!spinTo(deadline, gen)) {
        return;
      }
    }
    callback.accept(gen);
  }

  /**
   * Under the lock, with no wake-up pending: true when the wake time has come; else waits
   * again for the moved deadline (a far one parked on the grid, a near one exactly).
   */
  private boolean due() {
    long now = clock.nanoTime();
    long at = wakeAt();
    if (now - at >= 0) {
      return true;
    }
    if (at - now > 2 * GRANULE_NANOS) {
      long when = coalesced(at, now);
      parked = true;
      wakeNanos = when;
      far.park(this, when, now);
    } else {
      schedule(at, now);
    }
    return false;
  }

  /**
   * Spins until the clock reaches {@code deadline}: true when it did; false if the timer
   * was re-armed or cancelled meanwhile, or if the clock does not move on its own (then
   * the rest is scheduled as an ordinary timer).
   */
  private boolean spinTo(long deadline, int gen) {
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
          if (gen == generation && timer == null && !parked) {
            precise = false;
            schedule(deadline, t);
          }
        }
        return false;
      }
    }
    return true;
  }

  synchronized void cancel() {
    generation++;
    unschedule();
  }

  /** True (and the timer is spent) if the callback of this generation is the armed one. */
  synchronized boolean fire(int gen) {
    if (gen != generation) {
      return false;
    }
    unschedule();
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
