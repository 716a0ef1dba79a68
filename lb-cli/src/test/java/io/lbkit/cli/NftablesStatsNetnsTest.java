package io.lbkit.cli;

import io.lbkit.harness.netns.NatTopology;
import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.harness.Tiers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * netns tier: after real HTTP through the nftables dataplane, {@code lbctl show --stats}
 * prints the moved counters in {@code ipvsadm -L -n --stats} form, and {@code lbctl show
 * --nft} prints the table as {@code nft list table inet lbkit} does.
 */
class NftablesStatsNetnsTest {
  private final InProcessLbctl lbctl = new InProcessLbctl().freshEachRun();
  @TempDir Path dir;

  @BeforeEach
  void needs() {
    Tiers.requireRoot("creates network namespaces");
    Tiers.requireProgram("nft");
    Tiers.requireProgram("curl");
    Tiers.requireProgram("python3");
  }

  @Test
  void showStats_afterTraffic_printsTheCountersAsIpvsadmStats_andShowNftPrintsNftsText() throws Exception {
    Path conf = Files.writeString(dir.resolve("keepalived.conf"), String.join("\n",
        "virtual_server " + NatTopology.VIP + " 80 {", "  lvs_sched mh", "  lvs_method NAT", "  protocol TCP",
        "  real_server " + NatTopology.RS + " 8080 {", "    weight 1", "  }", "}", ""));
    try (NatTopology net = new NatTopology()) {
      String ns = net.director.name();
      assertThat(lbctl.run("apply", "--dataplane", "nftables", "--netns", ns, conf.toString())).as(lbctl.err()).isZero();
      for (int i = 0; i < 2; i++) {
        assertThat(net.get()).contains("Directory listing");
      }
      assertThat(lbctl.run("show", "--stats", "--dataplane", "nftables", "--netns", ns)).as(lbctl.err()).isZero();
      List<String> lines = lbctl.out().lines().toList();
      assertThat(lines.get(0)).isEqualTo(ShowCommand.NFTABLES_HEADER);
      assertThat(lines.get(1)).isEqualTo(
          "Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes");
      assertThat(lines.get(2)).isEqualTo("  -> RemoteAddress:Port");
      String[] svc = lines.get(3).trim().split("\\s+");
      String[] rs = lines.get(4).trim().split("\\s+");
      assertThat(svc[0] + " " + svc[1]).isEqualTo("TCP " + NatTopology.VIP + ":80");
      assertThat(rs[1]).isEqualTo(NatTopology.RS + ":8080");
      assertThat(Long.parseLong(svc[3])).as("in packets").isGreaterThanOrEqualTo(2 * 4);
      assertThat(Long.parseLong(svc[4])).as("out packets").isGreaterThanOrEqualTo(2 * 3);
      assertThat(List.of(svc).subList(3, 7)).as("the service is the sum of its one real server")
          .isEqualTo(List.of(rs).subList(3, 7));
      assertThat(svc[2]).as("connections are not counted on nftables").isEqualTo("0");

      assertThat(lbctl.run("show", "--view", "stats", "--dataplane", "nftables", "--netns", ns)).isZero();
      assertThat(lbctl.out().lines().toList()).isEqualTo(lines);

      assertThat(lbctl.run("show", "--nft", "--netns", ns)).as(lbctl.err()).isZero();
      assertThat(lbctl.out()).isEqualTo(net.director.run("nft", "list", "table", "inet", "lbkit"))
          .startsWith("table inet lbkit {").contains("comment \"mh\"").contains("counter packets");
    }
    assertThat(lbctl.run("show", "--nft", "--stats")).isEqualTo(2);
  }
}
