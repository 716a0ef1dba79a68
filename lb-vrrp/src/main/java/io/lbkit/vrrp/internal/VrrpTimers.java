package io.lbkit.vrrp.internal;

/**
 * The protocol's timer formulas, in microseconds with keepalived's integer
 * arithmetic (TIMER_HZ = 1 000 000), so that the values match keepalived's to the
 * microsecond:
 *
 * <ul>
 *   <li>v2 (RFC 3768 6.1): Skew_Time = (256 − Priority) / 256 s;</li>
 *   <li>v3 (RFC 5798 6.1): Skew_Time = ((256 − Priority) × Master_Adver_Interval) / 256,
 *       with the interval learned from the master's adverts;</li>
 *   <li>both: Master_Down_Interval = 3 × Master_Adver_Interval + Skew_Time.</li>
 * </ul>
 *
 * <p>Priority 100, advert 1 s, v2: 3 609 375 µs. Priority 100, v3, 10 ms: 36 093 µs.
 */
public final class VrrpTimers {
  private VrrpTimers() {}

  /** Microseconds of an interval given in centiseconds. */
  public static long centisToMicros(int centis) {
    return centis * 10_000L;
  }

  /** Skew time in microseconds for this version, priority and master advert interval. */
  public static long skewMicros(int version, int priority, long masterAdverMicros) {
    if (priority < 0 || priority > 255) {
      throw new IllegalArgumentException("priority out of range 0-255: " + priority);
    }
    if (version == 2) {
      return (256L - priority) * 1_000_000L / 256L;
    }
    return (256L - priority) * masterAdverMicros / 256L;
  }

  /** Master-down interval in microseconds: 3 × advert + skew. */
  public static long masterDownMicros(int version, int priority, long masterAdverMicros) {
    return 3 * masterAdverMicros + skewMicros(version, priority, masterAdverMicros);
  }
}
