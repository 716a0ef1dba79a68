package io.lbkit.vrrp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The timer formulas against keepalived's numbers. */
class VrrpTimersTest {
  @Test
  void v2_priority100_advert1s_masterDown3609375us() {
    assertThat(VrrpTimers.skewMicros(2, 100, 1_000_000)).isEqualTo(609_375);
    assertThat(VrrpTimers.masterDownMicros(2, 100, 1_000_000)).isEqualTo(3_609_375);
  }

  @Test
  void v2_skewIgnoresInterval() {
    assertThat(VrrpTimers.masterDownMicros(2, 100, 3_000_000)).isEqualTo(9_609_375);
  }

  @Test
  void v3_priority100_advert10ms_masterDown36ms() {
    assertThat(VrrpTimers.skewMicros(3, 100, 10_000)).isEqualTo(6_093);
    assertThat(VrrpTimers.masterDownMicros(3, 100, 10_000)).isEqualTo(36_093);
  }

  @Test
  void v3_priority254_advert1s_skew7812us() {
    assertThat(VrrpTimers.skewMicros(3, 254, 1_000_000)).isEqualTo(7_812);
  }

  @Test
  void priorityZero_skewIsFullInterval() {
    assertThat(VrrpTimers.skewMicros(2, 0, 1_000_000)).isEqualTo(1_000_000);
  }
}
