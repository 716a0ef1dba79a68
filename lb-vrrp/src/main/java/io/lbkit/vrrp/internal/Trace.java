package io.lbkit.vrrp.internal;

import java.time.Instant;

/**
 * Takeover latency trace, on when the system property {@code lbkit.vrrp.trace} is set
 * (lb-bench's FailoverBench passes it on): the monotonic times of the last received
 * packet, its state-machine input, the timer armed from it (and its deadline), the
 * timer callback, the check for queued input, the first advert's send and its return,
 * and the rest of the takeover (addresses, announcements, notification: under the
 * machine's lock, so it delays the next advert), printed to stderr after each takeover. A diagnostic for one instance per process
 * (the marks are plain shared fields); when off, each mark is a test of a constant.
 * Internal.
 */
public final class Trace {
  /** Whether tracing is on. */
  public static final boolean ON = System.getProperty("lbkit.vrrp.trace") != null;
  /** Event: a packet returned from the socket. */
  public static final int RX = 0;
  /** Event: an advert reached the state machine. */
  public static final int INPUT = 1;
  /** Event: the timer was armed. */
  public static final int ARMED = 2;
  /** Value: the armed timer's deadline. */
  public static final int DEADLINE = 3;
  /** Event: the timer callback ran. */
  public static final int FIRED = 4;
  /** Event: the takeover's first advert returned from sendto. */
  public static final int SENT = 5;
  /** Value: wall-clock microseconds of the RX event. */
  public static final int RX_WALL = 6;
  /** Value: wall-clock microseconds of the SENT event. */
  public static final int SENT_WALL = 7;
  /** Event: the expiry checked for queued input. */
  public static final int CHECKED = 8;
  /** Event: the advert is about to be sent. */
  public static final int PRESEND = 9;
  /** Event: the addresses were installed. */
  public static final int INSTALLED = 10;
  /** Event: the announcements were sent. */
  public static final int ANNOUNCED = 11;
  private static final long[] T = new long[12];

  private Trace() {}

  /** Records event {@code i} now. */
  public static void mark(int i) {
    T[i] = System.nanoTime();
    if (i == RX || i == SENT) {
      Instant n = Instant.now();
      T[i == RX ? RX_WALL : SENT_WALL] = n.getEpochSecond() * 1_000_000 + n.getNano() / 1000;
    }
  }

  /** Records value {@code i}. */
  public static void set(int i, long v) {
    T[i] = v;
  }

  /** Prints the legs of the takeover just done (microseconds; wall clock for matching a capture). */
  public static void report(String what) {
    System.err.printf(java.util.Locale.ROOT,
        "TRACE %s: rx->input %d, rx->armed %d, armed->deadline %d, deadline->fired %d, fired->checked %d, "
            + "fired->presend %d, fired->sent %d, sent->done %d (installed %d, announced %d) | wall rx %d sent %d%n",
        what, us(RX, INPUT), us(RX, ARMED), us(ARMED, DEADLINE), us(DEADLINE, FIRED), us(FIRED, CHECKED),
        us(FIRED, PRESEND), us(FIRED, SENT), (System.nanoTime() - T[SENT]) / 1000, us(SENT, INSTALLED),
        us(SENT, ANNOUNCED), T[RX_WALL], T[SENT_WALL]);
  }

  private static long us(int from, int to) {
    return (T[to] - T[from]) / 1000;
  }
}
