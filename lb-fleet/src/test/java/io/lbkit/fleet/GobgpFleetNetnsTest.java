package io.lbkit.fleet;

import static io.lbkit.fleet.FleetBgpNetnsTest.awaitNextHops;
import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.Protocol;
import io.lbkit.api.RealServerKey;
import io.lbkit.api.ServiceKey;
import io.lbkit.harness.Tiers;
import io.lbkit.harness.etcd.EtcdProcess;
import io.lbkit.harness.frr.FrrProcess;
import io.lbkit.harness.gobgp.GobgpProcess;
import io.lbkit.harness.netns.Lan;
import io.lbkit.harness.netns.NetNs;
import io.lbkit.runtime.Dataplane;
import io.lbkit.runtime.LoadBalancerRuntime;
import io.lbkit.testing.ScriptedHealthChecking;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * netns tier: a router namespace running FRR (zebra + bgpd, ECMP over 8 paths) and two director namespaces, each
 * with a gobgpd of the test (its own TOML and gRPC port) driven by lbkit's {@link GobgpAnnouncer} and a
 * {@link FleetDirector} on the nftables dataplane, all following one configuration in a real etcd. The router's
 * kernel route to the VIP follows the directors' announcements and withdrawals; a /32 the router originates, learned
 * by a director's gobgpd, is not lbkit's and stays. Real-server health is scripted.
 */
class GobgpFleetNetnsTest {
  static final String VIP = "10.0.0.1";
  static final String D1 = "10.99.0.2";
  static final String D2 = "10.99.0.3";
  static final String LEARNED = "10.0.0.77";
  Path dir;

  @BeforeEach
  void tempDir() throws Exception {
    // not JUnit's @TempDir (0700): the router's zebra runs as user frr and must reach its directory
    dir = Files.createTempDirectory("lbkit-gobgp-");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @AfterEach
  void removeDir() throws Exception {
    try (var s = Files.walk(dir)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  static FleetDirector director(FleetStore store, NetNs ns, String name, ScriptedHealthChecking checks,
      GobgpProcess gobgpd) throws Exception {
    return FleetDirector.builder(store, name)
        .runtime(LoadBalancerRuntime.builder().netns(ns.name()).dataplane(Dataplane.NFTABLES)
            .healthChecking(checks::attach))
        .announcer(GobgpAnnouncer.of(gobgpd.gobgp())).start();
  }

  /** Waits (60 s at most: a loaded host) until gobgpd's global RIB has the prefix. */
  static void awaitRib(GobgpProcess gobgpd, String prefix) {
    long deadline = System.nanoTime() + 60_000_000_000L;
    String rib = gobgpd.show("global", "rib", "-a", "ipv4");
    while (!rib.contains(prefix) && System.nanoTime() < deadline) {
      Node.sleep(100);
      rib = gobgpd.show("global", "rib", "-a", "ipv4");
    }
    assertThat(rib).as("gobgpd's global RIB").contains(prefix);
  }

  @Test
  void routerRoutes_followGobgpAnnouncements_overEcmp() throws Exception {
    Tiers.requireRoot("creates network namespaces");
    Tiers.requireProgram("nft");
    Tiers.requireProgram("gobgpd");
    Tiers.requireProgram("gobgp");
    Tiers.require(Files.isExecutable(Path.of("/usr/lib/frr/bgpd")), "needs FRR (Debian frr)");
    List<GobgpProcess> gobgpds = new ArrayList<>();
    List<FleetDirector> directors = new ArrayList<>();
    List<ScriptedHealthChecking> checks = new ArrayList<>();
    FrrProcess frr = null;
    try (EtcdProcess etcd = EtcdProcess.launch(); Lan lan = Lan.create(3, "10.99.0.0/24");
        FleetStore store = FleetStore.connect(List.of(etcd.endpoint()), "/lbkit-gobgp-test")) {
      try {
        NetNs router = lan.member(0);
        router.run("sysctl", "-qw", "net.ipv4.fib_multipath_hash_policy=1", "net.ipv4.ip_forward=1");
        frr = FrrProcess.start(router, dir.resolve("router"), FleetBgpNetnsTest.routerConf(2), true, 0);
        store.put(Node.conf(VIP + "=10.1.0.1,10.1.0.2"), OptionalLong.empty());
        for (int i = 0; i < 2; i++) {
          NetNs d = lan.member(i + 1);
          String me = "10.99.0." + (i + 2);
          gobgpds.add(GobgpProcess.start(d, dir.resolve("d" + (i + 1)), GobgpProcess.config(65001, me,
              "10.99.0.1", 65000), 50071 + i));
          checks.add(new ScriptedHealthChecking());
          directors.add(director(store, d, "d" + (i + 1), checks.get(i), gobgpds.get(i)));
        }
        awaitNextHops(router, VIP, Set.of(D1, D2));
        assertThat(GobgpAnnouncer.of(gobgpds.get(0).gobgp()).announced()).containsExactly(VIP);

        // a /32 the router originates: d1's gobgpd learns it, and it is not lbkit's
        router.run("vtysh", "--vty_socket", dir.resolve("router").toString(), "-c", "configure terminal",
            "-c", "router bgp 65000", "-c", "no bgp network import-check", "-c", "address-family ipv4 unicast",
            "-c", "network " + LEARNED + "/32");
        awaitRib(gobgpds.get(0), LEARNED + "/32");
        assertThat(GobgpAnnouncer.of(gobgpds.get(0).gobgp()).announced()).containsExactly(VIP);

        // d2 loses every real server of the VIP: it withdraws, the router keeps d1 only; one back: d2 returns
        ServiceKey svc = ServiceKey.of(Protocol.TCP, Node.ip(VIP), 80);
        checks.get(1).down(svc, RealServerKey.of("10.1.0.1", 80), "connect refused");
        checks.get(1).down(svc, RealServerKey.of("10.1.0.2", 80), "connect refused");
        awaitNextHops(router, VIP, Set.of(D1));
        assertThat(gobgpds.get(1).show("global", "rib", "-a", "ipv4")).doesNotContain(VIP + "/32");
        checks.get(1).up(svc, RealServerKey.of("10.1.0.2", 80), "ok");
        awaitNextHops(router, VIP, Set.of(D1, D2));

        // a stale host path left in d1's gobgpd (as by an earlier director): a graceful stop withdraws it with the VIP
        gobgpds.get(0).show("global", "rib", "add", "-a", "ipv4", "10.0.0.9/32");
        awaitNextHops(router, "10.0.0.9", Set.of(D1));
        directors.remove(0).close();
        awaitNextHops(router, VIP, Set.of(D2));
        awaitNextHops(router, "10.0.0.9", Set.of());
        assertThat(gobgpds.get(0).show("global", "rib", "-a", "ipv4")).contains(LEARNED + "/32")
            .doesNotContain(VIP + "/32");

        // d1 started again on the same gobgpd: the router gets it back
        directors.add(0, director(store, lan.member(1), "d1", checks.get(0), gobgpds.get(0)));
        awaitNextHops(router, VIP, Set.of(D1, D2));
        assertThat(GobgpAnnouncer.of(gobgpds.get(0).gobgp()).announced()).containsExactly(VIP);
      } finally { // before etcd, the store and the namespaces go
        for (FleetDirector d : directors) {
          d.close();
        }
        gobgpds.forEach(GobgpProcess::close);
        if (frr != null) {
          frr.close();
        }
      }
    }
  }
}
