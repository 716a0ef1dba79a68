package io.lbkit.vrrp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.net.Inet;
import io.lbkit.api.vrrp.VrrpState;
import io.lbkit.testing.ManualClock;
import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Timers restarted by an advert run from its arrival (the transport's kernel time), not from its processing. */
class VrrpFsmArrivalTest {
  static final InetAddress ME = Inet.parse("10.0.0.100");
  static final InetAddress PEER = Inet.parse("10.0.0.2");
  final ManualClock clock = new ManualClock();

  VrrpFsm backup() {
    VrrpFsm f = new VrrpFsm(new VrrpFsmConfig("VI_1", 3, 100, 5, true, Duration.ZERO, ME, false), clock,
        new VrrpFsmOutput() {
          @Override public void sendAdvert(int priority) { }
          @Override public void addAddresses() { }
          @Override public void removeAddresses() { }
          @Override public void stateChanged(VrrpState from, VrrpState to, String reason) { }
        });
    f.start();
    return f;
  }

  @Test
  void advertProcessedLate_masterDownRunsFromArrival() {
    VrrpFsm f = backup();
    clock.advanceMillis(100);
    long arrived = clock.nanoTime();
    clock.advanceMillis(2); // the receive path took 2 ms
    f.advertReceived(PEER, 150, 5, arrived);
    // v3, advert 50 ms, priority 100: master down 180.468 ms (keepalived's integer microseconds) from the arrival
    clock.advance(Duration.ofNanos(180_468_000 - 2_000_000 - 1));
    assertThat(f.state()).isEqualTo(VrrpState.BACKUP);
    clock.advance(Duration.ofNanos(1));
    assertThat(f.state()).isEqualTo(VrrpState.MASTER);
  }

  @Test
  void priorityZeroProcessedLate_skewRunsFromArrival() {
    VrrpFsm f = backup();
    f.advertReceived(PEER, 150, 5);
    clock.advanceMillis(40);
    long arrived = clock.nanoTime();
    clock.advance(Duration.ofNanos(700_000));
    f.advertReceived(PEER, 0, 5, arrived);
    // skew 30.468 ms from the arrival
    clock.advance(Duration.ofNanos(30_468_000 - 700_000 - 1));
    assertThat(f.state()).isEqualTo(VrrpState.BACKUP);
    clock.advance(Duration.ofNanos(1));
    assertThat(f.state()).isEqualTo(VrrpState.MASTER);
  }

  @Test
  void arrivalInTheFuture_countsAsNow() {
    VrrpFsm f = backup();
    f.advertReceived(PEER, 150, 5, clock.nanoTime() + 5_000_000);
    clock.advance(Duration.ofNanos(180_468_000 - 1));
    assertThat(f.state()).isEqualTo(VrrpState.BACKUP);
    clock.advance(Duration.ofNanos(1));
    assertThat(f.state()).isEqualTo(VrrpState.MASTER);
  }
}
