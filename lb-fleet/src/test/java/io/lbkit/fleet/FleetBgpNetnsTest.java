package io.lbkit.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.Protocol;
import io.lbkit.api.RealServerKey;
import io.lbkit.api.ServiceKey;
import io.lbkit.harness.Tiers;
import io.lbkit.harness.etcd.EtcdProcess;
import io.lbkit.harness.frr.FrrProcess;
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
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * netns tier: a router namespace running FRR (zebra + bgpd, ECMP over 8 paths,
 * {@code fib_multipath_hash_policy=1}) and three director namespaces, each with its own bgpd
 * driven by lbkit's {@link FrrAnnouncer} and a {@link FleetDirector} on the nftables dataplane
 * (NAT; this host has no IPVS), all following one configuration in a real etcd. The router's
 * kernel route to the VIP follows announce and withdraw, and a killed director's bgpd loses its path at the
 * hold time. Real-server health is scripted
 * (lb-testing's ScriptedHealthChecking): the checks would leave from the test's namespace.
 */
class FleetBgpNetnsTest {
  static final String VIP = "10.0.0.1";
  static final Pattern VIA = Pattern.compile("via (\\S+)");
  Path dir;

  @BeforeEach
  void frrDir() throws Exception {
    // not JUnit's @TempDir (0700): zebra runs as user frr and must reach its directory
    dir = Files.createTempDirectory("lbkit-frr-");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @AfterEach
  void removeDir() throws Exception {
    try (var s = Files.walk(dir)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  static String routerConf(int directors) {
    StringBuilder sb = new StringBuilder("router bgp 65000\n bgp router-id 10.99.0.1\n"
        + " no bgp ebgp-requires-policy\n");
    for (int i = 0; i < directors; i++) {
      String n = "10.99.0." + (i + 2);
      sb.append(" neighbor ").append(n).append(" remote-as 65001\n neighbor ").append(n).append(" timers 1 3\n")
          .append(" neighbor ").append(n).append(" timers connect 1\n");
    }
    return sb.append(" address-family ipv4 unicast\n  maximum-paths 8\n exit-address-family\n").toString();
  }

  static String directorConf(int i) {
    return "router bgp 65001\n bgp router-id 10.99.0." + (i + 2) + "\n"
        + " no bgp ebgp-requires-policy\n no bgp network import-check\n neighbor 10.99.0.1 remote-as 65000\n"
        + " neighbor 10.99.0.1 timers 1 3\n neighbor 10.99.0.1 timers connect 1\n";
  }

  /** The router's next hops for a /32, from its kernel table. */
  static Set<String> nextHops(NetNs router, String vip) {
    Set<String> s = new TreeSet<>();
    Matcher m = VIA.matcher(router.run("ip", "route", "show", vip + "/32"));
    while (m.find()) {
      s.add(m.group(1));
    }
    return s;
  }

  /** Waits (60 s at most: BGP on a loaded host) until the router's next hops for the /32 are {@code want}. */
  static Set<String> awaitNextHops(NetNs router, String vip, Set<String> want) {
    long deadline = System.nanoTime() + 60_000_000_000L;
    Set<String> got = nextHops(router, vip);
    while (!got.equals(want) && System.nanoTime() < deadline) {
      Node.sleep(100);
      got = nextHops(router, vip);
    }
    assertThat(got).as("router's next hops for %s", vip).isEqualTo(want);
    return got;
  }

  @Test
  void routerRoutes_followAnnounceAndWithdraw_overEcmp() throws Exception {
    Tiers.requireRoot("creates network namespaces");
    Tiers.requireProgram("nft");
    Tiers.require(Files.isExecutable(Path.of("/usr/lib/frr/bgpd")), "needs FRR (Debian frr)");
    int n = 3;
    List<FrrProcess> frrs = new ArrayList<>();
    List<FleetDirector> directors = new ArrayList<>();
    List<ScriptedHealthChecking> checks = new ArrayList<>();
    try (EtcdProcess etcd = EtcdProcess.launch(); Lan lan = Lan.create(n + 1, "10.99.0.0/24");
        FleetStore store = FleetStore.connect(List.of(etcd.endpoint()), "/lbkit-bgp-test")) {
      try {
        NetNs router = lan.member(0);
        router.run("sysctl", "-qw", "net.ipv4.fib_multipath_hash_policy=1", "net.ipv4.ip_forward=1");
        frrs.add(FrrProcess.start(router, dir.resolve("router"), routerConf(n), true, 0));
        store.put(Node.conf(VIP + "=10.1.0.1,10.1.0.2", "10.0.0.2=10.1.0.3"), OptionalLong.empty());
        Set<String> all = new TreeSet<>();
        for (int i = 0; i < n; i++) {
          NetNs d = lan.member(i + 1);
          FrrProcess f = FrrProcess.start(d, dir.resolve("d" + (i + 1)), directorConf(i), false, 0);
          frrs.add(f);
          ScriptedHealthChecking c = new ScriptedHealthChecking();
          checks.add(c);
          directors.add(FleetDirector.builder(store, "d" + (i + 1))
              .runtime(LoadBalancerRuntime.builder().netns(d.name()).dataplane(Dataplane.NFTABLES)
                  .healthChecking(c::attach))
              .announcer(FrrAnnouncer.of(f.vtysh(), 65001)).start());
          all.add("10.99.0." + (i + 2));
        }
        assertThat(router.run("sysctl", "-n", "net.ipv4.fib_multipath_hash_policy").strip()).isEqualTo("1");
        awaitNextHops(router, VIP, all);
        awaitNextHops(router, "10.0.0.2", all);
        assertThat(lan.member(1).run("nft", "list", "table", "inet", "lbkit")).contains("10.1.0.1");

        // d2 loses every real server of the VIP: only its route to 10.0.0.1 goes
        ServiceKey svc = ServiceKey.of(Protocol.TCP, Node.ip(VIP), 80);
        checks.get(1).down(svc, RealServerKey.of("10.1.0.1", 80), "connect refused");
        checks.get(1).down(svc, RealServerKey.of("10.1.0.2", 80), "connect refused");
        awaitNextHops(router, VIP, Set.of("10.99.0.2", "10.99.0.4"));
        assertThat(nextHops(router, "10.0.0.2")).isEqualTo(all);
        checks.get(1).up(svc, RealServerKey.of("10.1.0.2", 80), "ok");
        awaitNextHops(router, VIP, all);

        // the VIP removed from the spec: every director withdraws it
        store.put(Node.conf("10.0.0.2=10.1.0.3"), OptionalLong.empty());
        awaitNextHops(router, VIP, Set.of());
        assertThat(nextHops(router, "10.0.0.2")).isEqualTo(all);

        // graceful stop of d3: its route goes, the others stay
        directors.remove(2).close();
        awaitNextHops(router, "10.0.0.2", Set.of("10.99.0.2", "10.99.0.3"));

        // kill -9 of d1's bgpd: no notification; the router drops the path at its hold time (3 s)
        frrs.get(1).kill();
        awaitNextHops(router, "10.0.0.2", Set.of("10.99.0.3"));
      } finally { // before etcd, the store and the namespaces go
        for (FleetDirector d : directors) {
          d.close();
        }
        frrs.forEach(FrrProcess::close);
      }
    }
  }
}
