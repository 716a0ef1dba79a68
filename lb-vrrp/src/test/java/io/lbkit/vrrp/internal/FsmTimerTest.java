package io.lbkit.vrrp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.TimerService;
import io.lbkit.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The state machine's timer: arming from a past start, and precise arming's early wake and spin. */
class FsmTimerTest {
  final ManualClock clock = new ManualClock();
  final List<String> log = new ArrayList<>();

  @Test
  void armFrom_startInThePast_deadlineCountsFromStart() {
    FsmTimer t = new FsmTimer(clock);
    clock.advanceMillis(50);
    t.armFrom(clock.nanoTime() - 30_000_000, 100_000, gen -> log.add("expired @" + clock.nanoTime() / 1000), null);
    clock.advance(Duration.ofNanos(69_999_999));
    assertThat(log).isEmpty();
    clock.advance(Duration.ofNanos(1));
    assertThat(log).containsExactly("expired @120000");
  }

  @Test
  void armFrom_startInTheFuture_countsFromNow() {
    FsmTimer t = new FsmTimer(clock);
    t.armFrom(clock.nanoTime() + 5_000_000, 1_000, gen -> log.add("expired @" + clock.nanoTime() / 1000), null);
    clock.advance(Duration.ofNanos(1_000_000));
    assertThat(log).containsExactly("expired @1000");
  }

  @Test
  void armFrom_deadlineAlreadyPast_firesAtOnce() {
    FsmTimer t = new FsmTimer(clock);
    clock.advanceMillis(500);
    t.armFrom(0, 100_000, gen -> log.add("expired @" + clock.nanoTime() / 1000), null);
    clock.runDue();
    assertThat(log).containsExactly("expired @500000");
    assertThat(t.lateMicros()).isEqualTo(400_000);
  }

  @Test
  void precise_onManualClock_warmsUpEarlyAndStillExpiresExactlyAtTheDeadline() {
    FsmTimer t = new FsmTimer(clock);
    t.armFrom(clock.nanoTime(), 10_000, gen -> log.add("expired @" + clock.nanoTime()),
        () -> log.add("warm-up @" + clock.nanoTime()));
    clock.advance(Duration.ofNanos(10_000_000 - 1));
    assertThat(log).containsExactly("warm-up @" + (10_000_000 - FsmTimer.LEAD_NANOS));
    clock.advance(Duration.ofNanos(1));
    assertThat(log).containsExactly("warm-up @" + (10_000_000 - FsmTimer.LEAD_NANOS), "expired @10000000");
  }

  @Test
  void precise_cancelledAfterWarmUp_neverExpiresAndLeavesNothingScheduled() {
    FsmTimer t = new FsmTimer(clock);
    t.armFrom(clock.nanoTime(), 10_000, gen -> log.add("expired"), () -> log.add("warm-up"));
    clock.advanceMillis(9);
    t.cancel();
    clock.advanceMillis(5);
    assertThat(log).containsExactly("warm-up");
    assertThat(clock.pending()).isZero();
  }

  @Test
  void precise_shortTimer_isOrdinary() {
    FsmTimer t = new FsmTimer(clock);
    t.armFrom(clock.nanoTime(), 2 * FsmTimer.LEAD_NANOS / 1000, gen -> log.add("expired"), () -> log.add("warm-up"));
    clock.advance(Duration.ofNanos(2 * FsmTimer.LEAD_NANOS));
    assertThat(log).containsExactly("expired");
  }

  @Test
  void precise_onMovingClock_spinsToTheDeadlineInTheEarlyCallback() {
    Ticking ticking = new Ticking();
    FsmTimer t = new FsmTimer(ticking);
    t.armFrom(0, 10_000, gen -> log.add("expired, at or after the deadline " + (ticking.nanoTime() >= 10_000_000)),
        () -> log.add("warm-up"));
    assertThat(ticking.delays).hasSize(1);
    assertThat(ticking.delays.get(0)).isBetween(10_000_000 - FsmTimer.LEAD_NANOS - 10_000, 10_000_000 - FsmTimer.LEAD_NANOS);
    ticking.now = 10_000_000 - FsmTimer.LEAD_NANOS;
    ticking.tasks.get(0).run();
    assertThat(log).containsExactly("warm-up", "expired, at or after the deadline true");
    assertThat(ticking.delays).hasSize(1); // no ordinary timer for the rest: the spin reached the deadline
  }

  @Test
  void precise_reArmedDuringTheSpin_staleCallbackDoesNothing() {
    Ticking ticking = new Ticking();
    FsmTimer t = new FsmTimer(ticking);
    t.armFrom(ticking.nanoTime(), 10_000, gen -> log.add("expired " + gen), () -> {
      log.add("warm-up");
      t.armFrom(ticking.nanoTime(), 10_000, gen -> log.add("second " + gen), null); // an advert arrives
    });
    ticking.now = 10_000_000 - FsmTimer.LEAD_NANOS;
    ticking.tasks.get(0).run();
    assertThat(log).containsExactly("warm-up");
  }

  /** A real-like clock: every reading moves it 1 µs; tasks run when the test says. */
  static final class Ticking implements TimerService {
    long now;
    final List<Long> delays = new ArrayList<>();
    final List<Runnable> tasks = new ArrayList<>();

    @Override
    public long nanoTime() {
      return now += 1_000;
    }

    @Override
    public Instant now() {
      return Instant.EPOCH.plusNanos(now);
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
      delays.add(delay.toNanos());
      tasks.add(task);
      return () -> { };
    }
  }
}
