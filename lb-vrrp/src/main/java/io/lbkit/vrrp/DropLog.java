package io.lbkit.vrrp;

import io.lbkit.api.TimerService;
import io.lbkit.vrrp.internal.DropReason;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dropped-advert counters of one instance (or of one interface, for adverts no
 * instance takes) and their rate-limited log: the first drop of each reason is logged
 * with its detail, later ones at most once a minute per reason as a summary line
 * (issue 16: a flood of bad packets must be visible without flooding the log).
 *
 * <p>Counting allocates nothing; a caller builds the detail sentence only when
 * {@link #count} says the drop is to be logged.
 */
final class DropLog {
  private static final Logger LOG = LoggerFactory.getLogger(DropLog.class);
  private static final DropReason[] REASONS = DropReason.values();
  private static final String[] KEYS = new String[REASONS.length];
  /** At most one summary line per reason in this time. */
  static final long WINDOW_NANOS = 60_000_000_000L;

  static {
    for (DropReason r : REASONS) {
      KEYS[r.ordinal()] = r.name().toLowerCase(Locale.ROOT);
    }
  }

  /** Where the lines go (the logger at WARN; tests collect them). */
  @FunctionalInterface
  interface Sink {
    void warn(String line);
  }

  /** The default sink: this class's logger at WARN. */
  static final Sink SLF4J = LOG::warn;

  private final String subject;
  private final TimerService clock;
  private final Sink sink;
  private final AtomicLongArray counts = new AtomicLongArray(REASONS.length);
  // guarded by this
  private final boolean[] seen = new boolean[REASONS.length];
  private final long[] windowStart = new long[REASONS.length];
  private final long[] suppressed = new long[REASONS.length];

  DropLog(String subject, TimerService clock, Sink sink) {
    this.subject = subject;
    this.clock = clock;
    this.sink = sink;
  }

  /** The counters' key for a reason: its lower-case name. */
  static String key(DropReason r) {
    return KEYS[r.ordinal()];
  }

  /**
   * Counts one drop.
   *
   * @return true if the caller should now call {@link #log} with the drop's detail (the
   *     first of its reason, or the first after a minute)
   */
  boolean count(DropReason r) {
    int i = r.ordinal();
    counts.incrementAndGet(i);
    synchronized (this) {
      if (!seen[i] || clock.nanoTime() - windowStart[i] >= WINDOW_NANOS) {
        return true;
      }
      suppressed[i]++;
      return false;
    }
  }

  /** Counts one drop that is never logged (e.g. our own looped-back adverts). */
  void countQuietly(DropReason r) {
    counts.incrementAndGet(r.ordinal());
  }

  /** Logs a drop {@link #count} asked for: the first of its reason in full, later ones as a summary. */
  void log(DropReason r, String detail) {
    int i = r.ordinal();
    String line;
    synchronized (this) {
      long now = clock.nanoTime();
      if (!seen[i]) {
        seen[i] = true;
        line = subject + ": dropped an advert (" + KEYS[i] + "): " + detail + "; further drops of this kind are "
            + "counted as dropped_" + KEYS[i] + " and logged at most once a minute";
      } else {
        line = subject + ": " + (suppressed[i] + 1) + " adverts dropped (" + KEYS[i] + ") in the last "
            + (now - windowStart[i]) / 1_000_000_000L + " s; latest: " + detail;
      }
      windowStart[i] = now;
      suppressed[i] = 0;
    }
    sink.warn(line);
  }

  /** One drop's count. */
  long get(DropReason r) {
    return counts.get(r.ordinal());
  }

  /** Every reason's count, in the enum's order, zeros included. */
  Map<String, Long> all() {
    Map<String, Long> m = new LinkedHashMap<>();
    for (DropReason r : REASONS) {
      m.put(KEYS[r.ordinal()], counts.get(r.ordinal()));
    }
    return m;
  }

  /** The reasons with a non-zero count. */
  Map<String, Long> nonZero() {
    Map<String, Long> m = new LinkedHashMap<>();
    for (DropReason r : REASONS) {
      long c = counts.get(r.ordinal());
      if (c != 0) {
        m.put(KEYS[r.ordinal()], c);
      }
    }
    return m;
  }
}
