package io.lbkit.checks;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.RealServerKey;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.check.CheckSpec;
import io.lbkit.api.check.CheckTarget;
import io.lbkit.api.check.CheckTiming;
import io.lbkit.api.check.CustomCheck;
import io.lbkit.testing.ManualClock;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link CheckObserver}: each attempt's outcome, duration and lag, on a manual clock. */
class CheckObserverTest {
  record Attempt(RealServerKey real, String type, boolean up, long nanos, long lagNanos) {}

  /** Answers when the test says so. */
  static final class Held implements Checker {
    final LinkedBlockingQueue<CompletableFuture<CheckResult>> pending = new LinkedBlockingQueue<>();

    @Override
    public String type() {
      return "HELD";
    }

    @Override
    public CompletionStage<CheckResult> check(CheckSpec spec, InetSocketAddress target, Duration timeout) {
      CompletableFuture<CheckResult> f = new CompletableFuture<>();
      pending.add(f);
      return f;
    }
  }

  final ManualClock clock = new ManualClock();
  final Held checker = new Held();
  final LinkedBlockingQueue<Attempt> attempts = new LinkedBlockingQueue<>();
  final ServiceKey svc = ServiceKey.of(io.lbkit.api.Protocol.TCP, io.lbkit.api.net.Inet.parse("192.168.0.200"), 80);
  final RealServerKey a = RealServerKey.of("10.0.0.1", 80);
  final RealServerKey b = RealServerKey.of("10.0.0.2", 80);
  final CustomCheck check = new CustomCheck("HELD", Map.of(), CheckTiming.DEFAULT, CheckTarget.REAL_SERVER);

  @Test
  void attempts_reportOutcomeDurationAndLag_includingTheWaitForASlot() throws Exception {
    try (HealthMonitor m = HealthMonitor.builder(clock).loadPlugins(false).checker(checker).maxConcurrent(1)
        .observer((s, r, type, result, nanos, lag) -> attempts.add(new Attempt(r, type, result.up(), nanos, lag)))
        .build()) {
      m.watch(HealthMonitor.Backend.of(svc, a), List.of(check));
      m.watch(HealthMonitor.Backend.of(svc, b), List.of(check));
      clock.advance(Duration.ofMillis(1)); // both were due at 0 and ran then; one slot: a runs, b waits
      CompletableFuture<CheckResult> first = checker.pending.poll(5, TimeUnit.SECONDS);
      assertThat(first).isNotNull();
      assertThat(checker.pending).isEmpty();

      clock.advance(Duration.ofMillis(300));
      first.complete(CheckResult.up("ok"));
      Attempt ra = attempts.poll(5, TimeUnit.SECONDS);
      assertThat(ra).isEqualTo(new Attempt(a, "HELD", true, TimeUnit.MILLISECONDS.toNanos(301), 0));

      CompletableFuture<CheckResult> second = checker.pending.poll(5, TimeUnit.SECONDS);
      assertThat(second).as("b starts when a's slot is free").isNotNull();
      clock.advance(Duration.ofMillis(50));
      second.complete(CheckResult.down("refused"));
      Attempt rb = attempts.poll(5, TimeUnit.SECONDS);
      assertThat(rb).isEqualTo(new Attempt(b, "HELD", false, TimeUnit.MILLISECONDS.toNanos(50),
          TimeUnit.MILLISECONDS.toNanos(301)));
    }
  }
}
