package io.lbkit.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lbkit.api.LoadBalancer;
import io.lbkit.api.LoadBalancerSpec;
import io.lbkit.api.RealServer;
import io.lbkit.api.VirtualService;
import io.lbkit.api.check.TcpCheck;
import io.lbkit.api.ipvs.Reconciliation;
import io.lbkit.api.kernel.BatchException;
import io.lbkit.api.kernel.UnknownSchedulerException;
import io.lbkit.api.vrrp.VirtualAddress;
import io.lbkit.api.vrrp.VrrpInstanceSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Nothing in a spec is ignored unless the builder said so; partial IPVS failures are thrown on request. */
class LoadBalancerOptOutTest {
  final FakeIpvs ipvs = new FakeIpvs();
  final ScriptedHealthChecking checks = new ScriptedHealthChecking();
  final VirtualService web = VirtualService.tcp("192.168.0.200", 80).rr().dr()
      .add(RealServer.of("192.168.0.61", 80), RealServer.of("192.168.0.62", 80));
  final VirtualService checked = VirtualService.tcp("192.168.0.201", 80).rr().dr().alpha(true)
      .add(RealServer.of("192.168.0.71", 80).check(TcpCheck.create()), RealServer.of("192.168.0.72", 80));
  final VrrpInstanceSpec vw = VrrpInstanceSpec.builder("V_W", "eth0", 51).authPass("1111")
      .virtualAddresses(List.of(VirtualAddress.of("192.168.0.200"))).build();

  @Test
  void apply_vrrpInstancesWithoutFailover_throwsNamingThemAndTheOptOut_andAppliesNothing() throws Exception {
    try (LoadBalancer lb = LoadBalancer.builder(ipvs).build()) {
      assertThatThrownBy(() -> lb.apply(LoadBalancerSpec.of(List.of(web)).withVrrpInstances(List.of(vw))))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("VRRP instances [V_W]")
          .hasMessageContaining("failover(...)").hasMessageContaining("withoutFailover()");
      assertThat(ipvs.services()).isEmpty();
    }
  }

  @Test
  void apply_withoutFailover_runsTheServices_andReportsNoVrrp() throws Exception {
    try (LoadBalancer lb = LoadBalancer.builder(ipvs).withoutFailover().build()) {
      lb.apply(LoadBalancerSpec.of(List.of(web)).withVrrpInstances(List.of(vw)));
      assertThat(ipvs.services()).hasSize(1);
      assertThat(lb.status().vrrp()).isEmpty();
    }
  }

  @Test
  void apply_checksWithoutHealthChecking_throwsNamingTheRealServerAndTheOptOut() throws Exception {
    try (LoadBalancer lb = LoadBalancer.builder(ipvs).build()) {
      assertThatThrownBy(() -> lb.apply(LoadBalancerSpec.of(List.of(web, checked))))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("real server 192.168.0.71:80 of TCP 192.168.0.201:80")
          .hasMessageContaining("healthChecking(...)").hasMessageContaining("withoutHealthChecks()");
      assertThat(ipvs.services()).isEmpty();
    }
  }

  @Test
  void apply_withoutHealthChecks_takesEveryRealServerAsUp_evenInAnAlphaService() throws Exception {
    try (LoadBalancer lb = LoadBalancer.builder(ipvs).withoutHealthChecks().build()) {
      lb.apply(LoadBalancerSpec.of(List.of(checked)));
      assertThat(ipvs.log()).contains("-a -t 192.168.0.201:80 -r 192.168.0.71:80 -g -w 1",
          "-a -t 192.168.0.201:80 -r 192.168.0.72:80 -g -w 1");
      assertThat(lb.director().view().get(0).reals()).allMatch(r -> r.up());
    }
  }

  @Test
  void apply_specWithoutVrrpOrChecks_needsNoOptOut() throws Exception {
    try (LoadBalancer lb = LoadBalancer.builder(ipvs).build()) {
      assertThat(lb.apply(LoadBalancerSpec.of(List.of(web))).isClean()).isTrue();
    }
  }

  @Test
  void build_failoverAndWithoutFailover_isRejected() {
    assertThatThrownBy(() -> LoadBalancer.builder(ipvs).failover(new FakeFailover()).withoutFailover().build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("both failover(...) and withoutFailover()");
    assertThatThrownBy(() -> LoadBalancer.builder(ipvs).healthChecking(checks::attach).withoutHealthChecks().build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("withoutHealthChecks()");
  }

  @Test
  void apply_partialFailure_isReturnedByDefault() throws Exception {
    ipvs.withoutScheduler("rr");
    try (LoadBalancer lb = LoadBalancer.builder(ipvs).build()) {
      Reconciliation r = lb.apply(LoadBalancerSpec.of(List.of(web, web(202).wlc())));
      assertThat(r.failed()).anyMatch(f -> f.error() instanceof UnknownSchedulerException);
      assertThat(ipvs.services()).hasSize(1);
    }
  }

  @Test
  void apply_partialFailure_withFailOnPartialApply_throwsBatchException_afterApplyingTheRest() throws Exception {
    ipvs.withoutScheduler("rr");
    try (LoadBalancer lb = LoadBalancer.builder(ipvs).failOnPartialApply(true).build()) {
      assertThatThrownBy(() -> lb.apply(LoadBalancerSpec.of(List.of(web, web(202).wlc()))))
          .isInstanceOf(BatchException.class)
          .hasMessageContaining("IPVS add service TCP 192.168.0.200:80 (-A -t 192.168.0.200:80 -s rr)")
          .hasMessageContaining("scheduler rr is not available");
      assertThat(ipvs.services()).as("the other service is applied").hasSize(1);
      assertThat(lb.director().services()).as("the spec is in effect").hasSize(2);
    }
  }

  private static VirtualService web(int last) {
    return VirtualService.tcp("192.168.0." + last, 80).dr().add(RealServer.of("192.168.0.61", 80));
  }
}
