package io.lbkit.checks.internal;

/**
 * How late the engine's timers fire (run time minus due time): a fixed histogram with
 * 0.1 ms buckets up to 100 ms and 10 ms buckets up to 10 s (the rest in one overflow
 * bucket), so recording allocates nothing. Written by the loop thread, read and reset
 * by any thread (one uncontended lock per record).
 */
public final class LagHistogram {
  private static final int FINE = 1000; // 0.1 ms each: 0-100 ms
  private static final int COARSE = 990; // 10 ms each: 100 ms-10 s
  private final long[] buckets = new long[FINE + COARSE + 1];
  private long count;
  private long max;

  synchronized void record(long lateNanos) {
    long n = Math.max(0, lateNanos);
    buckets[bucket(n)]++;
    count++;
    max = Math.max(max, n);
  }

  private static int bucket(long n) {
    long fine = n / 100_000;
    if (fine < FINE) {
      return (int) fine;
    }
    long coarse = (n - 100_000_000L) / 10_000_000L;
    return (int) Math.min(FINE + coarse, FINE + COARSE);
  }

  /** The upper edge of bucket {@code i}, in ns (the overflow bucket reports the maximum). */
  private long upper(int i) {
    if (i < FINE) {
      return (i + 1) * 100_000L;
    }
    return i < FINE + COARSE ? 100_000_000L + (i - FINE + 1) * 10_000_000L : max;
  }

  /**
   * {count, p50, p99, max} in ns (each percentile the upper edge of its bucket, at most
   * the maximum); zeros before the first record. With {@code reset} it starts over.
   */
  public synchronized long[] snapshot(boolean reset) {
    long[] out = {count, percentile(0.50), percentile(0.99), max};
    if (reset) {
      java.util.Arrays.fill(buckets, 0);
      count = 0;
      max = 0;
    }
    return out;
  }

  /**
   * {count, p50, p99, max} in ns over several histograms together (e.g. one per check
   * thread), as {@link #snapshot} gives for one; with {@code reset} each starts over.
   */
  public static long[] snapshot(java.util.List<LagHistogram> all, boolean reset) {
    LagHistogram sum = new LagHistogram();
    for (LagHistogram h : all) {
      synchronized (h) {
        for (int i = 0; i < h.buckets.length; i++) {
          sum.buckets[i] += h.buckets[i];
        }
        sum.count += h.count;
        sum.max = Math.max(sum.max, h.max);
        if (reset) {
          java.util.Arrays.fill(h.buckets, 0);
          h.count = 0;
          h.max = 0;
        }
      }
    }
    return sum.snapshot(false);
  }

  private long percentile(double p) {
    if (count == 0) {
      return 0;
    }
    long rank = (long) Math.ceil(p * count);
    long seen = 0;
    for (int i = 0; i < buckets.length; i++) {
      seen += buckets[i];
      if (seen >= rank) {
        return Math.min(upper(i), max);
      }
    }
    return max;
  }
}
