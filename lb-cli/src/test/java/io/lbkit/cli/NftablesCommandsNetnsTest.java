package io.lbkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.harness.Tiers;
import io.lbkit.harness.netns.NetNs;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * netns tier: {@code lbctl apply --dataplane nftables} of a keepalived.conf writes lbkit's
 * nftables table in a namespace this test creates, {@code lbctl show --dataplane nftables}
 * prints it in ipvsadm's form, and what nftables cannot do fails naming the service.
 */
class NftablesCommandsNetnsTest {
  private final InProcessLbctl lbctl = new InProcessLbctl().freshEachRun();
  static final String NAT_RR = String.join("\n",
      "virtual_server 192.0.2.200 80 {", "  lvs_sched rr", "  lvs_method NAT", "  protocol TCP",
      "  real_server 198.51.100.61 8080 {", "    weight 1", "  }",
      "  real_server 198.51.100.62 8080 {", "    weight 1", "  }", "}", "");
  @TempDir Path dir;
  private NetNs ns;

  @BeforeEach
  void namespace() {
    Tiers.requireRoot("creates network namespaces");
    Tiers.requireProgram("nft");
    ns = NetNs.create();
  }

  @AfterEach
  void cleanUp() {
    if (ns != null) {
      ns.close();
    }
  }

  @Test
  void applyThenShow_onNftables_printsTheTableAsIpvsadmWould() throws Exception {
    Path conf = Files.writeString(dir.resolve("keepalived.conf"), NAT_RR);
    assertThat(lbctl.run("apply", "--dataplane", "nftables", "--netns", ns.name(), conf.toString())).as(lbctl.err()).isZero();
    assertThat(lbctl.out().lines()).containsExactly("-A -t 192.0.2.200:80 -s rr",
        "-a -t 192.0.2.200:80 -r 198.51.100.61:8080 -m -w 1", "-a -t 192.0.2.200:80 -r 198.51.100.62:8080 -m -w 1");
    assertThat(lbctl.err()).contains("lbctl apply: on the nftables dataplane (tables inet lbkit and netdev lbkit)");
    assertThat(ns.run("nft", "list", "table", "inet", "lbkit"))
        .contains("192.0.2.200 . tcp . 80 : goto svc_tcp_192.0.2.200_80");

    assertThat(lbctl.run("show", "--dataplane", "nftables", "--netns", ns.name())).as(lbctl.err()).isZero();
    assertThat(lbctl.out()).isEqualTo(ShowCommand.NFTABLES_HEADER + "\n"
        + "Prot LocalAddress:Port Scheduler Flags\n"
        + "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n"
        + "TCP  192.0.2.200:80 rr\n"
        + "  -> 198.51.100.61:8080           Masq    1      0          0         \n"
        + "  -> 198.51.100.62:8080           Masq    1      0          0         \n");
    assertThat(lbctl.run("show", "--save", "--dataplane", "nftables", "--netns", ns.name())).isZero();
    assertThat(lbctl.out().lines()).containsExactly("-A -t 192.0.2.200:80 -s rr",
        "-a -t 192.0.2.200:80 -r 198.51.100.61:8080 -m -w 1", "-a -t 192.0.2.200:80 -r 198.51.100.62:8080 -m -w 1");

    assertThat(lbctl.run("apply", "--dataplane", "nftables", "--netns", ns.name(), conf.toString())).isZero();
    assertThat(lbctl.out()).as("an unchanged file changes nothing").isEmpty();
    assertThat(lbctl.err()).contains("0 change(s)");
  }

  @Test
  void show_onNftablesWithoutTable_listsNothing_andCreatesNoTable() {
    assertThat(lbctl.run("show", "--dataplane", "nftables", "--netns", ns.name())).as(lbctl.err()).isZero();
    assertThat(lbctl.out().lines()).hasSize(3).first().isEqualTo(ShowCommand.NFTABLES_HEADER);
    assertThat(ns.run("nft", "list", "tables")).isEmpty();
  }

  @Test
  void apply_tunnelOnNftables_failsNamingServiceAndReason() throws Exception {
    Path conf = Files.writeString(dir.resolve("keepalived.conf"), NAT_RR.replace("lvs_method NAT", "lvs_method TUN"));
    assertThat(lbctl.run("apply", "--dataplane", "nftables", "--netns", ns.name(), conf.toString())).isEqualTo(1);
    assertThat(lbctl.err()).contains("FAILED -a -t 192.0.2.200:80 -r 198.51.100.61:80 -i -w 1")
        .contains("TCP 192.0.2.200:80").contains("EOPNOTSUPP").contains("Tunnel forwarding is not implemented");
  }

  @Test
  void apply_directRoutingToARealServerOffLink_failsNamingIt() throws Exception {
    Path conf = Files.writeString(dir.resolve("keepalived.conf"), NAT_RR.replace("lvs_method NAT", "lvs_method DR"));
    assertThat(lbctl.run("apply", "--dataplane", "nftables", "--netns", ns.name(), conf.toString())).isEqualTo(1);
    assertThat(lbctl.err()).contains("198.51.100.61").contains("TCP 192.0.2.200:80").contains("ENETUNREACH")
        .contains("direct routing needs it on a network of this director");
  }
}
