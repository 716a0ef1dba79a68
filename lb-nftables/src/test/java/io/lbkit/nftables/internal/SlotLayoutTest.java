package io.lbkit.nftables.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lbkit.api.RealServerKey;
import io.lbkit.api.Scheduler;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SlotLayoutTest {
  static final RealServerKey A = RealServerKey.of("198.51.100.1", 80);
  static final RealServerKey B = RealServerKey.of("198.51.100.2", 80);
  static final RealServerKey C = RealServerKey.of("198.51.100.3", 80);

  static TreeMap<RealServerKey, Integer> w(int a, int b, int c) {
    return new TreeMap<>(Map.of(A, a, B, b, C, c));
  }

  @Test
  void rr_oneSlotPerServerAboveZero_whateverItsWeight() {
    assertThat(SlotLayout.of(Scheduler.RR, w(5, 0, 1))).containsExactly(A, C);
  }

  @Test
  void wrr_followsIpvsWrrOrder_withWeightsReducedByGcd() {
    // ip_vs_wrr with weights 4, 2, 2 (gcd 2 -> 2, 1, 1): A, A, B, C
    assertThat(SlotLayout.of(Scheduler.WRR, w(4, 2, 2))).containsExactly(A, A, B, C);
    // 3, 2, 1: cw 3 -> A; cw 2 -> A, B; cw 1 -> A, B, C
    assertThat(SlotLayout.of(Scheduler.WRR, w(3, 2, 1))).containsExactly(A, A, B, A, B, C);
  }

  @Test
  void allWeightsZero_noSlots() {
    assertThat(SlotLayout.of(Scheduler.WRR, w(0, 0, 0))).isEmpty();
  }

  @Test
  void tooManySlots_isRefused() {
    assertThat(SlotLayout.size(Scheduler.WRR, w(4096, 1, 0))).isEqualTo(4097);
    assertThrows(IllegalArgumentException.class, () -> SlotLayout.of(Scheduler.WRR, w(4096, 1, 0)));
  }
}
