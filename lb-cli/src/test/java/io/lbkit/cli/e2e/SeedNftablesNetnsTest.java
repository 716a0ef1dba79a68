package io.lbkit.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.RealServerKey;
import io.lbkit.api.ipvs.ServiceSnapshot;
import io.lbkit.api.net.DirectRoutingRealServer;
import io.lbkit.api.net.Inet;
import io.lbkit.cli.InProcessLbctl;
import io.lbkit.cli.Lbctl;
import io.lbkit.cli.testing.ProjectRoot;
import io.lbkit.harness.Tiers;
import io.lbkit.harness.netns.Exec;
import io.lbkit.harness.netns.Lan;
import io.lbkit.harness.netns.NetNs;
import io.lbkit.netlink.NetlinkAddressManager;
import io.lbkit.netlink.ProcSysctl;
import io.lbkit.nftables.NftablesIpvs;
import io.lbkit.nftables.RedirectRealServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Host netns tier (no VM): the seed end to end on the nftables dataplane. A client, two
 * directors each running {@code lbctl run --dataplane nftables} on the seed's corrected
 * keepalived.conf (tools/e2e/seed-keepalived.conf: VRRP VIP 192.168.0.200, DR, rr, HTTP_GET
 * checks), and two real servers prepared by lbkit's helpers, rs1 (shizune) with the VIP on
 * lo and the ARP sysctls (DirectRoutingRealServer), rs2 (tenten) with the seed's own
 * method, a redirect of the VIP's packets (RedirectRealServer), all on one bridge in
 * namespaces this test creates. It checks what the seed's blog showed and what
 * e2e-phases.sh checks in the VM: {@code lbctl show} prints the seed's table, ten requests
 * alternate 5/5; rs1's web server dies and its weight is 0 within the HTTP_GET bound, every
 * request then on rs2, and it comes back; the master dies and the backup holds the VIP
 * within the master-down interval and serves. The same for NAT (lvs_method NAT, one-armed:
 * the real servers on 10.0.0.0/24 behind a second VRRP address as their gateway).
 */
class SeedNftablesNetnsTest {
  static final String VIP = "192.168.0.200";
  /** Allowance over the protocol bounds for a shared 2-core host (JVM start, GC, scheduling). */
  static final long TOLERANCE_MS = 4000;
  @TempDir Path dir;
  private Lan lan;
  private NetNs client;
  private NetNs dir1;
  private NetNs dir2;
  private NetNs rs1;
  private NetNs rs2;
  private final List<AutoCloseable> prepared = new ArrayList<>();

  @BeforeEach
  void topology() throws Exception {
    Tiers.requireRoot("creates network namespaces");
    Tiers.requireProgram("nft");
    Tiers.requireProgram("busybox");
    lan = Lan.create(5);
    client = lan.member(0);
    dir1 = lan.member(1);
    dir2 = lan.member(2);
    rs1 = lan.member(3);
    rs2 = lan.member(4);
    String[] octets = {"10", "51", "52"};
    for (int i = 0; i < 3; i++) {
      lan.member(i).addAddress("eth0", "192.168.0." + octets[i] + "/24");
    }
  }

  /** Undoes the real servers' preparation and stops every process the test started (the directors too). */
  @AfterEach
  void tearDown() throws Exception {
    try {
      for (int i = prepared.size() - 1; i >= 0; i--) {
        prepared.get(i).close();
      }
      prepared.clear();
    } finally {
      if (lan != null) {
        lan.close();
      }
    }
  }

  /** The seed's DR real servers: rs1 with the VIP on lo (and ARP sysctls), rs2 with the seed's redirect. */
  private void directRoutingRealServers() throws Exception {
    rs1.addAddress("eth0", "192.168.0.61/24");
    rs2.addAddress("eth0", "192.168.0.62/24");
    prepared.add(DirectRoutingRealServer.prepare(NetlinkAddressManager.open(rs1.name()),
        ProcSysctl.inNetns(rs1.name()), List.of(Inet.parse(VIP)), "eth0"));
    prepared.add(RedirectRealServer.prepare(rs2.name(), List.of(Inet.parse(VIP))));
    startWeb(rs1, "rs1", "shizune");
    startWeb(rs2, "rs2", "tenten");
  }

  /**
   * NAT on one segment, two subnets (one-armed NAT): the real servers are 10.0.0.61 and
   * .62 only, their gateway 10.0.0.254 a second VRRP address of the directors, so their
   * replies come back through the master, which forwards them (ip_forward; no ICMP
   * redirects, which would point the real servers at a client they cannot reach).
   */
  private void natRealServers() throws Exception {
    for (NetNs d : List.of(dir1, dir2)) {
      d.addAddress("eth0", (d == dir1 ? "10.0.0.51" : "10.0.0.52") + "/24");
      d.run("sysctl", "-qw", "net.ipv4.ip_forward=1", "net.ipv4.conf.all.send_redirects=0",
          "net.ipv4.conf.eth0.send_redirects=0");
    }
    rs1.addAddress("eth0", "10.0.0.61/24");
    rs2.addAddress("eth0", "10.0.0.62/24");
    for (NetNs rs : List.of(rs1, rs2)) {
      rs.ip("route", "add", "default", "via", "10.0.0.254");
    }
    startWeb(rs1, "rs1", "shizune");
    startWeb(rs2, "rs2", "tenten");
  }

  /** The seed's corrected config, or its NAT variant (real servers 10.0.0.61/.62, a second VRRP address). */
  private static String config(boolean nat, int priority) throws Exception {
    String c = Files.readString(ProjectRoot.find().resolve("tools/e2e/seed-keepalived.conf"))
        .replace("__PRIORITY__", Integer.toString(priority)).replace("__IFACE__", "eth0");
    if (!nat) {
      return c;
    }
    String gateway = String.join("\n", "vrrp_instance V_GW {", "    state BACKUP", "    interface eth0",
        "    virtual_router_id 52", "    priority " + priority, "    nopreempt", "    advert_int 1",
        "    virtual_ipaddress {", "        10.0.0.254/24", "    }", "}", "", "virtual_server 192.168.0.200 80 {");
    return c.replace("lvs_method DR", "lvs_method NAT").replace("real_server 192.168.0.61", "real_server 10.0.0.61")
        .replace("real_server 192.168.0.62", "real_server 10.0.0.62")
        .replace("virtual_server 192.168.0.200 80 {", gateway);
  }

  private void startWeb(NetNs ns, String name, String label) throws Exception {
    Path root = Files.createDirectories(dir.resolve(name));
    Files.writeString(root.resolve("test.html"), "<html> <body> " + label + " webserv </body> </html>\n");
    ns.run("busybox", "httpd", "-p", "80", "-h", root.toString());
  }

  private Process director(NetNs ns, String name, int priority, boolean nat) throws Exception {
    Path conf = Files.writeString(dir.resolve(name + ".conf"), config(nat, priority));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return ns.start(dir.resolve(name + ".log"), java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp",
        System.getProperty("java.class.path"), Lbctl.class.getName(), "run", conf.toString(), "--dataplane",
        "nftables", "--status-file", dir.resolve(name + ".json").toString(), "--control",
        dir.resolve(name + ".sock").toString());
  }

  private boolean vipOn(NetNs ns) {
    return ns.ip("-o", "addr", "show", "dev", "eth0").contains(VIP + "/32");
  }

  /** The weight of real server {@code address}:80 in the director's table, or -1. */
  private static int weight(NetNs ns, String address) {
    try {
      for (ServiceSnapshot s : NftablesIpvs.read(ns.name())) {
        for (ServiceSnapshot.DestSnapshot d : s.dests()) {
          if (d.dest().key().equals(RealServerKey.of(address, 80))) {
            return d.dest().weight();
          }
        }
      }
    } catch (java.io.IOException e) {
      return -1;
    }
    return -1;
  }

  /** Polls every 100 ms until {@code condition} holds; the milliseconds it took, or fails naming {@code what}. */
  private long await(String what, long deadlineMs, BooleanSupplier condition) throws Exception {
    long t0 = System.nanoTime();
    while (!condition.getAsBoolean()) {
      long took = (System.nanoTime() - t0) / 1_000_000;
      assertThat(took).as("waiting for %s; logs:%n%s", what, logs()).isLessThan(deadlineMs);
      Thread.sleep(100);
    }
    return (System.nanoTime() - t0) / 1_000_000;
  }

  private String logs() throws Exception {
    StringBuilder sb = new StringBuilder();
    for (String d : List.of("dir1", "dir2")) {
      Path log = dir.resolve(d + ".log");
      if (Files.exists(log)) {
        List<String> lines = Files.readAllLines(log);
        sb.append("--- ").append(d).append(" log (tail)\n");
        lines.subList(Math.max(0, lines.size() - 15), lines.size()).forEach(l -> sb.append(l).append('\n'));
      }
    }
    return sb.toString();
  }

  private List<String> requests(int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Exec.Result r = client.exec("busybox", "timeout", "5", "busybox", "wget", "-q", "-O", "-",
          "http://" + VIP + "/test.html");
      String a = r.exitCode() == 0 ? r.stdout().strip() : "FAILED";
      out.add(a.contains("shizune") ? "shizune" : a.contains("tenten") ? "tenten" : a);
    }
    return out;
  }

  private static String show(NetNs ns) {
    return lbctl("show", "--dataplane", "nftables", "--netns", ns.name());
  }

  private static String showNft(NetNs ns) {
    return lbctl("show", "--nft", "--netns", ns.name());
  }

  private static String lbctl(String... args) {
    InProcessLbctl lbctl = new InProcessLbctl();
    int rc = lbctl.run(args);
    assertThat(rc).as(lbctl.err()).isZero();
    return lbctl.out();
  }

  @Test
  void seed_directRouting_twoDirectorsOnNftables_tableAlternationHealthAndFailover() throws Exception {
    directRoutingRealServers();
    scenario(false, "192.168.0.61", "192.168.0.62", "Route");
  }

  @Test
  void seed_nat_twoDirectorsOnNftables_tableAlternationHealthAndFailover() throws Exception {
    natRealServers();
    scenario(true, "10.0.0.61", "10.0.0.62", "Masq ");
  }

  private void scenario(boolean nat, String r1, String r2, String forward) throws Exception {
    Process p1 = director(dir1, "dir1", 101, nat);
    await("dir1 holding the VIP", 60_000, () -> vipOn(dir1) || !p1.isAlive());
    assertThat(p1.isAlive()).as("dir1 running; logs:%n%s", logs()).isTrue();
    director(dir2, "dir2", 100, nat);
    await("both real servers at weight 1 on dir1 and dir2", 60_000, () -> weight(dir1, r1) == 1
        && weight(dir1, r2) == 1 && weight(dir2, r1) == 1
        && weight(dir2, r2) == 1);
    assertThat(vipOn(dir2)).as("only the master holds the VIP").isFalse();

    // the seed's table, as ipvsadm -L -n showed it
    assertThat(show(dir1)).contains(String.join("\n",
        "TCP  192.168.0.200:80 rr",
        String.format("  -> %-28s %s   1      0          0         ", r1 + ":80", forward),
        String.format("  -> %-28s %s   1      0          0         ", r2 + ":80", forward)));
    assertThat(showNft(dir1)).as("lbctl show --nft").contains(nat ? "table inet lbkit" : "table netdev lbkit")
        .contains("192.168.0.200");
    List<String> ten = requests(10);
    assertThat(ten).as("ten requests").filteredOn("shizune"::equals).hasSize(5);
    assertThat(ten).as("ten requests").filteredOn("tenten"::equals).hasSize(5);
    for (int i = 1; i < ten.size(); i++) {
      assertThat(ten.get(i)).as("request %d after %s", i + 1, ten).isNotEqualTo(ten.get(i - 1));
    }

    // health: delay_loop 6, connect_timeout 5, retry 3, delay_before_retry 3 (the seed's HTTP_GET)
    long downBound = (6 + 3 * 3 + 4 * 5) * 1000L;
    long upBound = (6 + 5) * 1000L;
    for (String pid : rs1.run("ip", "netns", "pids", rs1.name()).split("\\s+")) {
      if (!pid.isBlank()) {
        ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
    long down = await("rs1 at weight 0 on dir1", downBound + TOLERANCE_MS, () -> weight(dir1, r1) == 0);
    String tag = "seed on nftables (" + (nat ? "NAT" : "DR") + "): ";
    System.out.println(tag + "rs1 weight 0 after " + down + " ms (bound " + downBound + " ms)");
    assertThat(show(dir1))
        .contains(String.format("  -> %-28s %s   0      0          0         ", r1 + ":80", forward));
    assertThat(requests(6)).as("rs1 down: every request on rs2").containsOnly("tenten");
    startWeb(rs1, "rs1", "shizune");
    long up = await("rs1 at weight 1 on dir1", upBound + TOLERANCE_MS, () -> weight(dir1, r1) == 1);
    System.out.println(tag + "rs1 weight 1 after " + up + " ms (bound " + upBound + " ms)");
    assertThat(requests(4)).as("rs1 back: alternation").containsOnly("shizune", "tenten").contains("shizune");

    // failover: the master's link goes down and it is killed; master-down interval for priority 100
    await("rs1 at weight 1 on dir2", upBound + TOLERANCE_MS, () -> weight(dir2, r1) == 1);
    long masterDown = 3 * 1000L + (256 - 100) * 1000L / 256;
    dir1.ip("link", "set", "eth0", "down");
    p1.destroyForcibly();
    long took = await("the VIP on dir2", masterDown + TOLERANCE_MS, () -> vipOn(dir2));
    System.out.println(tag + "VIP on dir2 " + took + " ms after the kill (bound " + masterDown + " ms)");
    List<String> after = requests(4);
    assertThat(after).as("the backup serves, alternating").containsOnly("shizune", "tenten").contains("shizune");
    assertThat(show(dir2)).contains("TCP  192.168.0.200:80 rr");
  }
}
