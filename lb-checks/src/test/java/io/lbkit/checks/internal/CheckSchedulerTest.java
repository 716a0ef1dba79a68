package io.lbkit.checks.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.Protocol;
import io.lbkit.api.RealServerKey;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.check.CheckSpec;
import io.lbkit.api.check.CheckTarget;
import io.lbkit.api.check.CheckTiming;
import io.lbkit.api.check.HealthEvent;
import io.lbkit.api.check.TcpCheck;
import io.lbkit.checks.CheckResult;
import io.lbkit.testing.ManualClock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** The scheduler's timing rules on a manual clock: no sockets, no sleeps. */
class CheckSchedulerTest {
  static final ServiceKey SVC = ServiceKey.of(Protocol.TCP, io.lbkit.api.net.Inet.parse("192.168.0.200"), 80);
  final ManualClock clock = new ManualClock();
  final List<HealthEvent> events = new ArrayList<>();

  /** A probe answering from a script (default: the last answer), recording when each attempt started. */
  final class Scripted implements Probe {
    final ArrayDeque<Boolean> answers = new ArrayDeque<>();
    final List<Long> startedMs = new ArrayList<>();
    final List<Consumer<CheckResult>> held = new ArrayList<>();
    boolean hold;
    boolean last = true;

    @Override
    public void run(Consumer<CheckResult> done) {
      startedMs.add(clock.nanoTime() / 1_000_000);
      if (hold) {
        held.add(done);
        return;
      }
      if (!answers.isEmpty()) {
        last = answers.poll();
      }
      done.accept(last ? CheckResult.up("ok") : CheckResult.down("connection refused"));
    }

    Scripted then(Boolean... a) {
      answers.addAll(List.of(a));
      return this;
    }
  }

  CheckScheduler scheduler(int cap, double jitter, Duration fast) {
    return new CheckScheduler(clock, new CheckScheduler.Options(cap, jitter, fast, Duration.ofSeconds(60)),
        RandomGenerator.of("L64X128MixRandom"), events::add);
  }

  static RealServerKey real(int i) {
    return new RealServerKey(io.lbkit.api.net.Inet.parse("10.0.0." + i), 80);
  }

  static CheckSpec tcp(CheckTiming t) {
    return new TcpCheck(t, CheckTarget.REAL_SERVER);
  }

  static final CheckTiming KEEPALIVED = CheckTiming.DEFAULT.retry(2, Duration.ofSeconds(3));

  @Test
  void success_runsEveryDelayLoop_andEmitsNothingWhenAlreadyUp() {
    Scripted p = new Scripted();
    scheduler(10, 0, null).add(SVC, real(1), Duration.ofSeconds(6), false,
        List.of(new CheckScheduler.Bound(tcp(KEEPALIVED), p)));
    clock.advance(Duration.ofSeconds(20));
    assertThat(p.startedMs).containsExactly(0L, 6000L, 12000L, 18000L);
    assertThat(events).isEmpty();
  }

  @Test
  void failure_retriesAfterDelayBeforeRetry_thenDownOnce_thenBackToDelayLoop() {
    Scripted p = new Scripted().then(true, false);
    scheduler(10, 0, null).add(SVC, real(1), Duration.ofSeconds(6), false,
        List.of(new CheckScheduler.Bound(tcp(KEEPALIVED), p)));
    clock.advance(Duration.ofSeconds(30));
    // 0 ok; 6000 fail, retry 1 at 9000, retry 2 at 12000 -> down; next round at 18000, 24000, 30000
    assertThat(p.startedMs).containsExactly(0L, 6000L, 9000L, 12000L, 18000L, 24000L, 30000L);
    assertThat(events).containsExactly(new HealthEvent(SVC, real(1), false, -1, "TCP_CHECK: connection refused"));
  }

  @Test
  void successDuringRetries_keepsUp() {
    Scripted p = new Scripted().then(false, true);
    scheduler(10, 0, null).add(SVC, real(1), Duration.ofSeconds(6), false,
        List.of(new CheckScheduler.Bound(tcp(KEEPALIVED), p)));
    clock.advance(Duration.ofSeconds(7));
    assertThat(p.startedMs).containsExactly(0L, 3000L);
    assertThat(events).isEmpty();
  }

  @Test
  void state_notCheckedUntilTheFirstRoundEnds_retriesIncluded() {
    Scripted p = new Scripted().then(false, true);
    CheckScheduler s = scheduler(10, 0, null);
    s.add(SVC, real(1), Duration.ofSeconds(6), false, List.of(new CheckScheduler.Bound(tcp(KEEPALIVED), p)));
    assertThat(s.state(SVC, real(1))).containsExactly(1, -1, 0); // up by assumption, not checked
    clock.runDue(); // the first attempt fails: a retry is pending, the round is not over
    assertThat(s.state(SVC, real(1))).containsExactly(1, -1, 0);
    clock.advance(Duration.ofSeconds(3)); // the retry succeeds
    assertThat(s.state(SVC, real(1))).containsExactly(1, -1, 1);
    assertThat(s.state(SVC, real(2))).isNull();
  }

  @Test
  void alpha_startsDown_oneSuccessIsUp() {
    Scripted p = new Scripted();
    scheduler(10, 0, null).add(SVC, real(1), Duration.ofSeconds(6), true,
        List.of(new CheckScheduler.Bound(tcp(KEEPALIVED), p)));
    assertThat(events).containsExactly(new HealthEvent(SVC, real(1), false, -1, "alpha: not checked yet"));
    clock.runDue();
    assertThat(events).containsExactly(new HealthEvent(SVC, real(1), false, -1, "alpha: not checked yet"),
        new HealthEvent(SVC, real(1), true, -1, "TCP_CHECK: ok"));
  }

  @Test
  void warmup_firstAttemptIsWithinTheWindow_andSpread() {
    CheckScheduler s = scheduler(1000, 0, null);
    List<Scripted> probes = new ArrayList<>();
    for (int i = 1; i <= 50; i++) {
      Scripted p = new Scripted();
      probes.add(p);
      s.add(SVC, real(i), Duration.ofSeconds(60), false,
          List.of(new CheckScheduler.Bound(tcp(KEEPALIVED.warmup(Duration.ofSeconds(10))), p)));
    }
    clock.advance(Duration.ofSeconds(10));
    List<Long> first = probes.stream().map(p -> p.startedMs.get(0)).toList();
    assertThat(first).allMatch(t -> t >= 0 && t <= 10_000);
    assertThat(first.stream().distinct().count()).isGreaterThan(40);
  }

  @Test
  void riseFall_needConsecutiveRounds_andFastIntervalWhilePending() {
    Scripted p = new Scripted().then(true, false, false, false, true, true);
    CheckTiming t = CheckTiming.DEFAULT.retry(0, Duration.ZERO).riseFall(2, 3);
    scheduler(10, 0, Duration.ofSeconds(1)).add(SVC, real(1), Duration.ofSeconds(10), false,
        List.of(new CheckScheduler.Bound(tcp(t), p)));
    clock.advance(Duration.ofSeconds(16));
    // 0 ok; 10000 fail (1/3, fast); 11000 fail (2/3); 12000 fail -> down (rise pending none: normal)
    // 22000 ok (1/2, fast) ; 23000 ok -> up
    assertThat(p.startedMs).containsExactly(0L, 10000L, 11000L, 12000L);
    clock.advance(Duration.ofSeconds(8));
    assertThat(p.startedMs).containsExactly(0L, 10000L, 11000L, 12000L, 22000L, 23000L);
    assertThat(events).extracting(HealthEvent::up).containsExactly(false, true);
  }

  @Test
  void jitter_keepsEveryIntervalWithinBounds() {
    Scripted p = new Scripted();
    scheduler(10, 0.2, null).add(SVC, real(1), Duration.ofSeconds(10), false,
        List.of(new CheckScheduler.Bound(tcp(KEEPALIVED), p)));
    clock.advance(Duration.ofSeconds(600));
    assertThat(p.startedMs.get(0)).isBetween(0L, 2000L);
    for (int i = 1; i < p.startedMs.size(); i++) {
      assertThat(p.startedMs.get(i) - p.startedMs.get(i - 1)).isBetween(10_000L, 12_000L);
    }
    assertThat(p.startedMs.size()).isBetween(50, 61);
  }

  @Test
  void concurrencyCap_queuesTheRest_andReleasesInOrder() {
    CheckScheduler s = scheduler(3, 0, null);
    List<Scripted> probes = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      Scripted p = new Scripted();
      p.hold = true;
      probes.add(p);
      s.add(SVC, real(i), Duration.ofSeconds(60), false, List.of(new CheckScheduler.Bound(tcp(KEEPALIVED), p)));
    }
    clock.runDue();
    assertThat(probes).filteredOn(p -> !p.startedMs.isEmpty()).hasSize(3);
    assertThat(s.gateState()).containsExactly(3, 7, 3);
    probes.get(0).held.get(0).accept(CheckResult.up("ok"));
    assertThat(probes.get(3).startedMs).hasSize(1);
    assertThat(probes.get(4).startedMs).isEmpty();
    for (Scripted p : probes) {
      while (!p.held.isEmpty()) {
        p.held.remove(0).accept(CheckResult.up("ok"));
      }
    }
    assertThat(probes).allMatch(p -> p.startedMs.size() == 1);
    assertThat(s.gateState()[2]).isEqualTo(3);
  }

  @Test
  void twoChecks_serverUpOnlyWhileBothUp_weightFromDynamicCheck() {
    Scripted a = new Scripted();
    Probe weighted = done -> done.accept(CheckResult.upWithWeight(7, "exit 9: weight 7"));
    scheduler(10, 0, null).add(SVC, real(1), Duration.ofSeconds(5), false, List.of(
        new CheckScheduler.Bound(tcp(KEEPALIVED.retry(0, Duration.ZERO)), a),
        new CheckScheduler.Bound(tcp(KEEPALIVED), weighted)));
    a.then(true, false);
    clock.advance(Duration.ofSeconds(5));
    assertThat(events).containsExactly(new HealthEvent(SVC, real(1), true, 7, "TCP_CHECK: exit 9: weight 7"),
        new HealthEvent(SVC, real(1), false, 7, "TCP_CHECK: connection refused"));
  }

  @Test
  void remove_stopsFurtherAttempts_andLateResultIsIgnored() {
    CheckScheduler s = scheduler(10, 0, null);
    Scripted p = new Scripted();
    p.hold = true;
    s.add(SVC, real(1), Duration.ofSeconds(5), false, List.of(new CheckScheduler.Bound(tcp(KEEPALIVED), p)));
    clock.runDue();
    assertThat(s.remove(SVC, real(1))).isTrue();
    p.held.get(0).accept(CheckResult.down("late"));
    clock.advance(Duration.ofSeconds(60));
    assertThat(p.startedMs).hasSize(1);
    assertThat(events).isEmpty();
    assertThat(s.gateState()[0]).isZero();
    assertThat(s.isUp(SVC, real(1))).isNull();
  }

  @Test
  void addTwice_isRejectedNamingTheServer() {
    CheckScheduler s = scheduler(10, 0, null);
    s.add(SVC, real(1), null, false, List.of(new CheckScheduler.Bound(tcp(KEEPALIVED), new Scripted())));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.add(SVC, real(1), null, false,
        List.of(new CheckScheduler.Bound(tcp(KEEPALIVED), new Scripted()))))
        .hasMessageContaining("10.0.0.1:80").hasMessageContaining("already checked");
  }
}
