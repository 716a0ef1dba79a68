package io.lbkit.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.harness.Tiers;
import io.lbkit.harness.netns.Exec;
import io.lbkit.harness.netns.Lan;
import io.lbkit.harness.netns.NetNs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * netns tier, end to end on this host's kernel (no IPVS needed): a client, a director and
 * two real servers on one bridge, in namespaces this test creates. The client's subnet is
 * 10.9.1.0/24, the real servers' 10.9.2.0/24 (the director has an address in each and
 * forwards; the real servers' default route is the director, so NAT replies come back
 * through it). The director runs {@link LoadBalancerRuntime} on the nftables dataplane
 * with a NAT rr virtual server 10.9.1.100:80 (the VIP a static_ipaddress of the
 * director); the real servers are busybox httpd answering their own name. Requests are
 * busybox wget bounded by NetNs' 10 s deadline (this busybox's {@code wget -T} crashes).
 */
class NftablesNatNetnsTest {
  static final String VIP = "10.9.1.100";
  private Lan lan;
  private NetNs client;
  private NetNs director;
  @TempDir Path dir;

  @BeforeEach
  void network() throws Exception {
    Tiers.requireRoot("creates network namespaces");
    Tiers.requireProgram("busybox");
    lan = Lan.create(4);
    client = lan.member(0);
    director = lan.member(1);
    client.addAddress(Lan.MEMBER_IF, "10.9.1.1/24");
    director.addAddress(Lan.MEMBER_IF, "10.9.1.2/24").addAddress(Lan.MEMBER_IF, "10.9.2.2/24");
    director.run("sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
    director.run("sysctl", "-q", "-w", "net.ipv4.conf.all.send_redirects=0");
    director.run("sysctl", "-q", "-w", "net.ipv4.conf.eth0.send_redirects=0");
    for (int i = 1; i <= 2; i++) {
      NetNs rs = lan.member(i + 1);
      String addr = "10.9.2." + (i + 2);
      rs.addAddress(Lan.MEMBER_IF, addr + "/24");
      rs.ip("route", "add", "default", "via", "10.9.2.2");
      Path root = Files.createDirectories(dir.resolve("rs" + i));
      Files.writeString(root.resolve("index.html"), "rs" + i + "\n");
      rs.start(dir.resolve("httpd" + i + ".log"), "busybox", "httpd", "-f", "-p", addr + ":8080", "-h",
          root.toString());
      awaitServing(addr, "rs" + i);
    }
  }

  @AfterEach
  void cleanUp() {
    if (lan != null) {
      lan.close(); // kills the httpds with their namespaces
    }
  }

  /** The director reaches the real server directly: httpd is up (at most 50 tries, 10 s). */
  private void awaitServing(String addr, String name) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    Exec.Result last = null;
    for (int i = 0; i < 50 && System.nanoTime() < deadline; i++) {
      last = director.exec("busybox", "wget", "-q", "-O", "-", "http://" + addr + ":8080/");
      if (last.ok() && last.stdout().trim().equals(name)) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError(name + " at " + addr + ":8080 did not answer within 10 s: " + last.describe());
  }

  private String conf(int weight1) throws Exception {
    return conf("rr", weight1, 1);
  }

  private String conf(String scheduler, int weight1, int weight2) throws Exception {
    return Files.writeString(dir.resolve("keepalived.conf"), String.join("\n",
        "static_ipaddress {", "  " + VIP + "/32 dev eth0", "}",
        "virtual_server " + VIP + " 80 {", "  lvs_sched " + scheduler, "  lvs_method NAT", "  protocol TCP",
        "  real_server 10.9.2.3 8080 {", "    weight " + weight1, "  }",
        "  real_server 10.9.2.4 8080 {", "    weight " + weight2, "  }", "}", "")).toString();
  }

  /** {@code n} requests from the client through the VIP, each a new connection: who answered, in order. */
  private List<String> requests(int n) {
    List<String> answers = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Exec.Result r = client.exec("busybox", "wget", "-q", "-O", "-", "http://" + VIP + "/");
      answers.add(r.ok() ? r.stdout().trim() : "failed: " + r.describe());
    }
    return answers;
  }

  /**
   * The health checks of a runtime started with a namespace leave from that namespace:
   * the real servers (alpha: down until a check succeeds) are reachable only from the
   * director's namespace, so they come up only if the checks run there.
   */
  @Test
  void tcpChecks_inTheRuntimesNamespace_bringAlphaRealServersUp() throws Exception {
    String conf = Files.writeString(dir.resolve("checked.conf"), String.join("\n",
        "static_ipaddress {", "  " + VIP + "/32 dev eth0", "}",
        "virtual_server " + VIP + " 80 {", "  delay_loop 1", "  alpha", "  lb_algo rr", "  lb_kind NAT",
        "  protocol TCP",
        "  real_server 10.9.2.3 8080 {", "    TCP_CHECK {", "      connect_timeout 1", "    }", "  }",
        "  real_server 10.9.2.4 8080 {", "    TCP_CHECK {", "      connect_timeout 1", "    }", "  }", "}", ""))
        .toString();
    try (LoadBalancerRuntime lb = LoadBalancerRuntime.builder().netns(director.name())
        .dataplane(Dataplane.NFTABLES).start(Path.of(conf))) {
      long deadline = System.nanoTime() + 20_000_000_000L;
      List<String> answers = List.of();
      for (int i = 0; i < 40 && System.nanoTime() < deadline; i++) {
        answers = requests(2);
        if (answers.contains("rs1") && answers.contains("rs2")) {
          break;
        }
        Thread.sleep(500);
      }
      assertThat(answers).as("both real servers up through checks made in %s", director.name())
          .containsExactlyInAnyOrder("rs1", "rs2");
    }
  }

  @Test
  void natRr_tenRequestsAlternate_thenWeightZeroSendsTheRestToTheOther() throws Exception {
    try (LoadBalancerRuntime lb = LoadBalancerRuntime.builder().netns(director.name())
        .dataplane(Dataplane.NFTABLES).start(Path.of(conf(1)))) {
      assertThat(lb.dataplane()).isEqualTo(Dataplane.NFTABLES);
      List<String> ten = requests(10);
      assertThat(ten).as("answers in order").containsOnly("rs1", "rs2");
      assertThat(ten.stream().filter("rs1"::equals).count()).isEqualTo(5);
      for (int i = 1; i < ten.size(); i++) {
        assertThat(ten.get(i)).as("request %d alternates: %s", i, ten).isNotEqualTo(ten.get(i - 1));
      }

      Changes c = lb.reload(Path.of(conf(0)));
      assertThat(c.ipvs().applied()).extracting(Object::toString)
          .containsExactly("-e -t 10.9.1.100:80 -r 10.9.2.3:8080 -m -w 0");
      assertThat(requests(4)).containsExactly("rs2", "rs2", "rs2", "rs2");
    }
  }

  @Test
  void natSh_sendsEveryConnectionOfTheClientToOneRealServer() throws Exception {
    try (LoadBalancerRuntime lb = LoadBalancerRuntime.builder().netns(director.name())
        .dataplane(Dataplane.NFTABLES).start(Path.of(conf("sh", 1, 1)))) {
      List<String> six = requests(6);
      assertThat(six).as("one client, one hash").containsOnly(six.get(0));
      assertThat(six.get(0)).isIn("rs1", "rs2");
      boolean first = six.get(0).equals("rs1");
      String other = first ? "rs2" : "rs1";
      Changes c = lb.reload(Path.of(conf("sh", first ? 0 : 1, first ? 1 : 0)));
      assertThat(c.ipvs().failed()).isEmpty();
      assertThat(requests(3)).as("its real server at weight 0: the others take it").containsOnly(other);
    }
  }

  @Test
  void auto_onAKernelWithoutIpvs_runsOnNftables() throws Exception {
    Assumptions.assumeFalse(Tiers.hasIpvs(), "this kernel has IPVS: auto picks it (the kernel tier covers that)");
    try (LoadBalancerRuntime lb = LoadBalancerRuntime.builder().netns(director.name()).start(Path.of(conf(1)))) {
      assertThat(lb.dataplane()).isEqualTo(Dataplane.NFTABLES);
      assertThat(director.run("nft", "list", "table", "inet", "lbkit")).contains("svc_tcp_10.9.1.100_80");
      assertThat(requests(2)).containsExactlyInAnyOrder("rs1", "rs2");
    }
  }
}
