package io.lbkit.vrrp.internal;

import io.lbkit.api.TimerService;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The far wake-ups of many {@link FsmTimer}s behind one scheduled task: a router's
 * instances share one. A backup re-arms its master-down timer on every advert; its
 * wake-up, when it finds the deadline moved and still far, parks here (on the
 * {@link FsmTimer#GRANULE_NANOS} grid) instead of scheduling a task of its own. One task
 * runs at the earliest parked instant and hands each timer whose instant has come back
 * to it, so 100 idle backups cost the executor one schedule per grid instant they share,
 * not one schedule (a task object, a queue insertion) per backup per master-down interval.
 *
 * <p>Parking, unparking and a wake-up's scan are O(1), O(1) and O(parked timers). Lock
 * order: a timer's lock, then this one's; the due timers are called without this lock.
 */
public final class FarWakeUps {
  private static final Logger LOG = LoggerFactory.getLogger(FarWakeUps.class);

  private final TimerService clock;
  private FsmTimer[] parked = new FsmTimer[8];
  private long[] at = new long[8];
  private int size;
  private TimerService.Cancellable task; // the scheduled wake-up, or null
  private Runnable wake;                 // its task (identity tells a stale one)
  private long wakeNanos;
  private boolean running;               // a wake-up is handing timers back: it schedules the next itself

  /** Far wake-ups on {@code clock}'s timers. */
  public FarWakeUps(TimerService clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Parks {@code t} until {@code when} (clock time); it must not be parked already. */
  synchronized void park(FsmTimer t, long when, long now) {
    if (size == parked.length) {
      parked = Arrays.copyOf(parked, size * 2);
      at = Arrays.copyOf(at, size * 2);
    }
    t.slot = size;
    parked[size] = t;
    at[size++] = when;
    if (!running && (task == null || when < wakeNanos)) {
      schedule(when, now);
    }
  }

  /** Takes {@code t} off (a cancel, an earlier arm); nothing if it is not parked. */
  synchronized void unpark(FsmTimer t) {
    int i = t.slot;
    if (i < 0 || i >= size || parked[i] != t) {
      return;
    }
    remove(i);
  }

  /** How many timers are parked (for tests). */
  synchronized int parkedCount() {
    return size;
  }

  private void remove(int i) {
    FsmTimer t = parked[i];
    t.slot = -1;
    int last = --size;
    if (i != last) {
      parked[i] = parked[last];
      at[i] = at[last];
      parked[i].slot = i;
    }
    parked[last] = null;
  }

  private void schedule(long when, long now) {
    if (task != null) {
      task.cancel();
    }
    Runnable r = new Runnable() {
      @Override
      public void run() {
        woke(this);
      }
    };
    wake = r;
    wakeNanos = when;
    task = clock.schedule(Duration.ofNanos(Math.max(0, when - now)), r);
  }

  private void woke(Runnable self) {
    FsmTimer[] due;
    int n = 0;
    synchronized (this) {
      if (self != wake) {
        return;
      }
      task = null;
      wake = null;
      running = true;
      long now = clock.nanoTime();
      due = new FsmTimer[size];
      for (int i = size - 1; i >= 0; i--) {
        if (at[i] - now <= 0) {
          due[n++] = parked[i];
          remove(i);
        }
      }
    }
    try {
      for (int i = 0; i < n; i++) {
        try {
          due[i].parkedDue();
        } catch (RuntimeException e) { // one machine's failure must not leave the others parked for good
          LOG.warn("a VRRP timer's expiry failed", e);
        }
      }
    } finally {
      synchronized (this) {
        running = false;
        if (size > 0) {
          long min = at[0];
          for (int i = 1; i < size; i++) {
            if (at[i] - min < 0) {
              min = at[i];
            }
          }
          schedule(min, clock.nanoTime());
        }
      }
    }
  }
}
