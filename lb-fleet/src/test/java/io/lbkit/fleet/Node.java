package io.lbkit.fleet;

import io.lbkit.api.net.Inet;
import io.lbkit.runtime.LoadBalancerRuntime;
import io.lbkit.testing.FakeAddressManager;
import io.lbkit.testing.FakeIpvs;
import io.lbkit.testing.FakeRouteManager;
import io.lbkit.testing.ScriptedHealthChecking;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** One director for these tests: the real etcd, lb-testing's fake IPVS and scripted checks, a recording announcer. */
final class Node {
  final FakeIpvs ipvs = new FakeIpvs();
  final ScriptedHealthChecking checks = new ScriptedHealthChecking();
  final List<Set<InetAddress>> announcements = new CopyOnWriteArrayList<>();
  final List<DirectorStatus> statuses = new CopyOnWriteArrayList<>();

  LoadBalancerRuntime.Builder runtime() {
    return LoadBalancerRuntime.builder().ipvs(ipvs).healthChecking(checks::attach)
        .addresses(new FakeAddressManager("eth0")).routes(new FakeRouteManager("eth0"));
  }

  FleetDirector.Builder director(FleetStore store, String name) {
    return FleetDirector.builder(store, name).runtime(runtime()).probeEvery(Duration.ofMillis(200))
        .leaseTtl(Duration.ofSeconds(2)).announcer(vips -> announcements.add(Set.copyOf(vips)))
        .onStatus(statuses::add);
  }

  /** The dataplane writes so far (the fake IPVS logs only writes, in ipvsadm's form). */
  List<String> writes() {
    return ipvs.log();
  }

  /** The VIPs announced last (empty before the first announcement). */
  Set<InetAddress> announced() {
    return announcements.isEmpty() ? Set.of() : announcements.get(announcements.size() - 1);
  }

  static InetAddress ip(String s) {
    return Inet.parse(s);
  }

  /** Waits (30 s at most: etcd round trips on a loaded machine) until the condition holds on the director's status. */
  static DirectorStatus await(FleetDirector d, Predicate<DirectorStatus> p, String what) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      DirectorStatus s = d.status();
      if (s != null && p.test(s)) {
        return s;
      }
      sleep(20);
    }
    throw new AssertionError("not within 30 s: " + what + "; status " + d.status());
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** A keepalived.conf with one NAT virtual server per VIP on port 80, two real servers each (no checks). */
  static String conf(String... vipsAndReals) {
    StringBuilder sb = new StringBuilder();
    for (String v : vipsAndReals) {
      String[] p = v.split("=");
      sb.append("virtual_server ").append(p[0]).append(" 80 {\n  lb_algo rr\n  lb_kind NAT\n  protocol TCP\n");
      for (String r : p[1].split(",")) {
        sb.append("  real_server ").append(r).append(" 80 {\n    weight 1\n  }\n");
      }
      sb.append("}\n");
    }
    return sb.toString();
  }

  /** Two NAT virtual servers, 10.0.0.1 (rr, one real server given) and 10.0.0.2 (the scheduler given). */
  static String two(String secondScheduler, String firstReal) {
    return "virtual_server 10.0.0.1 80 {\n  lb_algo rr\n  lb_kind NAT\n  protocol TCP\n  real_server " + firstReal
        + " 80 {\n  }\n}\nvirtual_server 10.0.0.2 80 {\n  lb_algo " + secondScheduler + "\n  lb_kind NAT\n"
        + "  protocol TCP\n  real_server 10.1.0.2 80 {\n  }\n}\n";
  }
}
