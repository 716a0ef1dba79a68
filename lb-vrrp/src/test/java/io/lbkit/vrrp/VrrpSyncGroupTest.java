package io.lbkit.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.net.Inet;
import io.lbkit.api.vrrp.VirtualAddress;
import io.lbkit.api.vrrp.VrrpInstanceSpec;
import io.lbkit.api.vrrp.VrrpState;
import io.lbkit.api.vrrp.VrrpSyncGroupSpec;
import io.lbkit.testing.FakeAddressManager;
import io.lbkit.testing.ManualClock;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** vrrp_sync_group members move together, as in keepalived (manual clock, in-memory link). */
class VrrpSyncGroupTest {
  static final InetAddress A = Inet.parse("10.0.0.1");
  static final InetAddress B = Inet.parse("10.0.0.2");
  static final VrrpSyncGroupSpec G = new VrrpSyncGroupSpec("G", List.of("VI_1", "VI_2"), null, null, null, null);

  final ManualClock clock = new ManualClock();
  final InMemoryVrrpNetwork net = new InMemoryVrrpNetwork(clock, Duration.ZERO);
  final List<String> events = new ArrayList<>();

  static VrrpInstanceSpec vi(String name, int vrid, int prio, String vip) {
    return VrrpInstanceSpec.builder(name, "eth0", vrid).priority(prio)
        .virtualAddresses(List.of(VirtualAddress.of(vip))).build();
  }

  VrrpRouter started(String host, InetAddress addr, FakeAddressManager am, List<VrrpSyncGroupSpec> groups,
      VrrpInstanceSpec... specs) throws Exception {
    VrrpRouter.Builder b = VrrpRouter.builder(net.host(addr), am, clock).notifyExecutor(Runnable::run)
        .scriptExecutor(Runnable::run).linkStatus(i -> true)
        .listener((name, from, to, why) -> events.add(host + " " + name + " " + from + "->" + to));
    for (VrrpInstanceSpec s : specs) {
      b.instance(s);
    }
    groups.forEach(b::syncGroup);
    VrrpRouter r = b.build();
    r.start();
    return r;
  }

  @Test
  void memberPreempted_othersFollowToBackup_andStayThereWhileItHearsTheMaster() throws Exception {
    FakeAddressManager amA = new FakeAddressManager("eth0");
    VrrpRouter a = started("a", A, amA, List.of(G), vi("VI_1", 51, 150, "10.0.0.100"),
        vi("VI_2", 52, 150, "10.0.0.101"));
    clock.advance(Duration.ofSeconds(5));
    assertThat(a.instances()).allMatch(i -> i.state() == VrrpState.MASTER);

    VrrpRouter b = started("b", B, new FakeAddressManager("eth0"), List.of(), vi("VI_1", 51, 200, "10.0.0.100"));
    clock.advance(Duration.ofSeconds(4)); // b preempts VI_1; a's VI_2 follows its group to BACKUP

    assertThat(b.instance("VI_1").state()).isEqualTo(VrrpState.MASTER);
    assertThat(a.instance("VI_1").state()).isEqualTo(VrrpState.BACKUP);
    assertThat(a.instance("VI_2").state()).isEqualTo(VrrpState.BACKUP);
    assertThat(amA.has("eth0", Inet.parse("10.0.0.101"))).isFalse();
    clock.advance(Duration.ofSeconds(20)); // nobody serves VRID 52, but the group prefers BACKUP to thrashing
    assertThat(a.instance("VI_2").state()).isEqualTo(VrrpState.BACKUP);
    assertThat(events).filteredOn(e -> e.startsWith("a VI_2")).containsExactly("a VI_2 INIT->BACKUP",
        "a VI_2 BACKUP->MASTER", "a VI_2 MASTER->BACKUP");
    a.close();
    b.close();
  }

  @Test
  void groupBecomesMaster_onlyWhenEveryMemberWantsTo_thenTogether() throws Exception {
    VrrpRouter b = started("b", B, new FakeAddressManager("eth0"), List.of(), vi("VI_1", 51, 200, "10.0.0.100"));
    clock.advance(Duration.ofSeconds(4));
    FakeAddressManager amA = new FakeAddressManager("eth0");
    VrrpRouter a = started("a", A, amA, List.of(G), vi("VI_1", 51, 150, "10.0.0.100"),
        vi("VI_2", 52, 150, "10.0.0.101"));
    clock.advance(Duration.ofSeconds(10)); // VI_2's timer ran out long ago; VI_1 still hears b

    assertThat(a.instances()).allMatch(i -> i.state() == VrrpState.BACKUP);
    assertThat(a.instance("VI_2").fsm().wantsMaster()).isTrue();

    b.close(); // priority 0: a's VI_1 takes over after its skew time and pulls VI_2 along
    clock.advance(Duration.ofMillis(500));

    assertThat(a.instances()).allMatch(i -> i.state() == VrrpState.MASTER);
    assertThat(amA.has("eth0", Inet.parse("10.0.0.100"))).isTrue();
    assertThat(amA.has("eth0", Inet.parse("10.0.0.101"))).isTrue();
    a.close();
  }
}
