package io.lbkit.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.net.Inet;
import io.lbkit.api.vrrp.VirtualAddress;
import io.lbkit.api.vrrp.VrrpInstanceSpec;
import io.lbkit.api.vrrp.VrrpState;
import io.lbkit.testing.FakeAddressManager;
import io.lbkit.testing.ManualClock;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Failover port over VrrpRouter, on an in-memory link and a manual clock. */
class VrrpFailoverTest {
  static final InetAddress VIP = Inet.parse("10.0.0.100");
  final ManualClock clock = new ManualClock();
  final InMemoryVrrpNetwork net = new InMemoryVrrpNetwork(clock, Duration.ZERO);
  final FakeAddressManager am = new FakeAddressManager("eth0");
  final VrrpInstanceSpec vi = VrrpInstanceSpec.builder("VI_1", "eth0", 51).priority(150)
      .virtualAddresses(List.of(VirtualAddress.of("10.0.0.100"))).build();

  VrrpFailover failover() {
    return VrrpFailover.create(() -> VrrpRouter.builder(net.host(Inet.parse("10.0.0.1")), am, clock)
        .notifyExecutor(Runnable::run).scriptExecutor(Runnable::run).linkStatus(i -> true));
  }

  @Test
  void alone_becomesMaster_holdsTheVip_andStopRemovesIt() throws Exception {
    VrrpFailover f = failover();
    f.setInstances(List.of(vi), List.of());
    assertThat(f.status().get("VI_1").state()).isEqualTo(VrrpState.BACKUP);
    clock.advance(Duration.ofSeconds(4));
    assertThat(f.status().get("VI_1")).isEqualTo(new io.lbkit.api.vrrp.Failover.InstanceStatus(VrrpState.MASTER, 150));
    assertThat(am.has("eth0", VIP)).isTrue();
    f.close();
    assertThat(am.has("eth0", VIP)).isFalse();
    assertThat(f.status()).isEmpty();
  }

  @Test
  void sameInstancesAgain_keepTheRunningRouter() throws Exception {
    VrrpFailover f = failover();
    f.setInstances(List.of(vi), List.of());
    VrrpRouter first = f.router();
    clock.advance(Duration.ofSeconds(4));
    f.setInstances(List.of(vi), List.of());
    assertThat(f.router()).isSameAs(first);
    assertThat(f.status().get("VI_1").state()).isEqualTo(VrrpState.MASTER);
    f.close();
  }

  @Test
  void changedPriority_appliedLive_sameRouter_masterKeepsTheVip() throws Exception {
    VrrpFailover f = failover();
    f.setInstances(List.of(vi), List.of());
    VrrpRouter first = f.router();
    clock.advance(Duration.ofSeconds(4));
    int changes = am.log().size();
    f.setInstances(List.of(vi.toBuilder().priority(200).build()), List.of());
    assertThat(f.router()).isSameAs(first);
    assertThat(f.status().get("VI_1")).isEqualTo(new io.lbkit.api.vrrp.Failover.InstanceStatus(VrrpState.MASTER, 200));
    assertThat(am.log()).hasSize(changes);
    f.close();
  }
}
