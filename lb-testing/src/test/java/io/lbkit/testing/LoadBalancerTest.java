package io.lbkit.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.LoadBalancer;
import io.lbkit.api.LoadBalancerSpec;
import io.lbkit.api.RealServer;
import io.lbkit.api.VirtualService;
import io.lbkit.api.vrrp.VirtualAddress;
import io.lbkit.api.vrrp.VrrpInstanceSpec;
import io.lbkit.api.vrrp.VrrpState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadBalancerTest {
  final FakeIpvs ipvs = new FakeIpvs();
  final ScriptedHealthChecking checks = new ScriptedHealthChecking();
  final FakeFailover vrrp = new FakeFailover();
  final VirtualService web = VirtualService.tcp("192.168.0.200", 80).rr().dr()
      .add(RealServer.of("192.168.0.61", 80).inhibitOnFailure(), RealServer.of("192.168.0.62", 80).inhibitOnFailure());
  final VrrpInstanceSpec vw = VrrpInstanceSpec.builder("V_W", "eth0", 51).preempt(false).authPass("1111")
      .virtualAddresses(List.of(VirtualAddress.of("192.168.0.200"))).build();
  final LoadBalancerSpec spec = LoadBalancerSpec.of(List.of(web)).withVrrpInstances(List.of(vw));

  LoadBalancer lb(boolean clearOnStop) {
    return LoadBalancer.builder(ipvs).healthChecking(checks::attach).failover(vrrp).clearOnStop(clearOnStop).build();
  }

  @Test
  void apply_startsVrrpChecksAndIpvs() throws Exception {
    try (LoadBalancer lb = lb(false)) {
      assertThat(lb.apply(spec).applied()).hasSize(3);
      assertThat(vrrp.instances()).containsExactly(vw);
      assertThat(checks.watchedKeys(web.key())).hasSize(2);
      assertThat(lb.status().vrrp().get("V_W").state()).isEqualTo(VrrpState.BACKUP);
    }
  }

  @Test
  void healthVerdict_reachesIpvs_andUserListeners() throws Exception {
    try (LoadBalancer lb = lb(false)) {
      List<String> heard = new ArrayList<>();
      lb.addHealthListener(e -> heard.add(e.real() + " " + e.up()));
      lb.apply(spec);
      checks.down(web.key(), web.realServers().get(0).key(), "connection refused");
      assertThat(ipvs.log()).last().isEqualTo("-e -t 192.168.0.200:80 -r 192.168.0.61:80 -g -w 0");
      assertThat(heard).containsExactly("192.168.0.61:80 false");
      assertThat(lb.status().toJson()).contains(
          "{\"real\":\"192.168.0.61:80\",\"up\":false,\"weight\":0,\"reason\":\"connection refused\"}");
    }
  }

  @Test
  void liveChange_addsOnlyTheNewServer_keepsVrrpAndChecksState() throws Exception {
    try (LoadBalancer lb = lb(false)) {
      lb.apply(spec);
      checks.down(web.key(), web.realServers().get(0).key(), "refused");
      vrrp.setState("V_W", VrrpState.MASTER);
      ipvs.clearLog();
      VirtualService more = web.add(RealServer.of("192.168.0.63", 80));
      lb.apply(spec.withVirtualServices(List.of(more)));
      assertThat(ipvs.log()).containsExactly("-a -t 192.168.0.200:80 -r 192.168.0.63:80 -g -w 1");
      assertThat(vrrp.updates()).as("VRRP untouched: no VIP flap").isEqualTo(1);
      assertThat(lb.status().vrrp().get("V_W").state()).isEqualTo(VrrpState.MASTER);
      assertThat(lb.director().view().get(0).reals().get(0).up()).as("health state kept").isFalse();
    }
  }

  @Test
  void changedPriority_isHandedToVrrp() throws Exception {
    try (LoadBalancer lb = lb(false)) {
      lb.apply(spec);
      lb.apply(spec.withVrrpInstances(List.of(vw.toBuilder().priority(150).build())));
      assertThat(vrrp.updates()).isEqualTo(2);
      assertThat(lb.status().vrrp().get("V_W").priority()).isEqualTo(150);
    }
  }

  @Test
  void close_stopsVrrpAndChecks_andClearsIpvsWhenAsked() throws Exception {
    LoadBalancer lb = lb(true);
    lb.apply(spec);
    lb.close();
    assertThat(vrrp.isClosed()).isTrue();
    assertThat(checks.isClosed()).isTrue();
    assertThat(ipvs.services()).isEmpty();
  }

  @Test
  void close_leavesIpvsRulesByDefault() throws Exception {
    LoadBalancer lb = lb(false);
    lb.apply(spec);
    lb.close();
    assertThat(ipvs.services()).hasSize(1);
  }

  @Test
  void withoutIpvs_runsVrrpOnly_andRefusesVirtualServers() throws Exception {
    try (LoadBalancer lb = LoadBalancer.builder().healthChecking(checks::attach).failover(vrrp).clearOnStop(true)
        .build()) {
      assertThat(lb.apply(LoadBalancerSpec.of(List.of()).withVrrpInstances(List.of(vw))).applied()).isEmpty();
      assertThat(vrrp.instances()).containsExactly(vw);
      assertThat(lb.status().services()).isEmpty();
      assertThat(lb.director()).isNull();
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> lb.apply(spec))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("built without IPVS");
    }
    assertThat(vrrp.isClosed()).isTrue();
  }
}
