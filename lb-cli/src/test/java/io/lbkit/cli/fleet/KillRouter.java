package io.lbkit.cli.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.harness.frr.FrrProcess;
import io.lbkit.harness.netns.NetNs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@link FleetKillNetnsTest}'s FRR configurations and its router's view (next hops, BFD sessions, why BGP went down). */
final class KillRouter {
  static final String VIP = FleetKillNetnsTest.VIP;
  static final Pattern VIA = Pattern.compile("via (\\S+)");

  private KillRouter() {}

  static String routerConf() {
    StringBuilder sb = new StringBuilder("router bgp 65000\n bgp router-id 10.99.0.1\n no bgp ebgp-requires-policy\n");
    for (int d = 1; d <= 3; d++) {
      sb.append(neighbor("10.99.0." + (d + 1), 65001));
    }
    return sb.append(" address-family ipv4 unicast\n  maximum-paths 8\n exit-address-family\n").toString();
  }

  static String directorConf(int d) {
    return "router bgp 65001\n bgp router-id 10.99.0." + (d + 1) + "\n no bgp ebgp-requires-policy\n"
        + " no bgp network import-check\n" + neighbor("10.99.0.1", 65000);
  }

  static String neighbor(String ip, int as) {
    return " neighbor " + ip + " remote-as " + as + "\n neighbor " + ip + " timers 3 9\n neighbor " + ip
        + " timers connect 1\n neighbor " + ip + " bfd\n neighbor " + ip + " bfd profile fast\n";
  }

  static List<String> addresses(String nftSet) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("10\\.99\\.0\\.\\d+").matcher(nftSet);
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  static Set<String> nextHops(NetNs router) {
    Set<String> s = new TreeSet<>();
    Matcher m = VIA.matcher(router.run("ip", "route", "show", VIP + "/32"));
    while (m.find()) {
      s.add(m.group(1));
    }
    return s;
  }

  static void awaitNextHops(NetNs router, Set<String> want, int seconds) {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    Set<String> got = nextHops(router);
    while (!got.equals(want) && System.nanoTime() < deadline) {
      FleetKillNetnsTest.sleep(10);
      got = nextHops(router);
    }
    assertThat(got).as("router's next hops for %s", VIP).isEqualTo(want);
  }

  static void awaitBfdUp(FrrProcess router, int sessions, int seconds) {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    String peers = "";
    while (System.nanoTime() < deadline) {
      peers = router.show("show bfd peers brief");
      if (peers.split(" up ", -1).length - 1 == sessions) {
        return;
      }
      FleetKillNetnsTest.sleep(100);
    }
    throw new AssertionError("BFD sessions not up within " + seconds + " s: " + peers);
  }

  /** bgpd's "Last reset ..., why" line of {@code show bgp neighbors ADDR} (FRR 8.4: "Notification sent (Cease/BFD Down)"). */
  static String lastReset(String neighbor) {
    return neighbor.lines().filter(l -> l.strip().startsWith("Last reset")).findFirst().orElse(neighbor);
  }

  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (java.io.IOException e) {
      return "?";
    }
  }
}
