package io.lbkit.nftables;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.Director;
import io.lbkit.api.RealServer;
import io.lbkit.api.Scheduler;
import io.lbkit.api.VirtualService;
import io.lbkit.api.ipvs.IpvsService;
import io.lbkit.api.ipvs.Reconciliation;
import io.lbkit.api.ipvs.ServiceSnapshot;
import io.lbkit.harness.Tiers;
import io.lbkit.harness.netns.Lan;
import io.lbkit.harness.netns.NetNs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * netns tier: the direct-routing ingress chain acts only on frames addressed to the
 * director's MAC, as IPVS (behind ip_rcv, which drops PACKET_OTHERHOST) does. A client, a
 * director and a real server on one bridge; the client sends hand-made TCP SYNs to the VIP
 * (python3, AF_PACKET), one to a MAC the bridge does not know (so it floods it to every port,
 * as after the owning director's MAC aged out), one to the director's MAC; the real server
 * counts, per source port, what reaches it addressed to its own MAC (the director's copies).
 * And a table an older lbkit wrote (its ingress rule without the match) is rewritten by the
 * Director, while an intact one is left as it is.
 */
class NftablesDrIngressNetnsTest {
  static final String VIP = "10.78.0.100";
  static final String RS = "10.78.0.3";
  static final String DISPATCH = "ip daddr . meta l4proto . th dport vmap @dr4";
  static final VirtualService WEB = VirtualService.tcp(VIP, 80).rr().dr().add(RealServer.of(RS, 80));
  /** Sends one TCP SYN frame: ifname, dst MAC, src MAC, src IP, dst IP, sport, dport. */
  static final String SEND = String.join("\n",
      "import socket, struct, sys",
      "ifname, dst, src, sip, dip, sport, dport = sys.argv[1:8]",
      "def csum(b):",
      "    b += b'\\0' * (len(b) % 2)",
      "    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))",
      "    while s >> 16:",
      "        s = (s & 0xffff) + (s >> 16)",
      "    return ~s & 0xffff",
      "sa, da = socket.inet_aton(sip), socket.inet_aton(dip)",
      "tcp = struct.pack('!HHIIBBHHH', int(sport), int(dport), 1, 0, 5 << 4, 0x02, 64240, 0, 0)",
      "tcp = tcp[:16] + struct.pack('!H', csum(sa + da + struct.pack('!BBH', 0, 6, len(tcp)) + tcp)) + tcp[18:]",
      "ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(tcp), 1, 0, 64, 6, 0, sa, da)",
      "ip = ip[:10] + struct.pack('!H', csum(ip)) + ip[12:]",
      "s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)",
      "s.bind((ifname, 0))",
      "s.send(bytes.fromhex(dst.replace(':', '')) + bytes.fromhex(src.replace(':', '')) + b'\\x08\\x00' + ip + tcp)",
      "");
  private Lan lan;
  @TempDir Path dir;

  @BeforeEach
  void topology() {
    Tiers.requireRoot("creates network namespaces");
    Tiers.requireProgram("nft");
    Tiers.requireProgram("python3");
    lan = Lan.create(3, "10.78.0.0/24"); // client .1, director .2, real server .3
    lan.member(1).addAddress("eth0", VIP + "/32");
  }

  @AfterEach
  void cleanUp() {
    if (lan != null) {
      lan.close();
    }
  }

  private static String mac(NetNs ns) {
    Matcher m = Pattern.compile("link/ether ([0-9a-f:]{17})").matcher(ns.ip("-o", "link", "show", "dev", "eth0"));
    assertThat(m.find()).as("MAC of eth0 in " + ns.name()).isTrue();
    return m.group(1);
  }

  private static long packets(NetNs ns, String counter) {
    Matcher m = Pattern.compile("packets (\\d+)").matcher(ns.run("nft", "list", "counter", "netdev", "probe",
        counter));
    assertThat(m.find()).as("counter " + counter).isTrue();
    return Long.parseLong(m.group(1));
  }

  private static void assertIngressRepaired(NetNs director) {
    String chain = director.run("nft", "list", "chain", "netdev", "lbkit", "ingress_eth0");
    assertThat(chain).contains("meta pkttype host " + DISPATCH);
    assertThat(chain.split("vmap @dr4", -1)).as("one rule in " + chain).hasSize(2);
  }

  @Test
  void frameFloodedToTheDirector_isNotForwarded_whileOneAddressedToItIs() throws Exception {
    NetNs client = lan.member(0);
    NetNs director = lan.member(1);
    NetNs rs = lan.member(2);
    rs.run("nft", "-f", Files.writeString(dir.resolve("probe.nft"), String.join("\n",
        "table netdev probe {",
        "  counter flooded { }",
        "  counter addressed { }",
        "  chain in { type filter hook ingress device \"eth0\" priority -500; policy accept;",
        "    meta pkttype host ip daddr " + VIP + " tcp sport 40001 counter name \"flooded\"",
        "    meta pkttype host ip daddr " + VIP + " tcp sport 40002 counter name \"addressed\"",
        "  }",
        "}", "")).toString());
    Path send = Files.writeString(dir.resolve("send.py"), SEND);
    try (NftablesIpvs ipvs = NftablesIpvs.open(director.name())) {
      Director.create(ipvs).setServices(List.of(WEB)).orThrow();
      String from = mac(client);
      // first the frame to a MAC no port has: the bridge floods it, to the director too
      client.run("python3", send.toString(), "eth0", "02:00:00:4c:42:99", from, "10.78.0.1", VIP, "40001", "80");
      client.run("python3", send.toString(), "eth0", mac(director), from, "10.78.0.1", VIP, "40002", "80");
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (packets(rs, "addressed") == 0 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(packets(rs, "addressed")).as("the frame addressed to the director is forwarded").isEqualTo(1);
      assertThat(packets(rs, "flooded")).as("the flooded frame (sent first) is not").isZero();
    }
  }

  @Test
  void tableOfAnOlderLbkit_isRewrittenByTheDirector_andAnIntactOneIsLeftAlone() throws Exception {
    NetNs director = lan.member(1);
    String svc = "tcp_" + VIP + "_80";
    director.run("nft", "-f", Files.writeString(dir.resolve("old.nft"), String.join("\n",
        NftablesDrNetnsTest.nftTable(svc, 1, DISPATCH), // an older lbkit's ingress rule: no meta pkttype host
        "add element netdev lbkit dr4 { " + VIP + " . tcp . 80 : goto svc_" + svc + " }",
        "add element netdev lbkit slots_" + svc + " { 0 : 0x0a4e0003 }",
        "add element netdev lbkit reals_" + svc + " { 0x0a4e0003 : " + RS + " }",
        "add element netdev lbkit drdests4 { " + VIP + " . tcp . 80 . " + RS + " . 80 : 1 }", "")).toString());
    try (NftablesIpvs ipvs = NftablesIpvs.open(director.name())) {
      assertThat(ipvs.services().get(0).service().scheduler()).as("read as drift").isEqualTo(Scheduler.of("none"));
      Reconciliation r = Director.create(ipvs).setServices(List.of(WEB)).orThrow();
      assertThat(r.applied()).as("the Director rewrites the service").isNotEmpty();
      assertThat(ipvs.services().get(0).service()).isEqualTo(IpvsService.of(WEB.key(), Scheduler.RR));
    }
    assertIngressRepaired(director);

    String before = director.run("nft", "-a", "-t", "list", "table", "netdev", "lbkit");
    try (NftablesIpvs ipvs = NftablesIpvs.open(director.name())) {
      Director d = Director.create(ipvs);
      assertThat(d.setServices(List.of(WEB)).orThrow().applied()).as("a restart on the intact table").isEmpty();
      assertThat(director.run("nft", "-a", "-t", "list", "table", "netdev", "lbkit")).isEqualTo(before);

      // the older rule back (a downgraded director on the host, a hand edit): the next resync repairs it
      director.run("nft", "flush chain netdev lbkit ingress_eth0; add rule netdev lbkit ingress_eth0 " + DISPATCH);
      assertThat(d.resync().orThrow().applied()).isNotEmpty();
      List<ServiceSnapshot> s = ipvs.services();
      assertThat(s.get(0).service()).isEqualTo(IpvsService.of(WEB.key(), Scheduler.RR));
    }
    assertIngressRepaired(director);
  }
}
