package io.lbkit.nftables;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.Director;
import io.lbkit.api.RealServer;
import io.lbkit.api.VirtualService;
import io.lbkit.api.ipvs.Ipvs;
import io.lbkit.api.ipvs.Reconciliation;
import io.lbkit.api.ipvsadm.IpvsadmFormat;
import io.lbkit.harness.Tiers;
import io.lbkit.harness.netns.Exec;
import io.lbkit.harness.netns.NetNs;
import io.lbkit.netlink.NetlinkIpvs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Inside the kernel VM: the same spec (the seed's service shape: TCP VIP:80, rr, two real
 * servers, here NAT) applied by the Director through {@link NftablesIpvs} and then, in the
 * same director namespace, through lb-netlink's {@code NetlinkIpvs}, reads back as the same
 * {@code ipvsadm -L -n} table (bar the first line) and carries a client's requests through
 * the VIP to both real servers in turn. Namespaces: a client, a director (VIP on a dummy,
 * forwarding on) and two real servers ({@code busybox httpd}, default route via the
 * director, as NAT needs), each on its own veth link to the director.
 */
@Tag("kernel")
class SideBySideKernelTest {
  static final String VIP = "192.0.2.200";
  static final Duration SLOW = Duration.ofSeconds(60); // TCG

  static VirtualService seedNat() {
    return VirtualService.tcp(VIP, 80).rr().nat()
        .add(RealServer.of("10.8.1.1", 80).weight(1))
        .add(RealServer.of("10.8.2.1", 80).weight(1));
  }

  @Test
  void sameSpec_onNftablesAndOnIpvs_sameIpvsadmTable_andRequestsAlternateThroughTheVip() throws Exception {
    Tiers.requireIpvs();
    Tiers.requireRoot("creates network namespaces");
    Tiers.requireProgram("busybox");
    Path www = Files.createTempDirectory("lbt-side");
    try (NetNs dirNs = NetNs.create(); NetNs clNs = NetNs.create(); NetNs r1Ns = NetNs.create();
        NetNs r2Ns = NetNs.create()) {
      NetNs dir = dirNs.withDeadline(SLOW);
      NetNs cl = clNs.withDeadline(SLOW);
      NetNs.veth(dir, "dr0", cl, "cl0");
      dir.addAddress("dr0", "10.7.0.254/24");
      cl.addAddress("cl0", "10.7.0.1/24");
      cl.ip("route", "add", VIP + "/32", "via", "10.7.0.254");
      dir.addDummy("vip0").up("vip0").addAddress("vip0", VIP + "/32");
      dir.run("sysctl", "-qw", "net.ipv4.ip_forward=1");
      NetNs[] rs = {r1Ns.withDeadline(SLOW), r2Ns.withDeadline(SLOW)};
      String[] names = {"shizune", "tenten"};
      for (int i = 0; i < 2; i++) {
        NetNs.veth(dir, "rs" + (i + 1), rs[i], "eth0");
        dir.addAddress("rs" + (i + 1), "10.8." + (i + 1) + ".254/24");
        rs[i].addAddress("eth0", "10.8." + (i + 1) + ".1/24");
        rs[i].ip("route", "add", "default", "via", "10.8." + (i + 1) + ".254");
        Path root = Files.createDirectories(www.resolve(names[i]));
        Files.writeString(root.resolve("test.html"), names[i] + " webserv\n");
        rs[i].start("busybox", "httpd", "-f", "-p", "80", "-h", root.toString());
      }

      String onNft;
      List<String> viaNft;
      try (NftablesIpvs nft = NftablesIpvs.open(dir.name())) {
        Director director = Director.create(nft);
        onNft = apply(director, nft, List.of(seedNat()));
        viaNft = requests(cl, 4);
        assertThat(apply(director, nft, List.of())).as("nftables emptied").doesNotContain("TCP");
      }
      String onIpvs;
      List<String> viaIpvs;
      try (NetlinkIpvs ipvs = NetlinkIpvs.open(dir.name())) {
        Director director = Director.create(ipvs);
        onIpvs = apply(director, ipvs, List.of(seedNat()));
        viaIpvs = requests(cl, 4);
        apply(director, ipvs, List.of());
      }
      System.out.println("SideBySideKernelTest: nftables\n" + onNft + "IPVS\n" + onIpvs
          + "requests via nftables " + viaNft + ", via IPVS " + viaIpvs);
      assertThat(onNft).contains("TCP  192.0.2.200:80 rr", "  -> 10.8.1.1:80                  Masq    1      0");
      assertThat(onNft).as("the same ipvsadm -L -n table bar the first line").isEqualTo(onIpvs);
      for (List<String> seen : List.of(viaNft, viaIpvs)) {
        assertThat(seen).as("requests through the VIP").containsOnly("shizune", "tenten");
        for (int i = 1; i < seen.size(); i++) {
          assertThat(seen.get(i)).as("request %d of %s", i + 1, seen).isNotEqualTo(seen.get(i - 1));
        }
      }
    } finally {
      try (var all = Files.walk(www)) {
        for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  /** {@code director} applies {@code services}; returns the table's {@code ipvsadm -L -n} form without its first line. */
  private static String apply(Director director, Ipvs table, List<VirtualService> services) throws Exception {
    Reconciliation r = director.setServices(services);
    assertThat(r.failed()).as("failed changes").isEmpty();
    String listed = IpvsadmFormat.list(table.info(), table.services(), IpvsadmFormat.View.DEFAULT, true);
    return listed.substring(listed.indexOf('\n') + 1);
  }

  private static List<String> requests(NetNs cl, int n) {
    List<String> who = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Exec.Result r = cl.exec("busybox", "timeout", "20", "busybox", "wget", "-q", "-O", "-",
          "http://" + VIP + "/test.html");
      String page = r.stdout();
      who.add(page.contains("shizune") ? "shizune" : page.contains("tenten") ? "tenten" : "FAILED " + r.describe());
    }
    return who;
  }
}
