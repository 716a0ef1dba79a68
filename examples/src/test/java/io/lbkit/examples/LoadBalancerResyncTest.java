package io.lbkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.LoadBalancer;
import io.lbkit.api.LoadBalancerSpec;
import io.lbkit.api.RealServer;
import io.lbkit.api.VirtualService;
import io.lbkit.api.check.HealthChecking;
import io.lbkit.api.check.HealthEvent;
import io.lbkit.api.ipvs.Ipvs;
import io.lbkit.api.ipvsadm.IpvsadmFormat;
import io.lbkit.testing.FakeIpvs;
import io.lbkit.testing.ManualClock;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** LoadBalancer's periodic resync (resyncEvery) on FakeIpvs and a manual clock. */
class LoadBalancerResyncTest {
  final ManualClock clock = new ManualClock();
  final FakeIpvs ipvs = new FakeIpvs();
  final RealServer rs1 = RealServer.of("192.168.0.61", 80).inhibitOnFailure();
  final VirtualService web = VirtualService.tcp("192.168.0.200", 80).rr().dr().add(rs1, RealServer.of("192.168.0.62", 80));
  Consumer<HealthEvent> fire;
  /** How many more changes the kernel refuses (ENOMEM), as when it is short of memory for a while. */
  final AtomicInteger refuse = new AtomicInteger();
  final Ipvs kernel = (Ipvs) Proxy.newProxyInstance(Ipvs.class.getClassLoader(), new Class<?>[] {Ipvs.class},
      (proxy, m, args) -> {
        if (m.getName().matches("apply|(add|update|delete)(Service|Dest)") && refuse.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
          ipvs.failNext(12);
        }
        try {
          return m.invoke(ipvs, args);
        } catch (InvocationTargetException e) {
          throw e.getCause();
        }
      });

  LoadBalancer lb() {
    return LoadBalancer.builder(kernel).resyncEvery(Duration.ofSeconds(30), clock)
        .healthChecking(listener -> {
          fire = listener;
          return new HealthChecking() {
            @Override
            public void setServices(Collection<VirtualService> services) {}

            @Override
            public void close() {}
          };
        }).build();
  }

  String table() throws Exception {
    return IpvsadmFormat.list(ipvs.info(), ipvs.services(), IpvsadmFormat.View.DEFAULT, true);
  }

  @Test
  void resync_putsBackARealServerDeletedBehindItsBack_atTheNextInterval() throws Exception {
    try (LoadBalancer lb = lb()) {
      lb.apply(LoadBalancerSpec.of(List.of(web)));
      ipvs.deleteDest(web.key(), rs1.key());
      clock.advance(Duration.ofSeconds(29));
      assertThat(table()).doesNotContain("192.168.0.61:80");
      clock.advance(Duration.ofSeconds(1));
      assertThat(table()).containsPattern("192\\.168\\.0\\.61:80 +Route +1 ");
      ipvs.deleteDest(web.key(), rs1.key());
      clock.advance(Duration.ofSeconds(30));
      assertThat(table()).as("and again: it keeps running").contains("192.168.0.61:80");
    }
  }

  @Test
  void resync_retriesAHealthChangeWhoseReconcileFailed() throws Exception {
    try (LoadBalancer lb = lb()) {
      lb.apply(LoadBalancerSpec.of(List.of(web)));
      refuse.set(2); // the weight-0 update (inhibit_on_failure) and the Director's own retry fail
      fire.accept(HealthEvent.down(web.key(), rs1.key(), "connection refused"));
      assertThat(table()).as("the failed update is only logged").containsPattern("192\\.168\\.0\\.61:80 +Route +1 ");
      clock.advance(Duration.ofSeconds(30));
      assertThat(table()).containsPattern("192\\.168\\.0\\.61:80 +Route +0 ");
    }
  }

  @Test
  void close_stopsTheResync() throws Exception {
    LoadBalancer lb = lb();
    lb.apply(LoadBalancerSpec.of(List.of(web)));
    lb.close();
    ipvs.deleteDest(web.key(), rs1.key());
    clock.advance(Duration.ofMinutes(5));
    assertThat(table()).doesNotContain("192.168.0.61:80");
    assertThat(clock.pending()).isZero();
  }

  @Test
  void resyncEvery_zero_isRejectedWithTheValue() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> LoadBalancer.builder(kernel).resyncEvery(Duration.ZERO, clock))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0S");
  }
}
