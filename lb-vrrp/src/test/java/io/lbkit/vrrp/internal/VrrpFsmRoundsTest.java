package io.lbkit.vrrp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.net.Inet;
import io.lbkit.api.vrrp.VrrpState;
import io.lbkit.testing.ManualClock;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A backup through the failover benchmark's rounds (v2, advert 1 s): a master that is
 * heard every second is never taken over from, and one that stops is taken over from
 * exactly at the RFC's time, whatever the backup went through before.
 */
class VrrpFsmRoundsTest {
  static final InetAddress ME = Inet.parse("10.0.0.100");
  static final InetAddress PEER = Inet.parse("10.0.0.2");
  static final long MASTER_DOWN = 3_609_375_000L;
  static final long SKEW = 609_375_000L;
  final ManualClock clock = new ManualClock();
  final List<String> changes = new ArrayList<>();

  VrrpFsm backup() {
    VrrpFsm f = new VrrpFsm(new VrrpFsmConfig("VI_1", 2, 100, 100, true, Duration.ZERO, ME, false), clock,
        new VrrpFsmOutput() {
          @Override public void sendAdvert(int priority) { }
          @Override public void addAddresses() { }
          @Override public void removeAddresses() { }
          @Override public void stateChanged(VrrpState from, VrrpState to, String reason) {
            changes.add(to + " @" + clock.nanoTime());
          }
        });
    f.start();
    return f;
  }

  /** The peer advertises at 150 every second for {@code seconds}, at {@code offsetNanos} into each second. */
  void peerAdvertises(VrrpFsm f, int seconds, long offsetNanos) {
    clock.advance(Duration.ofNanos(offsetNanos));
    for (int i = 0; i < seconds; i++) {
      f.advertReceived(PEER, 150, 100, clock.nanoTime());
      assertThat(f.state()).as("after %d adverts", i).isEqualTo(VrrpState.BACKUP);
      clock.advance(Duration.ofNanos(1_000_000_000L));
    }
  }

  @Test
  void rounds_heardMasterNeverTakenOver_stoppedMasterTakenOverOnTime() {
    VrrpFsm f = backup();
    clock.advance(Duration.ofNanos(MASTER_DOWN)); // alone: master
    assertThat(f.state()).isEqualTo(VrrpState.MASTER);
    long[] offsets = {123_456_789L, 7_000_000L, 999_000_000L, 500_000_001L, 64_000_000L, 128_000_000L};
    for (int round = 0; round < offsets.length; round++) {
      peerAdvertises(f, 1, offsets[round]); // a new master at 150: back to backup
      assertThat(f.state()).isEqualTo(VrrpState.BACKUP);
      peerAdvertises(f, 10, 0);
      long last = clock.nanoTime() - 1_000_000_000L;
      changes.clear();
      if (round % 2 == 0) { // kill -9: silence
        clock.advance(Duration.ofNanos(last + MASTER_DOWN - clock.nanoTime() - 1));
        assertThat(f.state()).as("round %d, before master down", round).isEqualTo(VrrpState.BACKUP);
        clock.advance(Duration.ofNanos(1));
        assertThat(changes).as("round %d", round).containsExactly("MASTER @" + (last + MASTER_DOWN));
      } else { // graceful: priority 0
        long at = clock.nanoTime();
        f.advertReceived(PEER, 0, 100, at);
        clock.advance(Duration.ofNanos(SKEW - 1));
        assertThat(f.state()).as("round %d, before skew", round).isEqualTo(VrrpState.BACKUP);
        clock.advance(Duration.ofNanos(1));
        assertThat(changes).as("round %d", round).containsExactly("MASTER @" + (at + SKEW));
      }
      clock.advanceMillis(300);
    }
  }
}
