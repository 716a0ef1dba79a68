package io.lbkit.vrrp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lbkit.api.Family;
import io.lbkit.api.net.Inet;
import io.lbkit.api.vrrp.VirtualAddress;
import io.lbkit.api.vrrp.VrrpInstanceSpec;
import io.lbkit.api.vrrp.VrrpState;
import io.lbkit.testing.FakeAddressManager;
import io.lbkit.testing.ManualClock;
import io.lbkit.vrrp.internal.VrrpCodec;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Live changes of a running router ({@link VrrpRouter#reconfigure}), on a manual clock. */
class VrrpLiveChangeTest {
  static final InetAddress A = Inet.parse("10.0.0.1");
  static final InetAddress B = Inet.parse("10.0.0.2");
  static final InetAddress VIP = Inet.parse("10.0.0.100");
  static final InetAddress VIP2 = Inet.parse("10.0.0.101");

  final ManualClock clock = new ManualClock();
  final InMemoryVrrpNetwork net = new InMemoryVrrpNetwork(clock, Duration.ZERO);
  final List<String> events = new ArrayList<>();
  /** Adverts on the wire as "vrid/priority from address". */
  final List<String> wire = new ArrayList<>();

  @BeforeEach
  void sniff() throws Exception {
    net.host(Inet.parse("10.0.0.9")).open("eth0", Family.INET, Inet.parse("224.0.0.18"), null,
        (buf, src, dst, ttl) -> {
          var d = VrrpCodec.decode(buf, src, dst, ttl);
          wire.add(d.packet().vrid() + "/" + d.packet().priority() + " from " + Inet.format(src));
        });
  }

  static VrrpInstanceSpec.Builder spec(String name, int vrid, int prio, String... vips) {
    return VrrpInstanceSpec.builder(name, "eth0", vrid).priority(prio)
        .virtualAddresses(java.util.Arrays.stream(vips).map(VirtualAddress::of).toList());
  }

  /** A route table that shares the address manager's change log, so that the order of both shows. */
  static final class Routes implements io.lbkit.api.net.RouteManager {
    final java.util.Set<io.lbkit.api.net.Route> table = new java.util.LinkedHashSet<>();
    final List<String> log;

    Routes(List<String> log) {
      this.log = log;
    }

    @Override
    public io.lbkit.api.net.AddressManager.Change add(io.lbkit.api.net.Route r) {
      log.add("route add " + Inet.format(r.destination()) + "/" + r.prefixLength());
      return table.add(r) ? io.lbkit.api.net.AddressManager.Change.DONE : io.lbkit.api.net.AddressManager.Change.ALREADY;
    }

    @Override
    public io.lbkit.api.net.AddressManager.Change remove(io.lbkit.api.net.Route r) {
      log.add("route del " + Inet.format(r.destination()) + "/" + r.prefixLength());
      return table.remove(r) ? io.lbkit.api.net.AddressManager.Change.DONE
          : io.lbkit.api.net.AddressManager.Change.ALREADY;
    }
  }

  final List<String> kernel = new ArrayList<>();
  final Routes routes = new Routes(kernel);

  VrrpRouter started(String host, InetAddress addr, FakeAddressManager am, VrrpInstanceSpec... specs)
      throws Exception {
    VrrpRouter.Builder b = VrrpRouter.builder(net.host(addr), am, clock).routes(routes).notifyExecutor(Runnable::run)
        .scriptExecutor(Runnable::run).linkStatus(i -> true)
        .listener((name, from, to, why) -> events.add(host + " " + name + " " + from + "->" + to));
    for (VrrpInstanceSpec s : specs) {
      b.instance(s);
    }
    VrrpRouter r = b.build();
    r.start();
    return r;
  }

  @Test
  void priorityChange_masterStaysMaster_noVipRemoved_newPriorityInNextAdvert() throws Exception {
    FakeAddressManager am = new FakeAddressManager("eth0");
    VrrpRouter a = started("a", A, am, spec("VI_1", 51, 150, "10.0.0.100").build());
    clock.advance(Duration.ofSeconds(5));
    assertThat(a.instance("VI_1").state()).isEqualTo(VrrpState.MASTER);
    int logBefore = am.log().size();
    events.clear();
    wire.clear();

    a.reconfigure(List.of(spec("VI_1", 51, 120, "10.0.0.100").build()), List.of());
    clock.runDue();
    assertThat(wire).isEmpty(); // not sent at once: the next advert carries it
    clock.advance(Duration.ofSeconds(1));

    assertThat(a.instance("VI_1").state()).isEqualTo(VrrpState.MASTER);
    assertThat(a.instance("VI_1").effectivePriority()).isEqualTo(120);
    assertThat(wire).containsExactly("51/120 from 10.0.0.1");
    assertThat(am.log().subList(logBefore, am.log().size())).isEmpty();
    assertThat(am.has("eth0", VIP)).isTrue();
    assertThat(events).isEmpty();
    a.close();
  }

  @Test
  void priorityLoweredBelowPreemptingBackup_backupTakesOver() throws Exception {
    FakeAddressManager amA = new FakeAddressManager("eth0");
    FakeAddressManager amB = new FakeAddressManager("eth0");
    VrrpRouter a = started("a", A, amA, spec("VI_1", 51, 150, "10.0.0.100").build());
    VrrpRouter b = started("b", B, amB, spec("VI_1", 51, 100, "10.0.0.100").build());
    clock.advance(Duration.ofSeconds(5));
    assertThat(a.instance("VI_1").state()).isEqualTo(VrrpState.MASTER);

    a.reconfigure(List.of(spec("VI_1", 51, 50, "10.0.0.100").build()), List.of());
    clock.advance(Duration.ofSeconds(5)); // b discards the lower adverts; its master-down timer runs out

    assertThat(b.instance("VI_1").state()).isEqualTo(VrrpState.MASTER);
    assertThat(a.instance("VI_1").state()).isEqualTo(VrrpState.BACKUP);
    assertThat(amB.has("eth0", VIP)).isTrue();
    assertThat(amA.has("eth0", VIP)).isFalse();
    a.close();
    b.close();
  }

  @Test
  void vipsChanged_onMaster_onlyTheDifferenceApplied_newOneAnnounced() throws Exception {
    FakeAddressManager am = new FakeAddressManager("eth0");
    VrrpRouter a = started("a", A, am, spec("VI_1", 51, 150, "10.0.0.100", "10.0.0.102").build());
    clock.advance(Duration.ofSeconds(5));
    int logBefore = am.log().size();
    int garpsBefore = net.announcements().size();

    a.reconfigure(List.of(spec("VI_1", 51, 150, "10.0.0.100", "10.0.0.101").build()), List.of());

    assertThat(am.log().subList(logBefore, am.log().size()))
        .containsExactly("del eth0 10.0.0.102/32", "add eth0 10.0.0.101/32");
    assertThat(am.has("eth0", VIP)).isTrue();
    assertThat(net.announcements().subList(garpsBefore, net.announcements().size()))
        .isNotEmpty().allMatch(s -> s.equals("garp eth0 10.0.0.101 from 10.0.0.1"));
    assertThat(a.instance("VI_1").state()).isEqualTo(VrrpState.MASTER);
    a.close();
  }

  @Test
  void addedInstance_starts_othersUntouched() throws Exception {
    FakeAddressManager am = new FakeAddressManager("eth0");
    VrrpInstanceSpec one = spec("VI_1", 51, 150, "10.0.0.100").build();
    VrrpRouter a = started("a", A, am, one);
    clock.advance(Duration.ofSeconds(5));
    VrrpInstance first = a.instance("VI_1");
    events.clear();

    a.reconfigure(List.of(one, spec("VI_2", 52, 150, "10.0.0.101").build()), List.of());
    assertThat(a.instance("VI_2").state()).isEqualTo(VrrpState.BACKUP);
    clock.advance(Duration.ofSeconds(4));

    assertThat(a.instance("VI_2").state()).isEqualTo(VrrpState.MASTER);
    assertThat(am.has("eth0", VIP2)).isTrue();
    assertThat(a.instance("VI_1")).isSameAs(first);
    assertThat(events).containsExactly("a VI_2 INIT->BACKUP", "a VI_2 BACKUP->MASTER");
    a.close();
  }

  @Test
  void removedInstance_sendsPriorityZero_removesItsVips_backupTakesOverAfterSkew() throws Exception {
    FakeAddressManager amA = new FakeAddressManager("eth0");
    VrrpInstanceSpec one = spec("VI_1", 51, 150, "10.0.0.100").build();
    VrrpInstanceSpec two = spec("VI_2", 52, 150, "10.0.0.101").build();
    VrrpRouter a = started("a", A, amA, one, two);
    VrrpRouter b = started("b", B, new FakeAddressManager("eth0"), spec("VI_2", 52, 100, "10.0.0.101").build());
    clock.advance(Duration.ofSeconds(5));
    wire.clear();

    a.reconfigure(List.of(one), List.of());
    clock.runDue(); // delivery

    assertThat(wire).containsExactly("52/0 from 10.0.0.1");
    assertThat(amA.has("eth0", VIP2)).isFalse();
    assertThat(amA.has("eth0", VIP)).isTrue();
    assertThat(a.instances()).extracting(VrrpInstance::name).containsExactly("VI_1");
    clock.advance(Duration.ofMillis(610)); // skew at priority 100
    assertThat(b.instance("VI_2").state()).isEqualTo(VrrpState.MASTER);
    assertThat(a.instance("VI_1").state()).isEqualTo(VrrpState.MASTER);
    a.close();
    b.close();
  }

  @Test
  void vridChanged_instanceReplaced_oldVridSaysPriorityZero() throws Exception {
    FakeAddressManager am = new FakeAddressManager("eth0");
    VrrpRouter a = started("a", A, am, spec("VI_1", 51, 150, "10.0.0.100").build());
    clock.advance(Duration.ofSeconds(5));
    wire.clear();

    a.reconfigure(List.of(spec("VI_1", 61, 150, "10.0.0.100").build()), List.of());
    clock.runDue(); // delivery

    assertThat(wire).containsExactly("51/0 from 10.0.0.1");
    assertThat(a.instance("VI_1").spec().vrid()).isEqualTo(61);
    clock.advance(Duration.ofSeconds(4));
    assertThat(a.instance("VI_1").state()).isEqualTo(VrrpState.MASTER);
    assertThat(wire).contains("61/150 from 10.0.0.1");
    a.close();
  }

  @Test
  void invalidChange_duplicateVrid_rejected_nothingChanged() throws Exception {
    FakeAddressManager am = new FakeAddressManager("eth0");
    VrrpInstanceSpec one = spec("VI_1", 51, 150, "10.0.0.100").build();
    VrrpRouter a = started("a", A, am, one);
    clock.advance(Duration.ofSeconds(5));

    assertThatThrownBy(() -> a.reconfigure(List.of(one.toBuilder().priority(10).build(),
        spec("VI_2", 51, 150, "10.0.0.101").build()), List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("VI_2").hasMessageContaining("VRID 51");

    assertThat(a.instance("VI_1").spec()).isEqualTo(one);
    assertThat(a.instances()).hasSize(1);
    a.close();
  }

  @Test
  void virtualRoutes_heldOnlyByMaster_changedLive_removedOnStop() throws Exception {
    FakeAddressManager am = new FakeAddressManager("eth0");
    var r1 = io.lbkit.api.net.Route.via("192.168.50.0/24", "10.0.0.254");
    var r2 = io.lbkit.api.net.Route.dev("192.168.60.0/24", "eth0");
    VrrpRouter a = started("a", A, am, spec("VI_1", 51, 150, "10.0.0.100").virtualRoutes(List.of(r1)).build());
    assertThat(routes.table).isEmpty(); // backup holds nothing
    clock.advance(Duration.ofSeconds(5));
    assertThat(routes.table).containsExactly(r1);

    a.reconfigure(List.of(spec("VI_1", 51, 150, "10.0.0.100").virtualRoutes(List.of(r2)).build()), List.of());
    assertThat(routes.table).containsExactly(r2);
    assertThat(am.has("eth0", VIP)).isTrue();

    a.close();
    assertThat(routes.table).isEmpty();
    assertThat(kernel).containsExactly("route add 192.168.50.0/24", "route del 192.168.50.0/24",
        "route add 192.168.60.0/24", "route del 192.168.60.0/24");
    assertThat(am.has("eth0", VIP)).isFalse();
  }
}
