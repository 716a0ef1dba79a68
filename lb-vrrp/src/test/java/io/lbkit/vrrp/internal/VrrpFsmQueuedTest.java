package io.lbkit.vrrp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.TimerService;
import io.lbkit.api.net.Inet;
import io.lbkit.api.vrrp.VrrpState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A late master-down timer on a shared timer thread: queued behind another instance's
 * takeover is not a stall; lateness nothing on the thread explains is.
 */
class VrrpFsmQueuedTest {
  static final long DEADLINE = 3_609_375_000L; // master-down at priority 100, advert 1 s

  /** A clock that moves 1 µs per reading (a spin reaches its deadline) and runs tasks when the test says. */
  static final class Clock implements TimerService {
    long now;
    final List<Runnable> tasks = new ArrayList<>();

    @Override public long nanoTime() { return now += 1_000; }
    @Override public Instant now() { return Instant.EPOCH.plusNanos(now); }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
      tasks.add(task);
      return () -> tasks.remove(task);
    }
  }

  final Clock clock = new Clock();

  /** A machine whose takeover (adding its addresses) takes {@code workNanos} of the clock. */
  VrrpFsm fsm(String name, int last, long workNanos) {
    VrrpFsm f = new VrrpFsm(new VrrpFsmConfig(name, 2, 100, 100, true, Duration.ZERO,
        Inet.parse("10.0.0." + last), false), clock, new VrrpFsmOutput() {
          @Override public void sendAdvert(int priority) { }
          @Override public void addAddresses() { clock.now += workNanos; }
          @Override public void removeAddresses() { }
          @Override public void stateChanged(VrrpState from, VrrpState to, String reason) { }
        });
    return f;
  }

  /** Starts both at time 0, runs a's master-down wake-up (its takeover takes 300 ms), then b's at {@code bAt}. */
  VrrpFsm[] run(boolean shared, long bAt) {
    VrrpFsm a = fsm("VI_A", 1, 300_000_000); // over the 100 ms late threshold at advert 1 s
    VrrpFsm b = fsm("VI_B", 2, 0);
    AtomicLong thread = new AtomicLong(Long.MIN_VALUE);
    a.shareTimerThread(thread);
    b.shareTimerThread(shared ? thread : new AtomicLong(Long.MIN_VALUE));
    clock.now = 0;
    a.start();
    b.start();
    assertThat(clock.tasks).hasSize(2);
    Runnable wakeA = clock.tasks.get(0);
    Runnable wakeB = clock.tasks.get(1);
    clock.now = DEADLINE - FsmTimer.LEAD_NANOS;
    wakeA.run();
    assertThat(a.state()).isEqualTo(VrrpState.MASTER);
    clock.now = Math.max(clock.now, bAt);
    wakeB.run();
    assertThat(b.state()).isEqualTo(VrrpState.MASTER);
    return new VrrpFsm[] {a, b};
  }

  @Test
  void lateRightAfterAnotherInstancesTakeover_isQueuedNotAStall() {
    VrrpFsm[] ab = run(true, 0); // b runs as soon as a's 300 ms takeover ends
    assertThat(ab[0].lateTimers()).isZero();
    assertThat(ab[1].lateTimers()).isZero();
  }

  @Test
  void sameLatenessWithoutSharingTheThread_isAStall() {
    VrrpFsm[] ab = run(false, 0);
    assertThat(ab[1].lateTimers()).isEqualTo(1);
  }

  @Test
  void lateLongAfterTheOtherWorkEnded_isAStall() {
    VrrpFsm[] ab = run(true, DEADLINE + 2_000_000_000L); // a 2 s pause after a's takeover
    assertThat(ab[1].lateTimers()).isEqualTo(1);
  }
}
