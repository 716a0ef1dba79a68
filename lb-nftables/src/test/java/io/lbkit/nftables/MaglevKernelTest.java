package io.lbkit.nftables;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.Forwarding;
import io.lbkit.api.Protocol;
import io.lbkit.api.RealServerKey;
import io.lbkit.api.Scheduler;
import io.lbkit.api.SchedulerFlag;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.ipvs.IpvsDest;
import io.lbkit.api.ipvs.IpvsService;
import io.lbkit.api.net.Inet;
import io.lbkit.harness.Tiers;
import io.lbkit.harness.netns.NetNs;
import io.lbkit.netlink.NetlinkIpvs;
import io.lbkit.nftables.internal.Maglev;
import io.lbkit.nftables.internal.SlotLayout;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Inside the kernel VM: the kernel's ip_vs_mh sends each client where lbkit's Maglev model
 * says, so the slots map the nftables dataplane writes for mh is the kernel's table. A
 * client namespace opens one TCP connection from each of {@value #CLIENTS} source addresses
 * to two mh services of a director namespace (one with mh-port); the real servers behind a
 * dummy never answer, so each connection stays in IPVS's connection table, which names the
 * real server IPVS picked. The weights need the kernel's gcd reduction and its right shift. An
 * IPv6 service checks the model's folding of an IPv6 address.
 */
@Tag("kernel")
class MaglevKernelTest {
  static final int CLIENTS = 150;
  static final String VIP = "192.0.2.200";
  static final String VIP6 = "2001:db8::200";
  static final String PYTHON = String.join("\n",
      "import socket, sys, time",
      "socks = []",
      "for a in sys.argv[3:]:",
      "    s = socket.socket(socket.AF_INET6 if ':' in a else socket.AF_INET)",
      "    s.setblocking(False)",
      "    s.bind((a, 0))",
      "    s.connect_ex((sys.argv[1], int(sys.argv[2])))",
      "    if len(socks) % 50 == 0: time.sleep(0.2)",
      "    socks.append(s)",
      "time.sleep(2)");

  @Test
  void ipvsMh_picksTheRealServerTheModelPredicts_forEveryClient_withAndWithoutMhPort() throws Exception {
    Tiers.requireIpvs();
    Tiers.requireRoot("creates network namespaces");
    Tiers.requireProgram("python3");
    // added in address order: IPVS lists them newest first, the order Maglev.slots lays out
    Map<RealServerKey, Integer> weights = new LinkedHashMap<>();
    weights.put(RealServerKey.of("198.51.100.1", 8080), 5);
    weights.put(RealServerKey.of("198.51.100.2", 8080), 1);
    weights.put(RealServerKey.of("198.51.100.3", 8080), 3);
    weights.put(RealServerKey.of("198.51.100.4", 8080), 130); // 130 has 8 bits: shifted right by 2
    ServiceKey plain = ServiceKey.of(Protocol.TCP, Inet.parse(VIP), 80);
    ServiceKey port = ServiceKey.of(Protocol.TCP, Inet.parse(VIP), 81);
    ServiceKey v6 = ServiceKey.of(Protocol.TCP, Inet.parse(VIP6), 80);
    Map<RealServerKey, Integer> weights6 = new LinkedHashMap<>();
    weights6.put(RealServerKey.of("2001:db8:1::1", 8080), 2);
    weights6.put(RealServerKey.of("2001:db8:1::2", 8080), 3);
    weights6.put(RealServerKey.of("2001:db8:1::3", 8080), 4);
    try (NetNs dirNs = NetNs.create(); NetNs clNs = NetNs.create()) {
      NetNs dir = dirNs.withDeadline(Duration.ofSeconds(60)); // TCG is slow
      NetNs cl = clNs.withDeadline(Duration.ofSeconds(60));
      NetNs.veth(dir, "dr0", cl, "cl0");
      dir.addAddress("dr0", "10.7.255.254/16");
      dir.addDummy("vip0").up("vip0").addAddress("vip0", VIP + "/32");
      dir.addDummy("rs0").up("rs0").addAddress("rs0", "198.51.100.254/24");
      dir.run("sysctl", "-qw", "net.ipv4.ip_forward=1");
      dir.run("sysctl", "-qw", "net.ipv6.conf.all.forwarding=1");
      dir.addAddress("dr0", "fd00:7::ffff/64").addAddress("vip0", VIP6 + "/128").addAddress("rs0", "2001:db8:1::ff/64");
      List<String> clients = new ArrayList<>();
      StringBuilder batch = new StringBuilder();
      for (int i = 0; i < CLIENTS; i++) {
        String a = "10.7." + (i / 100) + "." + (1 + i % 100 * 2);
        clients.add(a);
        batch.append("addr add ").append(a).append("/16 dev cl0\n");
      }
      List<String> clients6 = new ArrayList<>();
      for (int i = 0; i < CLIENTS; i++) {
        String a = "fd00:7::" + Integer.toHexString(0x100 + i * 37);
        clients6.add(a);
        batch.append("addr add ").append(a).append("/64 dev cl0 nodad\n");
      }
      Path file = Files.createTempFile("lbt-mh", ".ip");
      try {
        Files.writeString(file, batch);
        cl.ip("-batch", file.toString());
      } finally {
        Files.delete(file);
      }
      cl.ip("route", "add", VIP + "/32", "via", "10.7.255.254");
      cl.ip("-6", "route", "add", VIP6 + "/128", "via", "fd00:7::ffff");
      try (NetlinkIpvs ipvs = NetlinkIpvs.open(dir.name())) {
        ipvs.addService(IpvsService.of(plain, Scheduler.MH));
        ipvs.addService(new IpvsService(port, Scheduler.MH, Set.of(SchedulerFlag.MH_PORT), null, false));
        ipvs.addService(IpvsService.of(v6, Scheduler.MH));
        for (ServiceKey k : List.of(plain, port, v6)) {
          for (Map.Entry<RealServerKey, Integer> e : (k == v6 ? weights6 : weights).entrySet()) {
            ipvs.addDest(k, IpvsDest.of(e.getKey().address(), e.getKey().port(), Forwarding.NAT, e.getValue()));
          }
        }
      }
      for (int p : List.of(80, 81, 6)) {
        List<String> argv = new ArrayList<>(List.of("python3", "-c", PYTHON, p == 6 ? VIP6 : VIP,
            Integer.toString(p == 6 ? 80 : p)));
        argv.addAll(p == 6 ? clients6 : clients);
        cl.run(argv.toArray(String[]::new));
      }
      List<RealServerKey> slots = SlotLayout.of(Scheduler.MH, new TreeMap<>(weights));
      List<RealServerKey> slots6 = SlotLayout.of(Scheduler.MH, new TreeMap<>(weights6));
      Map<Integer, Integer> checked = new HashMap<>();
      Map<RealServerKey, Integer> picked = new HashMap<>();
      for (String line : dir.run("cat", "/proc/net/ip_vs_conn").lines().skip(1).toList()) {
        // Pro FromIP FPrt ToIP TPrt DestIP DPrt State Expires ...
        String[] f = line.trim().split("\\s+");
        InetAddress from = addr(f[1]);
        int fport = Integer.parseInt(f[2], 16);
        int vport = Integer.parseInt(f[4], 16);
        RealServerKey got = new RealServerKey(addr(f[5]), Integer.parseInt(f[6], 16));
        int slot = Maglev.flowSlot(from, vport == 81 ? fport : 0);
        boolean six = f[1].contains(":");
        assertThat(got).as("client %s:%d to port %d (slot %d)", from.getHostAddress(), fport, vport, slot)
            .isEqualTo((six ? slots6 : slots).get(slot));
        checked.merge(six ? 6 : vport, 1, Integer::sum);
        picked.merge(got, 1, Integer::sum);
      }
      assertThat(checked).containsEntry(80, CLIENTS).containsEntry(81, CLIENTS).containsEntry(6, CLIENTS);
      assertThat(picked.keySet()).as("real servers picked").hasSizeGreaterThan(1);
      System.out.println("MaglevKernelTest: " + 3 * CLIENTS + " connections, each on the predicted real server: "
          + picked);
    }
  }

  /** An address of /proc/net/ip_vs_conn: IPv4 as 8 hex digits, IPv6 in full colon form. */
  static InetAddress addr(String s) throws Exception {
    if (s.contains(":")) {
      return InetAddress.getByName(s);
    }
    long v = Long.parseLong(s, 16);
    return InetAddress.getByAddress(new byte[] {(byte) (v >> 24), (byte) (v >> 16), (byte) (v >> 8), (byte) v});
  }
}
