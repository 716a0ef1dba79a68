package io.lbkit.vrrp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.TimerService;
import io.lbkit.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The state machine's timer: arming from a past start, precise arming's early wake and spin, shared far wake-ups. */
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

  @Test
  void reArmedOnEveryAdvert_expiresExactlyAtTheLastDeadline_neverLateOrEarly() {
    // v2, priority 100, advert 1 s: master down 3 609 375 us; adverts at uneven phases, then none
    java.util.Random rnd = new java.util.Random(17);
    for (int round = 0; round < 20; round++) {
      ManualClock c = new ManualClock();
      c.advance(Duration.ofNanos(rnd.nextInt(1_000_000_000)));
      FsmTimer t = new FsmTimer(c);
      List<Long> expired = new ArrayList<>();
      long last = 0;
      int adverts = 5 + rnd.nextInt(20);
      for (int i = 0; i < adverts; i++) {
        last = c.nanoTime();
        t.armFrom(last, 3_609_375, gen -> {
          if (t.fire(gen)) {
            expired.add(c.nanoTime());
          }
        }, () -> { });
        c.advance(Duration.ofNanos(1_000_000_000L + rnd.nextInt(2_000_000) - 1_000_000));
      }
      long deadline = last + 3_609_375_000L;
      c.advance(Duration.ofNanos(deadline - c.nanoTime() - 1));
      assertThat(expired).as("round %d: not before the deadline", round).isEmpty();
      c.advance(Duration.ofNanos(1));
      assertThat(expired).as("round %d: at the deadline, once", round).containsExactly(deadline);
      c.advanceMillis(10_000);
      assertThat(expired).hasSize(1);
      assertThat(c.pending()).isZero();
    }
  }

  @Test
  void reArmedOnEveryAdvert_wakesAboutOncePerMasterDownInterval() {
    FsmTimer t = new FsmTimer(clock);
    for (int i = 0; i < 60; i++) {
      t.armFrom(clock.nanoTime(), 3_609_375, gen -> log.add("expired"), () -> log.add("warm-up"));
      clock.advanceMillis(1000);
    }
    assertThat(log).isEmpty();
    // one wake-up per ~3 s re-schedules for the moved deadline; not one per advert (60)
    assertThat(clock.tasksRun()).isBetween(15, 25);
  }

  @Test
  void manyTimers_reScheduledWakeUpsShareInstants() {
    Recording rec = new Recording(clock);
    java.util.Random rnd = new java.util.Random(5);
    List<FsmTimer> timers = new ArrayList<>();
    int[] phaseMillis = new int[100];
    for (int i = 0; i < phaseMillis.length; i++) {
      timers.add(new FsmTimer(rec));
      phaseMillis[i] = rnd.nextInt(1000); // adverts spread over the second
    }
    hearAdvertsForAMinute(timers, phaseMillis);
    assertThat(log).isEmpty();
    List<Long> reScheduled = rec.due.subList(phaseMillis.length, rec.due.size()); // after the 100 first arms
    assertThat(reScheduled).hasSizeBetween(1500, 2100); // about one per timer per 3 s, as without the grid
    assertThat(reScheduled).allMatch(at -> Math.floorMod(at, FsmTimer.GRANULE_NANOS) == 0);
    // the executor's wake-ups: at most one per 128 ms granule (without the grid: about 2000 instants)
    assertThat(reScheduled.stream().distinct().count()).isLessThanOrEqualTo(60_000 / 128 + 1);
  }

  @Test
  void manyTimers_sharingFarWakeUps_executorRunsOneTaskPerSharedInstant() {
    FarWakeUps far = new FarWakeUps(clock);
    java.util.Random rnd = new java.util.Random(5);
    List<FsmTimer> timers = new ArrayList<>();
    int[] phaseMillis = new int[100];
    for (int i = 0; i < phaseMillis.length; i++) {
      timers.add(new FsmTimer(clock, far));
      phaseMillis[i] = rnd.nextInt(1000);
    }
    int before = clock.tasksRun();
    hearAdvertsForAMinute(timers, phaseMillis);
    assertThat(log).isEmpty();
    // each timer's first (exact) wake-up, then one task per grid instant for all: at most one per 128 ms granule
    // (each timer with a task of its own: 1,500-2,100 tasks, manyTimers_reScheduledWakeUpsShareInstants)
    assertThat(clock.tasksRun() - before).isLessThanOrEqualTo(phaseMillis.length + 60_000 / 128 + 1);
    assertThat(far.parkedCount()).isEqualTo(phaseMillis.length);
    timers.forEach(FsmTimer::cancel);
    assertThat(far.parkedCount()).isZero();
  }

  @Test
  void manyTimers_sharingFarWakeUps_eachExpiresExactlyAtItsLastDeadline() {
    FarWakeUps far = new FarWakeUps(clock);
    java.util.Random rnd = new java.util.Random(11);
    int n = 12;
    List<FsmTimer> timers = new ArrayList<>();
    int[] phase = new int[n];
    int[] silentFrom = new int[n]; // the second from which timer i hears no advert (or never, for odd i)
    long[] lastArm = new long[n];
    List<List<Long>> expired = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      timers.add(new FsmTimer(clock, far));
      phase[i] = rnd.nextInt(1000);
      silentFrom[i] = i % 2 == 0 ? 10 + rnd.nextInt(30) : Integer.MAX_VALUE;
      expired.add(new ArrayList<>());
    }
    for (int ms = 0; ms < 60_000; ms++) {
      for (int i = 0; i < n; i++) {
        if (ms % 1000 == phase[i] && ms / 1000 < silentFrom[i]) {
          FsmTimer t = timers.get(i);
          List<Long> e = expired.get(i);
          lastArm[i] = clock.nanoTime();
          t.armFrom(lastArm[i], 3_609_375, gen -> {
            if (t.fire(gen)) {
              e.add(clock.nanoTime());
            }
          }, () -> { });
        }
      }
      clock.advanceMillis(1);
    }
    for (int i = 0; i < n; i++) {
      if (i % 2 == 0) {
        assertThat(expired.get(i)).as("timer %d", i).containsExactly(lastArm[i] + 3_609_375_000L);
      } else {
        assertThat(expired.get(i)).as("timer %d", i).isEmpty();
      }
    }
    timers.forEach(FsmTimer::cancel);
    clock.advanceMillis(10_000);
    assertThat(far.parkedCount()).isZero();
    assertThat(clock.pending()).isZero();
  }

  @Test
  void sharedFarWakeUp_oneExpiryThrowing_othersStillExpireAndTheTaskGoesOn() {
    Recording late = new Recording(clock);
    FarWakeUps far = new FarWakeUps(late);
    List<FsmTimer> timers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      FsmTimer t = new FsmTimer(late, far);
      timers.add(t);
      boolean throwing = i != 1;
      t.armFrom(0, 3_609_375, gen -> {
        if (throwing) {
          throw new IllegalStateException("a failing expiry");
        }
        log.add("expired");
      }, null);
    }
    clock.advanceMillis(1000);
    timers.forEach(t -> t.armFrom(clock.nanoTime(), 3_609_375, t == timers.get(1) ? gen -> log.add("expired")
        : gen -> { throw new IllegalStateException("a failing expiry"); }, null)); // deadlines 4.6 s: far at 3.6
    late.lateNanos = 5_000_000_000L; // from now on the executor runs tasks 5 s late: past the deadlines
    clock.advanceMillis(20_000);
    assertThat(log).containsExactly("expired");
    assertThat(far.parkedCount()).isZero();
  }

  /** Each timer re-armed for a v2 1 s master-down on its advert, every second at its phase, for 60 s. */
  private void hearAdvertsForAMinute(List<FsmTimer> timers, int[] phaseMillis) {
    for (int ms = 0; ms < 60_000; ms++) {
      for (int i = 0; i < phaseMillis.length; i++) {
        if (ms % 1000 == phaseMillis[i]) {
          timers.get(i).armFrom(clock.nanoTime(), 3_609_375, gen -> log.add("expired"), () -> { });
        }
      }
      clock.advanceMillis(1);
    }
  }

  @Test
  void coalesced_neverLaterThanTheTarget_onTheGridOnlyWhenFar() {
    long g = FsmTimer.GRANULE_NANOS;
    assertThat(FsmTimer.coalesced(10 * g + 5, 0)).isEqualTo(10 * g);
    assertThat(FsmTimer.coalesced(-10 * g + 5, -20 * g)).isEqualTo(-10 * g);
    assertThat(FsmTimer.coalesced(2 * g + 5, 5)).isEqualTo(2 * g + 5); // near: exact
    java.util.Random rnd = new java.util.Random(3);
    for (int i = 0; i < 10_000; i++) {
      long now = rnd.nextLong() / 2;
      long at = now + rnd.nextInt(Integer.MAX_VALUE);
      long w = FsmTimer.coalesced(at, now);
      assertThat(w).isLessThanOrEqualTo(at).isGreaterThan(now).isGreaterThan(at - g);
    }
  }

  /** Records the instant each task is scheduled for; runs those scheduled after {@code lateNanos} is set that late. */
  static final class Recording implements TimerService {
    final ManualClock clock;
    final List<Long> due = new ArrayList<>();
    long lateNanos;

    Recording(ManualClock clock) {
      this.clock = clock;
    }

    @Override
    public long nanoTime() {
      return clock.nanoTime();
    }

    @Override
    public Instant now() {
      return clock.now();
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
      due.add(clock.nanoTime() + delay.toNanos());
      return clock.schedule(delay.plusNanos(lateNanos), task);
    }
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
