package io.lbkit.checks;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.RealServer;
import io.lbkit.api.VirtualService;
import io.lbkit.api.check.CheckSpec;
import io.lbkit.api.check.CheckTarget;
import io.lbkit.api.check.CheckTiming;
import io.lbkit.api.check.CustomCheck;
import io.lbkit.api.check.HealthEvent;
import io.lbkit.testing.ManualClock;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MonitoredServicesTest {
  /** A checker that counts attempts and always answers up. */
  static final class Counting implements Checker {
    final AtomicInteger attempts = new AtomicInteger();

    @Override
    public String type() {
      return "COUNTING";
    }

    @Override
    public CompletionStage<CheckResult> check(CheckSpec spec, InetSocketAddress target, Duration timeout) {
      attempts.incrementAndGet();
      return CompletableFuture.completedFuture(CheckResult.up("ok"));
    }
  }

  final ManualClock clock = new ManualClock();
  final Counting checker = new Counting();
  final LinkedBlockingQueue<HealthEvent> events = new LinkedBlockingQueue<>();
  final CustomCheck check = new CustomCheck("COUNTING", Map.of(), CheckTiming.DEFAULT, CheckTarget.REAL_SERVER);
  final RealServer a = RealServer.of("10.0.0.1", 80).check(check);
  final RealServer b = RealServer.of("10.0.0.2", 80).check(check);
  final RealServer unchecked = RealServer.of("10.0.0.3", 80);
  final VirtualService web = VirtualService.tcp("192.168.0.200", 80).alpha(true).add(a, b, unchecked);

  MonitoredServices create() {
    return MonitoredServices.create(HealthMonitor.builder(clock).loadPlugins(false).checker(checker), events::add);
  }

  @Test
  void setServices_watchesCheckedServersOnly_andReportsTheirVerdicts() throws Exception {
    try (MonitoredServices s = create()) {
      s.setServices(List.of(web));
      assertThat(s.size()).isEqualTo(2);
      clock.advance(Duration.ofSeconds(61));
      HealthEvent first = events.poll(20, TimeUnit.SECONDS);
      assertThat(first).isNotNull();
      assertThat(s.monitor().isUp(web.key(), unchecked.key())).isNull();
    }
  }

  @Test
  void unchangedServers_keepTheirState_changedOnesAreRewatched_removedOnesStop() throws Exception {
    try (MonitoredServices s = create()) {
      s.setServices(List.of(web));
      clock.advance(Duration.ofSeconds(61));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (!(Boolean.TRUE.equals(s.monitor().isUp(web.key(), a.key()))
          && Boolean.TRUE.equals(s.monitor().isUp(web.key(), b.key()))) && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(s.monitor().isUp(web.key(), a.key())).isTrue();
      // b's checks change (another timing): re-watched and, with alpha, down again until checked;
      // a is untouched and stays up.
      RealServer b2 = b.checks(List.of(new CustomCheck("COUNTING", Map.of(), CheckTiming.DEFAULT.riseFall(2, 1),
          CheckTarget.REAL_SERVER)));
      s.setServices(List.of(web.put(b2).remove(unchecked.key())));
      assertThat(s.monitor().isUp(web.key(), a.key())).isTrue();
      assertThat(s.monitor().isUp(web.key(), b.key())).isFalse();
      s.setServices(List.of(web.remove(b.key()).remove(unchecked.key())));
      assertThat(s.size()).isEqualTo(1);
      assertThat(s.monitor().isUp(web.key(), b.key())).isNull();
    }
  }

  private void awaitUp(MonitoredServices s, VirtualService v, RealServer r) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!Boolean.TRUE.equals(s.monitor().isUp(v.key(), r.key())) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(s.monitor().isUp(v.key(), r.key())).isTrue();
  }

  @Test
  void reorderedOrEqualCopies_rewatchNothing_aRemovedServiceStops_andOthersKeepTheirState() throws Exception {
    VirtualService other = VirtualService.tcp("192.168.0.201", 80).alpha(true).add(a);
    try (MonitoredServices s = create()) {
      s.setServices(List.of(web, other));
      clock.advance(Duration.ofSeconds(61));
      awaitUp(s, web, a);
      awaitUp(s, other, a);
      // an equal copy built anew, in another order: still up (a re-watch would start alpha servers down)
      VirtualService otherCopy = VirtualService.tcp("192.168.0.201", 80).alpha(true).add(a);
      s.setServices(List.of(otherCopy, web));
      assertThat(s.monitor().isUp(web.key(), a.key())).isTrue();
      assertThat(s.monitor().isUp(other.key(), a.key())).isTrue();
      s.setServices(List.of(web));
      assertThat(s.monitor().isUp(other.key(), a.key())).isNull();
      assertThat(s.monitor().isUp(web.key(), a.key())).isTrue();
      assertThat(s.size()).isEqualTo(2);
    }
  }

  @Test
  void sameOrder_oneServiceEdited_rewatchesOnlyItsChangedServer() throws Exception {
    VirtualService other = VirtualService.tcp("192.168.0.201", 80).alpha(true).add(a, b);
    try (MonitoredServices s = create()) {
      s.setServices(List.of(web, other));
      clock.advance(Duration.ofSeconds(61));
      awaitUp(s, other, a);
      awaitUp(s, other, b);
      awaitUp(s, web, b);
      RealServer b2 = b.checks(List.of(new CustomCheck("COUNTING", Map.of(), CheckTiming.DEFAULT.riseFall(2, 1),
          CheckTarget.REAL_SERVER)));
      s.setServices(List.of(web, other.put(b2)));
      assertThat(s.monitor().isUp(other.key(), b.key())).isFalse(); // re-watched: alpha, down until checked
      assertThat(s.monitor().isUp(other.key(), a.key())).isTrue();
      assertThat(s.monitor().isUp(web.key(), b.key())).isTrue();
      assertThat(s.size()).isEqualTo(4);
    }
  }
}
