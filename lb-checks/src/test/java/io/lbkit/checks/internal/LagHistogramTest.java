package io.lbkit.checks.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LagHistogramTest {
  @Test
  void snapshot_empty_isZeros() {
    assertArrayEquals(new long[] {0, 0, 0, 0}, new LagHistogram().snapshot(false));
  }

  @Test
  void percentiles_fineBuckets_reportTheBucketsUpperEdgeCappedAtMax() {
    LagHistogram h = new LagHistogram();
    for (int i = 0; i < 98; i++) {
      h.record(50_000); // 0.05 ms
    }
    h.record(42_300_000); // 42.3 ms
    h.record(3_000_000_000L); // 3 s
    long[] s = h.snapshot(false);
    assertEquals(100, s[0]);
    assertEquals(100_000, s[1], "p50 in the first 0.1 ms bucket");
    assertEquals(42_400_000, s[2], "p99 is the 99th of 100: the 42.3 ms one, at its bucket's edge");
    assertEquals(3_000_000_000L, s[3]);
  }

  @Test
  void percentiles_coarseAndOverflow_neverAboveMax() {
    LagHistogram h = new LagHistogram();
    h.record(155_000_000); // 155 ms: the 150-160 ms bucket
    assertEquals(155_000_000, h.snapshot(false)[2]);
    h.record(60_000_000_000L); // 60 s: overflow
    assertEquals(60_000_000_000L, h.snapshot(false)[2]);
  }

  @Test
  void snapshot_withReset_startsOver_andNegativeLagCountsAsZero() {
    LagHistogram h = new LagHistogram();
    h.record(7_000_000);
    assertEquals(1, h.snapshot(true)[0]);
    h.record(-5);
    assertArrayEquals(new long[] {1, 0, 0, 0}, h.snapshot(false));
  }
}
