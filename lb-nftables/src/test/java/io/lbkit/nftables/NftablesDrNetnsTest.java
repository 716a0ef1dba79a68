package io.lbkit.nftables;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.Forwarding;
import io.lbkit.api.Protocol;
import io.lbkit.api.RealServerKey;
import io.lbkit.api.Scheduler;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.ipvs.IpvsDest;
import io.lbkit.api.ipvs.IpvsOp;
import io.lbkit.api.ipvs.IpvsService;
import io.lbkit.api.ipvs.ServiceSnapshot;
import io.lbkit.api.kernel.Errno;
import io.lbkit.api.kernel.KernelException;
import io.lbkit.api.net.DirectRoutingRealServer;
import io.lbkit.api.net.Inet;
import io.lbkit.harness.Tiers;
import io.lbkit.harness.netns.Exec;
import io.lbkit.harness.netns.Lan;
import io.lbkit.harness.netns.NetNs;
import io.lbkit.netlink.NetlinkAddressManager;
import io.lbkit.netlink.ProcSysctl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * netns tier: direct routing on nftables with real packets. A client, a director holding
 * the VIP and two real servers on one segment, rs1 prepared by lbkit's
 * DirectRoutingRealServer (VIP on lo), rs2 by RedirectRealServer (the seed's redirect);
 * the director's {@code netdev lbkit} table forwards each new connection to a real server
 * by MAC, rr alternating; weight 0 takes a real server out of new connections; nft lists
 * the table; lbkit reads it back as Route rows.
 */
class NftablesDrNetnsTest {
  static final String VIP = "10.77.0.100";
  static final ServiceKey WEB = ServiceKey.of(Protocol.TCP, Inet.parse(VIP), 80);
  private Lan lan;
  private final List<AutoCloseable> prepared = new ArrayList<>();
  @TempDir Path dir;

  @BeforeEach
  void topology() throws Exception {
    Tiers.requireRoot("creates network namespaces");
    Tiers.requireProgram("nft");
    Tiers.requireProgram("busybox");
    lan = Lan.create(4, "10.77.0.0/24"); // client .1, director .2, rs1 .3, rs2 .4
    lan.member(1).addAddress("eth0", VIP + "/32");
    // rs1: the VIP on lo with the ARP sysctls; rs2: the seed's method, a redirect of the VIP's packets
    prepared.add(DirectRoutingRealServer.prepare(NetlinkAddressManager.open(lan.member(2).name()),
        ProcSysctl.inNetns(lan.member(2).name()), List.of(Inet.parse(VIP)), "eth0"));
    prepared.add(RedirectRealServer.prepare(lan.member(3).name(), List.of(Inet.parse(VIP))));
    for (int i = 2; i <= 3; i++) {
      NetNs rs = lan.member(i);
      Path root = Files.createDirectories(dir.resolve("rs" + i));
      Files.writeString(root.resolve("who"), "rs" + (i - 1) + "\n");
      rs.run("busybox", "httpd", "-p", "80", "-h", root.toString());
    }
  }

  @AfterEach
  void cleanUp() throws Exception {
    for (AutoCloseable p : prepared) {
      p.close();
    }
    if (lan != null) {
      lan.close();
    }
  }

  private String get() {
    Exec.Result r = lan.member(0).exec("busybox", "timeout", "5", "busybox", "wget", "-q", "-O", "-",
        "http://" + VIP + "/who");
    return r.exitCode() == 0 ? r.stdout().strip() : "FAILED";
  }

  private static IpvsDest dr(String address, int weight) {
    return IpvsDest.of(Inet.parse(address), 80, Forwarding.DR, weight);
  }

  @Test
  void rrService_newConnectionsAlternate_weightZeroDrains_andReadsBackAsRoute() throws Exception {
    NetNs director = lan.member(1);
    try (NftablesIpvs ipvs = NftablesIpvs.open(director.name())) {
      ipvs.apply(List.of(new IpvsOp.AddService(IpvsService.of(WEB, Scheduler.RR)),
          new IpvsOp.AddDest(WEB, dr("10.77.0.3", 1)), new IpvsOp.AddDest(WEB, dr("10.77.0.4", 1))));
      List<String> answers = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        answers.add(get());
      }
      assertThat(answers).as("rr over two real servers").containsExactly("rs1", "rs2", "rs1", "rs2", "rs1", "rs2");
      String listed = director.run("nft", "list", "table", "netdev", "lbkit");
      assertThat(listed).contains("type filter hook ingress device \"eth0\"")
          .contains("meta pkttype host ip daddr . meta l4proto . th dport vmap @dr4")
          .contains("fwd ip to meta mark map @reals_tcp_10.77.0.100_80 device \"eth0\" comment \"rr via eth0\"")
          .contains("10.77.0.100 . tcp . 80 : goto svc_tcp_10.77.0.100_80");
      List<ServiceSnapshot> s = ipvs.services();
      assertThat(s).hasSize(1);
      assertThat(s.get(0).dests()).extracting(ServiceSnapshot.DestSnapshot::dest)
          .containsExactly(dr("10.77.0.3", 1), dr("10.77.0.4", 1));

      ipvs.updateDest(WEB, dr("10.77.0.3", 0));
      answers.clear();
      for (int i = 0; i < 3; i++) {
        answers.add(get());
      }
      assertThat(answers).as("rs1 at weight 0 takes no new connection").containsOnly("rs2");
    }
    // terse: without the flows map's elements, whose "expires" counts down
    String before = director.run("nft", "-a", "-t", "list", "table", "netdev", "lbkit");
    try (NftablesIpvs again = NftablesIpvs.open(director.name())) {
      assertThat(again.services().get(0).dests()).extracting(ServiceSnapshot.DestSnapshot::dest)
          .containsExactly(dr("10.77.0.3", 0), dr("10.77.0.4", 1));
      assertThat(again.services().get(0).service()).isEqualTo(IpvsService.of(WEB, Scheduler.RR));
    }
    assertThat(director.run("nft", "-a", "-t", "list", "table", "netdev", "lbkit")).as("reopening writes nothing")
        .isEqualTo(before);
  }

  @Test
  void deleteService_removesItsObjects_andFlushRemovesTheTable() throws Exception {
    NetNs director = lan.member(1);
    try (NftablesIpvs ipvs = NftablesIpvs.open(director.name())) {
      ipvs.apply(List.of(new IpvsOp.AddService(IpvsService.of(WEB, Scheduler.SH)),
          new IpvsOp.AddDest(WEB, dr("10.77.0.3", 1))));
      assertThat(get()).isEqualTo("rs1");
      ipvs.deleteService(WEB);
      assertThat(ipvs.services()).isEmpty();
      assertThat(director.run("nft", "list", "table", "netdev", "lbkit")).doesNotContain("svc_")
          .doesNotContain("reals_");
      ipvs.flush();
      assertThat(director.run("nft", "list", "tables")).doesNotContain("netdev lbkit");
    }
  }

  @Test
  void drRealServerNotOnLink_failsNamingIt() throws Exception {
    try (NftablesIpvs ipvs = NftablesIpvs.open(lan.member(1).name())) {
      ipvs.addService(IpvsService.of(WEB, Scheduler.RR));
      KernelException e = org.junit.jupiter.api.Assertions.assertThrows(KernelException.class,
          () -> ipvs.addDest(WEB, dr("203.0.113.9", 1)));
      assertThat(e.errno()).isEqualTo(Errno.ENETUNREACH);
      assertThat(e.getMessage()).contains("203.0.113.9").contains("TCP 10.77.0.100:80");
    }
  }

  @Test
  void tunnelForwarding_isRefusedNamingTheService() throws Exception {
    try (NftablesIpvs ipvs = NftablesIpvs.open(lan.member(1).name())) {
      ipvs.addService(IpvsService.of(WEB, Scheduler.RR));
      KernelException e = org.junit.jupiter.api.Assertions.assertThrows(KernelException.class,
          () -> ipvs.addDest(WEB, IpvsDest.of(Inet.parse("10.77.0.3"), 80, Forwarding.TUN, 1)));
      assertThat(e.errno()).isEqualTo(Errno.EOPNOTSUPP);
      assertThat(e.getMessage()).contains("TCP 10.77.0.100:80").contains("Tunnel");
    }
  }

  @Test
  void redirectRealServer_listsItsTable_andUndoRemovesIt() throws Exception {
    NetNs rs2 = lan.member(3);
    assertThat(rs2.run("nft", "list", "table", "inet", "lbkit_rs")).contains("ip daddr @vips4 redirect")
        .contains("elements = { 10.77.0.100 }");
    assertThat(rs2.addressLines("lo")).noneMatch(l -> l.contains(VIP));
    try (RedirectRealServer.Prepared again = RedirectRealServer.prepare(rs2.name(), List.of(Inet.parse(VIP),
        Inet.parse("10.77.0.101")))) {
      assertThat(again.addedVips()).containsExactly(Inet.parse("10.77.0.101"));
    }
    assertThat(rs2.run("nft", "list", "table", "inet", "lbkit_rs")).as("the second undo keeps the first's VIP")
        .contains("elements = { 10.77.0.100 }").doesNotContain("10.77.0.101");
    prepared.remove(1).close();
    assertThat(rs2.run("nft", "list", "tables")).doesNotContain("lbkit_rs");
  }

  @Test
  void persistentService_sendsEveryConnectionOfAClientToOneRealServer_andReadsBack() throws Exception {
    NetNs director = lan.member(1);
    IpvsService sticky = new IpvsService(WEB, Scheduler.RR, java.util.Set.of(), io.lbkit.api.Persistence.of(300),
        false);
    try (NftablesIpvs ipvs = NftablesIpvs.open(director.name())) {
      ipvs.apply(List.of(new IpvsOp.AddService(sticky), new IpvsOp.AddDest(WEB, dr("10.77.0.3", 1)),
          new IpvsOp.AddDest(WEB, dr("10.77.0.4", 1))));
      List<String> answers = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        answers.add(get());
      }
      assertThat(answers).as("one client, persistence 300 s").containsOnly(answers.get(0));
      assertThat(answers.get(0)).isIn("rs1", "rs2");
      assertThat(director.run("nft", "list", "map", "netdev", "lbkit", "flows_tcp_10.77.0.100_80"))
          .contains("type ipv4_addr : mark").contains("timeout 5m").contains("10.77.0.1 expires");
    }
    String before = director.run("nft", "-a", "-t", "list", "table", "netdev", "lbkit");
    try (NftablesIpvs again = NftablesIpvs.open(director.name())) {
      assertThat(again.services().get(0).service()).isEqualTo(sticky);
    }
    assertThat(director.run("nft", "-a", "-t", "list", "table", "netdev", "lbkit")).isEqualTo(before);
  }

  /**
   * The table lbkit writes for one rr DR service {@code svc} on eth0 with {@code slots} slots, as {@code nft -f} text
   * (no elements), its ingress chain's rule {@code ingressRule}.
   */
  static String nftTable(String svc, int slots, String ingressRule) {
    return String.join("\n",
        "table netdev lbkit {",
        "  map dr4 { type ipv4_addr . inet_proto . inet_service : verdict; }",
        "  map drdests4 { type ipv4_addr . inet_proto . inet_service . ipv4_addr . inet_service : mark; }",
        "  map slots_" + svc + " { typeof numgen inc mod 2 : meta mark; }",
        "  map reals_" + svc + " { typeof meta mark : ip daddr; }",
        "  map flows_" + svc + " { type ipv4_addr . inet_service : mark; size 1048576; flags timeout; timeout 900s; }",
        "  chain svc_" + svc + " {",
        "    meta mark set ip saddr . th sport map @flows_" + svc + " update @flows_" + svc
            + " { ip saddr . th sport : meta mark } fwd ip to meta mark map @reals_" + svc
            + " device \"eth0\" comment \"rr via eth0\"",
        "    meta mark set numgen inc mod " + slots + " map @slots_" + svc + " add @flows_" + svc
            + " { ip saddr . th sport : meta mark } fwd ip to meta mark map @reals_" + svc + " device \"eth0\"",
        "  }",
        "  chain ingress_eth0 { type filter hook ingress device \"eth0\" priority 0; policy accept;",
        "    " + ingressRule,
        "  }",
        "}");
  }

  /** The shape lbkit owns, written by {@code nft -f}: lbkit reads it as the same rows and rewrites nothing. */
  @Test
  void tableWrittenByNft_readsBackAsRouteRows() throws Exception {
    NetNs director = lan.member(1);
    String svc = "tcp_10.77.0.100_80";
    Path file = Files.writeString(dir.resolve("dr.nft"), String.join("\n",
        nftTable(svc, 2, "meta pkttype host ip daddr . meta l4proto . th dport vmap @dr4"),
        "add element netdev lbkit dr4 { 10.77.0.100 . tcp . 80 : goto svc_" + svc + " }",
        "add element netdev lbkit slots_" + svc + " { 0 : 0x0a4d0003, 1 : 0x0a4d0004 }",
        "add element netdev lbkit reals_" + svc + " { 0x0a4d0003 : 10.77.0.3, 0x0a4d0004 : 10.77.0.4 }",
        "add element netdev lbkit drdests4 { 10.77.0.100 . tcp . 80 . 10.77.0.3 . 80 : 1, "
            + "10.77.0.100 . tcp . 80 . 10.77.0.4 . 80 : 1 }", ""));
    director.run("nft", "-f", file.toString());
    String before = director.run("nft", "-a", "-t", "list", "table", "netdev", "lbkit");
    try (NftablesIpvs ipvs = NftablesIpvs.open(director.name())) {
      List<ServiceSnapshot> s = ipvs.services();
      assertThat(s).hasSize(1);
      assertThat(s.get(0).service()).isEqualTo(IpvsService.of(WEB, Scheduler.RR));
      assertThat(s.get(0).dests()).extracting(ServiceSnapshot.DestSnapshot::dest)
          .containsExactly(dr("10.77.0.3", 1), dr("10.77.0.4", 1));
      assertThat(List.of(get(), get())).as("nft's table forwards").containsExactlyInAnyOrder("rs1", "rs2");
    }
    assertThat(director.run("nft", "-a", "-t", "list", "table", "netdev", "lbkit")).isEqualTo(before);
  }
}
