package io.lbkit.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.Family;
import io.lbkit.api.net.Inet;
import io.lbkit.api.vrrp.TrackedScript;
import io.lbkit.api.vrrp.VirtualAddress;
import io.lbkit.api.vrrp.VrrpInstanceSpec;
import io.lbkit.api.vrrp.VrrpState;
import io.lbkit.api.vrrp.VrrpSyncGroupSpec;
import io.lbkit.testing.FakeAddressManager;
import io.lbkit.testing.ManualClock;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Routers on an in-memory link, on a manual clock. */
class VrrpRouterTest {
  static final InetAddress A = Inet.parse("10.0.0.1");
  static final InetAddress B = Inet.parse("10.0.0.2");
  static final InetAddress VIP = Inet.parse("10.0.0.100");

  final ManualClock clock = new ManualClock();
  final InMemoryVrrpNetwork net = new InMemoryVrrpNetwork(clock, Duration.ZERO);
  final List<String> events = new ArrayList<>();
  final List<List<String>> ran = new ArrayList<>();
  final Set<String> downLinks = new HashSet<>();
  final AtomicInteger scriptExit = new AtomicInteger();

  static VrrpInstanceSpec.Builder spec(int prio) {
    return VrrpInstanceSpec.builder("VI_1", "eth0", 51).priority(prio)
        .virtualAddresses(List.of(VirtualAddress.of("10.0.0.100")));
  }

  VrrpRouter router(String host, InetAddress addr, FakeAddressManager am, VrrpInstanceSpec... specs) {
    VrrpRouter.Builder b = VrrpRouter.builder(net.host(addr), am, clock).notifyExecutor(Runnable::run)
        .scriptExecutor(Runnable::run).linkStatus(i -> !downLinks.contains(host + ":" + i))
        .processRunner((argv, timeout) -> {
          if (argv.get(0).equals("/bin/check")) {
            return scriptExit.get();
          }
          ran.add(argv);
          return 0;
        })
        .listener((name, from, to, why) -> events.add(host + " " + name + " " + from + "->" + to + " @"
            + clock.nanoTime() / 1_000_000));
    for (VrrpInstanceSpec s : specs) {
      b.instance(s);
    }
    return b.build();
  }

  static FakeAddressManager am() {
    return new FakeAddressManager("eth0", "eth1");
  }

  VrrpRouter started(String host, InetAddress addr, FakeAddressManager am, VrrpInstanceSpec... specs)
      throws Exception {
    VrrpRouter r = router(host, addr, am, specs);
    r.start();
    return r;
  }

  @Test
  void election_higherPriorityBecomesMaster_vipOnlyOnMaster_garpRepeated() throws Exception {
    FakeAddressManager amA = am();
    FakeAddressManager amB = am();
    VrrpRouter a = started("a", A, amA, spec(150).build());
    VrrpRouter b = started("b", B, amB, spec(100).build());
    clock.advance(Duration.ofSeconds(4));
    assertThat(a.instance("VI_1").state()).isEqualTo(VrrpState.MASTER);
    assertThat(b.instance("VI_1").state()).isEqualTo(VrrpState.BACKUP);
    assertThat(amA.has("eth0", VIP)).isTrue();
    assertThat(amB.has("eth0", VIP)).isFalse();
    assertThat(net.announcements()).hasSize(5).allMatch(s -> s.equals("garp eth0 10.0.0.100 from 10.0.0.1"));
    clock.advance(Duration.ofSeconds(5)); // garp_master_delay 5 s, repeat 5
    assertThat(net.announcements()).hasSize(10);
    assertThat(events).containsExactly("a VI_1 INIT->BACKUP @0", "b VI_1 INIT->BACKUP @0", "a VI_1 BACKUP->MASTER @3414");
    assertThat(b.instance("VI_1").masterAddress()).isEqualTo(A);
  }

  @Test
  void gracefulStop_backupTakesOverAfterSkewOnly_vipRemoved() throws Exception {
    FakeAddressManager amA = am();
    VrrpRouter a = started("a", A, amA, spec(150).build());
    VrrpRouter b = started("b", B, am(), spec(100).build());
    clock.advance(Duration.ofMillis(4500));
    a.close();
    assertThat(amA.has("eth0", VIP)).isFalse();
    assertThat(a.instance("VI_1").state()).isEqualTo(VrrpState.STOP);
    clock.advance(Duration.ofMillis(609)); // skew at 100 = 609.375 ms
    assertThat(b.instance("VI_1").state()).isEqualTo(VrrpState.BACKUP);
    clock.advance(Duration.ofMillis(1));
    assertThat(b.instance("VI_1").state()).isEqualTo(VrrpState.MASTER);
  }

  @Test
  void masterVanishes_backupTakesOverAtMasterDownAfterLastAdvert() throws Exception {
    VrrpRouter a = started("a", A, am(), spec(150).build());
    VrrpRouter b = started("b", B, am(), spec(100).build());
    clock.advance(Duration.ofMillis(5500)); // master at 3.4140625 s (skew 106/256 s), adverts on the grid: 4, 5 s
    net.cut(A);
    clock.advance(Duration.ofMillis(3109)); // 5 + 3.609375 = 8.609375
    assertThat(b.instance("VI_1").state()).isEqualTo(VrrpState.BACKUP);
    clock.advance(Duration.ofMillis(1));
    assertThat(b.instance("VI_1").state()).isEqualTo(VrrpState.MASTER);
    assertThat(a.instance("VI_1").state()).isEqualTo(VrrpState.MASTER);
  }

  @Test
  void linkCutAndHeal_exactlyOneMasterAfterHealing() throws Exception {
    VrrpRouter a = started("a", A, am(), spec(150).build());
    VrrpRouter b = started("b", B, am(), spec(100).build());
    clock.advance(Duration.ofSeconds(4));
    net.cut(B);
    clock.advance(Duration.ofSeconds(5));
    assertThat(b.instance("VI_1").state()).isEqualTo(VrrpState.MASTER);
    net.heal(B);
    clock.advance(Duration.ofSeconds(2));
    assertThat(a.instance("VI_1").state()).isEqualTo(VrrpState.MASTER);
    assertThat(b.instance("VI_1").state()).isEqualTo(VrrpState.BACKUP);
  }

  @Test
  void equalPriority_largerAddressWinsComparedUnsigned() throws Exception {
    InetAddress big = Inet.parse("10.0.0.200");
    VrrpRouter a = started("a", A, am(), spec(100).build());
    VrrpRouter c = started("c", big, am(), spec(100).build());
    net.cut(big); // both become master while apart ...
    clock.advance(Duration.ofSeconds(5));
    assertThat(a.instance("VI_1").state()).isEqualTo(VrrpState.MASTER);
    assertThat(c.instance("VI_1").state()).isEqualTo(VrrpState.MASTER);
    net.heal(big); // ... and on healing the larger address (200 > 1, unsigned) stays master
    clock.advance(Duration.ofSeconds(2));
    assertThat(c.instance("VI_1").state()).isEqualTo(VrrpState.MASTER);
    assertThat(a.instance("VI_1").state()).isEqualTo(VrrpState.BACKUP);
  }

  @Test
  void nopreempt_higherPriorityJoiningLater_staysBackup() throws Exception {
    VrrpRouter b = started("b", B, am(), spec(100).build());
    clock.advance(Duration.ofSeconds(4));
    VrrpRouter a = started("a", A, am(), spec(150).preempt(false).build());
    clock.advance(Duration.ofSeconds(10));
    assertThat(b.instance("VI_1").state()).isEqualTo(VrrpState.MASTER);
    assertThat(a.instance("VI_1").state()).isEqualTo(VrrpState.BACKUP);
  }

  @Test
  void preempt_higherPriorityJoiningLater_takesOver() throws Exception {
    VrrpRouter b = started("b", B, am(), spec(100).build());
    clock.advance(Duration.ofSeconds(4));
    VrrpRouter a = started("a", A, am(), spec(150).build());
    clock.advance(Duration.ofMillis(3414));
    assertThat(a.instance("VI_1").state()).isEqualTo(VrrpState.BACKUP);
    clock.advance(Duration.ofMillis(1)); // 3 s + 106/256 s after A started, B's adverts ignored
    assertThat(a.instance("VI_1").state()).isEqualTo(VrrpState.MASTER);
    assertThat(b.instance("VI_1").state()).isEqualTo(VrrpState.BACKUP);
  }

  @Test
  void v3At50ms_takeoverWithinMasterDownOfLastAdvert() throws Exception {
    VrrpInstanceSpec sa = spec(150).version(3).advertInterval(Duration.ofMillis(50)).build();
    VrrpInstanceSpec sb = spec(100).version(3).advertInterval(Duration.ofMillis(50)).build();
    VrrpRouter a = started("a", A, am(), sa);
    VrrpRouter b = started("b", B, am(), sb);
    clock.advance(Duration.ofMillis(1000));
    // A master at 150 + 20.703 ms (skew 106 × 50 ms / 256), then adverts on the 50 ms grid: the last at 1000 ms;
    // B's master-down interval is 150 + 30.468 ms, so B takes over at 1180.468 ms.
    net.cut(A);
    clock.advance(Duration.ofMillis(180));
    assertThat(b.instance("VI_1").state()).isEqualTo(VrrpState.BACKUP);
    clock.advance(Duration.ofMillis(1));
    assertThat(b.instance("VI_1").state()).isEqualTo(VrrpState.MASTER);
    assertThat(b.instance("VI_1").counters()).containsEntry("checksum_pseudo_header", 18L); // the takeover advert and 200..1000 ms
  }

  @Test
  void v3Ipv6_electsAndAnnouncesWithNeighbourAdvertisement() throws Exception {
    InetAddress a6 = Inet.parse("fe80::1");
    InetAddress b6 = Inet.parse("fe80::2");
    VrrpInstanceSpec s = VrrpInstanceSpec.builder("VI_6", "eth0", 7).version(3).family(Family.INET6)
        .virtualAddresses(List.of(VirtualAddress.of("2001:db8::100"))).build();
    VrrpRouter a = started("a", a6, am(), s.toBuilder().priority(200).build());
    VrrpRouter b = started("b", b6, am(), s);
    clock.advance(Duration.ofSeconds(4));
    assertThat(a.instance("VI_6").state()).isEqualTo(VrrpState.MASTER);
    assertThat(b.instance("VI_6").state()).isEqualTo(VrrpState.BACKUP);
    assertThat(net.announcements()).first().isEqualTo("na eth0 2001:db8::100 from fe80::1");
  }

  @Test
  void authMismatch_droppedAndCounted_bothBecomeMaster() throws Exception {
    VrrpRouter a = started("a", A, am(), spec(150).authPass("secret1").build());
    VrrpRouter b = started("b", B, am(), spec(100).authPass("secret2").build());
    clock.advance(Duration.ofSeconds(5));
    assertThat(b.instance("VI_1").state()).isEqualTo(VrrpState.MASTER);
    assertThat(b.instance("VI_1").counters().get("dropped_auth")).isPositive();
  }

  @Test
  void samePassword_interoperates() throws Exception {
    VrrpRouter a = started("a", A, am(), spec(150).authPass("1111").build());
    VrrpRouter b = started("b", B, am(), spec(100).authPass("1111").build());
    clock.advance(Duration.ofSeconds(6));
    assertThat(b.instance("VI_1").state()).isEqualTo(VrrpState.BACKUP);
    assertThat(b.instance("VI_1").counters().get("received")).isPositive();
  }

  @Test
  void v2IntervalMismatch_droppedAndCounted() throws Exception {
    VrrpRouter a = started("a", A, am(), spec(150).advertInterval(Duration.ofSeconds(2)).build());
    VrrpRouter b = started("b", B, am(), spec(100).build());
    clock.advance(Duration.ofSeconds(8));
    assertThat(b.instance("VI_1").counters().get("dropped_interval")).isPositive();
  }

  @Test
  void addressListMismatch_v2Dropped() throws Exception {
    VrrpRouter a = started("a", A, am(), spec(150).virtualAddresses(List.of(VirtualAddress.of("10.0.0.101"))).build());
    VrrpRouter b = started("b", B, am(), spec(100).build());
    clock.advance(Duration.ofSeconds(5));
    assertThat(b.instance("VI_1").counters().get("dropped_address_list")).isPositive();
    assertThat(b.instance("VI_1").state()).isEqualTo(VrrpState.MASTER);
  }

  @Test
  void otherVrid_countedAsUnmatched() throws Exception {
    VrrpRouter a = started("a", A, am(), spec(150).build());
    VrrpRouter b = started("b", B, am(), VrrpInstanceSpec.builder("VI_2", "eth0", 52).build());
    clock.advance(Duration.ofSeconds(5));
    assertThat(b.unmatchedDrops()).containsKey("eth0");
    assertThat(b.unmatchedDrops().get("eth0")).containsKey("vrid");
  }

  @Test
  void notifyScripts_runWithKeepalivedArguments() throws Exception {
    VrrpInstanceSpec.Builder sb = spec(150);
    sb.notifyMaster = "/etc/keepalived/master.sh 'two words'";
    sb.notify = "/usr/bin/notify";
    sb.notifyStop = "/bin/stopped";
    VrrpRouter a = started("a", A, am(), sb.build());
    clock.advance(Duration.ofSeconds(4));
    a.close();
    assertThat(ran).containsExactly(
        List.of("/usr/bin/notify", "INSTANCE", "VI_1", "BACKUP", "150"),
        List.of("/etc/keepalived/master.sh", "two words"),
        List.of("/usr/bin/notify", "INSTANCE", "VI_1", "MASTER", "150"),
        List.of("/bin/stopped"),
        List.of("/usr/bin/notify", "INSTANCE", "VI_1", "STOP", "150"));
  }

  @Test
  void trackedScriptFailing_weightLowersPriority_backupPreempts() throws Exception {
    TrackedScript chk = new TrackedScript("chk", List.of("/bin/check"), Duration.ofSeconds(1), Duration.ofSeconds(1),
        -60, 1, 2, null);
    VrrpInstanceSpec.Builder sa = spec(150);
    sa.trackScripts = Map.of("chk", java.util.OptionalInt.empty()); // the script's own weight, -60
    VrrpRouter.Builder rb = VrrpRouter.builder(net.host(A), am(), clock).notifyExecutor(Runnable::run)
        .scriptExecutor(Runnable::run).linkStatus(i -> true).processRunner((argv, t) -> scriptExit.get())
        .script(chk).instance(sa.build());
    VrrpRouter a = rb.build();
    a.start();
    VrrpRouter b = started("b", B, am(), spec(100).build());
    clock.advance(Duration.ofSeconds(5));
    assertThat(a.instance("VI_1").state()).isEqualTo(VrrpState.MASTER);
    scriptExit.set(1);
    clock.advance(Duration.ofSeconds(2)); // fall 2
    assertThat(a.instance("VI_1").effectivePriority()).isEqualTo(90);
    clock.advance(Duration.ofSeconds(4));
    assertThat(b.instance("VI_1").state()).isEqualTo(VrrpState.MASTER);
    assertThat(a.instance("VI_1").state()).isEqualTo(VrrpState.BACKUP);
  }

  @Test
  void trackedScriptExplicitWeightZero_failureIsFault_notTheScriptsOwnWeight() throws Exception {
    TrackedScript chk = new TrackedScript("chk", List.of("/bin/check"), Duration.ofSeconds(1), Duration.ofSeconds(1),
        -60, 1, 1, null);
    VrrpInstanceSpec.Builder sa = spec(150);
    sa.trackScripts = Map.of("chk", java.util.OptionalInt.of(0)); // track_script { chk weight 0 }
    VrrpRouter a = VrrpRouter.builder(net.host(A), am(), clock).notifyExecutor(Runnable::run)
        .scriptExecutor(Runnable::run).linkStatus(i -> true).processRunner((argv, t) -> scriptExit.get())
        .script(chk).instance(sa.build()).build();
    a.start();
    clock.advance(Duration.ofSeconds(5));
    assertThat(a.instance("VI_1").state()).isEqualTo(VrrpState.MASTER);
    scriptExit.set(1);
    clock.advance(Duration.ofSeconds(2));
    assertThat(a.instance("VI_1").state()).isEqualTo(VrrpState.FAULT);
    assertThat(a.instance("VI_1").effectivePriority()).isEqualTo(150);
    a.close();
  }

  @Test
  void trackedInterfaceDown_fault_vipRemoved_backupTakesOverAfterSkew() throws Exception {
    FakeAddressManager amA = am();
    VrrpInstanceSpec.Builder sa = spec(150);
    sa.trackInterfaces = Map.of("eth1", 0);
    VrrpRouter a = started("a", A, amA, sa.build());
    VrrpRouter b = started("b", B, am(), spec(100).build());
    clock.advance(Duration.ofMillis(4500));
    downLinks.add("a:eth1");
    a.recheck();
    assertThat(a.instance("VI_1").state()).isEqualTo(VrrpState.FAULT);
    assertThat(amA.has("eth0", VIP)).isFalse();
    clock.advance(Duration.ofMillis(610));
    assertThat(b.instance("VI_1").state()).isEqualTo(VrrpState.MASTER);
    downLinks.clear();
    clock.advance(Duration.ofSeconds(1)); // tracking poll
    assertThat(a.instance("VI_1").state()).isEqualTo(VrrpState.BACKUP);
    clock.advance(Duration.ofSeconds(4)); // preempts again
    assertThat(a.instance("VI_1").state()).isEqualTo(VrrpState.MASTER);
  }

  @Test
  void syncGroup_faultOfOneMemberFaultsAll_andTheyReturnTogether() throws Exception {
    VrrpInstanceSpec.Builder s1 = spec(150);
    s1.trackInterfaces = Map.of("eth9", 0);
    VrrpInstanceSpec s2 = VrrpInstanceSpec.builder("VI_2", "eth1", 52).priority(150)
        .virtualAddresses(List.of(VirtualAddress.of("10.0.1.100"))).build();
    FakeAddressManager amA = am();
    VrrpRouter a = router("a", A, amA, s1.build(), s2);
    // builder is consumed; rebuild with the group
    a = VrrpRouter.builder(net.host(A), amA, clock).notifyExecutor(Runnable::run).scriptExecutor(Runnable::run)
        .linkStatus(i -> !downLinks.contains("a:" + i)).instance(s1.build()).instance(s2)
        .syncGroup(new VrrpSyncGroupSpec("G", List.of("VI_1", "VI_2"), null, null, null, null)).build();
    a.start();
    clock.advance(Duration.ofSeconds(4));
    assertThat(a.instances()).allMatch(i -> i.state() == VrrpState.MASTER);
    downLinks.add("a:eth9");
    clock.advance(Duration.ofSeconds(1));
    assertThat(a.instances()).allMatch(i -> i.state() == VrrpState.FAULT);
    assertThat(amA.has("eth1", Inet.parse("10.0.1.100"))).isFalse();
    downLinks.clear();
    clock.advance(Duration.ofSeconds(5));
    assertThat(a.instances()).allMatch(i -> i.state() == VrrpState.MASTER);
  }

  @Test
  void close_leavesNothingBehind() throws Exception {
    FakeAddressManager amA = am();
    VrrpRouter a = started("a", A, amA, spec(150).build());
    clock.advance(Duration.ofSeconds(4));
    a.close();
    a.close();
    assertThat(amA.addresses("eth0")).isEmpty();
    assertThat(amA.log()).containsExactly("add eth0 10.0.0.100/32", "del eth0 10.0.0.100/32");
  }

  @Test
  void v3Ipv4_plainChecksumSender_acceptedAndCountedAsPlain() throws Exception {
    VrrpInstanceSpec.Builder sa = spec(150).version(3);
    sa.v3ChecksumWithPseudoHeader = false; // keepalived's old_unicast_checksum form
    VrrpRouter a = started("a", A, am(), sa.build());
    VrrpRouter b = started("b", B, am(), spec(100).version(3).build());
    clock.advance(Duration.ofSeconds(6));
    assertThat(b.instance("VI_1").state()).isEqualTo(VrrpState.BACKUP);
    assertThat(b.instance("VI_1").counters().get("checksum_plain")).isPositive();
    assertThat(b.instance("VI_1").counters().get("checksum_pseudo_header")).isZero();
    assertThat(a.instance("VI_1").counters().get("checksum_pseudo_header")).isZero();
  }

  @Test
  void v3AddressListMismatch_countedButAccepted() throws Exception {
    VrrpRouter a = started("a", A, am(),
        spec(150).version(3).virtualAddresses(List.of(VirtualAddress.of("10.0.0.101"))).build());
    VrrpRouter b = started("b", B, am(), spec(100).version(3).build());
    clock.advance(Duration.ofSeconds(6));
    assertThat(b.instance("VI_1").counters().get("dropped_address_list")).isPositive();
    assertThat(b.instance("VI_1").state()).isEqualTo(VrrpState.BACKUP);
  }

  @Test
  void garpMasterRefresh_reannouncesWhileMaster() throws Exception {
    VrrpInstanceSpec.Builder sa = spec(150);
    sa.garpMasterDelay = Duration.ZERO;
    sa.garpMasterRepeat = 1;
    sa.garpMasterRefresh = Duration.ofSeconds(10);
    VrrpRouter a = started("a", A, am(), sa.build());
    clock.advance(Duration.ofMillis(3500));
    assertThat(net.announcements()).hasSize(1);
    clock.advance(Duration.ofSeconds(30));
    assertThat(net.announcements()).hasSize(4);
    a.close();
    clock.advance(Duration.ofSeconds(30));
    assertThat(net.announcements()).hasSize(4);
  }
}
