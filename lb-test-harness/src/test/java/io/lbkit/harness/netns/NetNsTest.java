package io.lbkit.harness.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lbkit.harness.Tiers;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** netns tier: needs root. */
class NetNsTest {

  @BeforeAll
  static void needsRoot() {
    Tiers.requireRoot("creates network namespaces");
  }

  @Test
  void create_freshNamespace_hasOnlyLoopbackUpAndIsDeletedOnClose() {
    NetNs ns = NetNs.create();
    try (ns) {
      assertThat(ns.name()).matches("lbt-[0-9a-f]{8}");
      assertThat(ns.exists()).isTrue();
      assertThat(ns.ip("-o", "link").lines()).singleElement().asString().contains("lo:").contains("UP");
    }
    assertThat(ns.exists()).isFalse();
  }

  @Test
  void addDummy_withAddresses_visibleInsideOnlyNotOnHost() {
    try (NetNs ns = NetNs.create()) {
      ns.addDummy("lbtdummy0").up("lbtdummy0").addAddress("lbtdummy0", "192.0.2.10/32")
          .addAddress("lbtdummy0", "2001:db8::10/128");
      assertThat(String.join("\n", ns.addressLines("lbtdummy0"))).contains("inet 192.0.2.10/32")
          .contains("inet6 2001:db8::10/128");
      assertThat(Exec.run(Duration.ofSeconds(5), "ip", "-o", "link").stdout()).doesNotContain("lbtdummy0");
      ns.delAddress("lbtdummy0", "192.0.2.10/32");
      assertThat(String.join("\n", ns.addressLines("lbtdummy0"))).doesNotContain("192.0.2.10");
      assertThat(ns.ifIndex("lbtdummy0")).isGreaterThan(1);
    }
  }

  @Test
  void veth_betweenTwoNamespaces_carriesPing() {
    Tiers.requireProgram("busybox");
    try (NetNs a = NetNs.create(); NetNs b = NetNs.create()) {
      NetNs.veth(a, "eth0", b, "eth0");
      a.addAddress("eth0", "10.99.0.1/24");
      b.addAddress("eth0", "10.99.0.2/24");
      assertThat(a.run("busybox", "ping", "-c", "1", "-W", "3", "10.99.0.2")).contains("1 packets received");
      b.down("eth0");
      assertThat(a.exec("busybox", "ping", "-c", "1", "-W", "1", "10.99.0.2").ok()).isFalse();
    }
  }

  @Test
  void lan_threeMembers_reachEachOtherThroughBridge() {
    Tiers.requireProgram("busybox");
    try (Lan lan = Lan.create(3, "10.98.0.0/24")) {
      assertThat(lan.address(2)).isEqualTo("10.98.0.3");
      assertThat(lan.member(0).run("busybox", "ping", "-c", "1", "-W", "3", lan.address(2)))
          .contains("1 packets received");
      assertThat(lan.hub().ip("-o", "link", "show", "master", Lan.BRIDGE).lines()).hasSize(3);
    }
  }

  @Test
  void close_killsStartedProcessesAndForkedDaemons() throws Exception {
    NetNs ns = NetNs.create();
    Process p;
    try (ns) {
      p = ns.start("sleep", "300");
      // a daemon that detached from us: only `ip netns pids` still finds it
      ns.run("sh", "-c", "setsid sleep 301 >/dev/null 2>&1 < /dev/null &");
      assertThat(Exec.run(Duration.ofSeconds(5), "ip", "netns", "pids", ns.name()).stdout().lines()).hasSize(2);
    }
    assertThat(p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(ns.exists()).isFalse();
    assertThat(Exec.run(Duration.ofSeconds(5), "pgrep", "-f", "sleep 301").stdout()).isBlank();
  }

  @Test
  void exec_pastDeadline_killedAndReportedAsTimedOut() {
    try (NetNs ns = NetNs.create()) {
      Exec.Result r = ns.withDeadline(Duration.ofMillis(300)).exec("sleep", "30");
      assertThat(r.exitCode()).isEqualTo(Exec.TIMED_OUT);
      assertThatThrownBy(r::orThrow).hasMessageContaining("sleep 30: killed at its deadline");
    }
  }

  @Test
  void addDummy_badName_rejectedBeforeAnyCommand() {
    try (NetNs ns = NetNs.create()) {
      assertThatThrownBy(() -> ns.addDummy("way-too-long-interface-name"))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("way-too-long-interface-name");
    }
  }
}
