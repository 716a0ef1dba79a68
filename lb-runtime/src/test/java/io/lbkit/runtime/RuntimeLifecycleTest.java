package io.lbkit.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lbkit.api.Family;
import io.lbkit.api.LoadBalancerSpec;
import io.lbkit.api.net.Inet;
import io.lbkit.api.vrrp.VrrpState;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start, reload and close of a {@link LoadBalancerRuntime}: static addresses, refused reloads, graceful stop. */
class RuntimeLifecycleTest {
  static final InetAddress VIP = Inet.parse("10.0.0.100");
  @TempDir Path dir;

  static final String[] INSTANCE = {
      "vrrp_instance VI_1 {", "  interface eth0", "  virtual_router_id 51", "  priority 100", "  advert_int 1",
      "  virtual_ipaddress {", "    10.0.0.100", "  }", "}"};

  static final String[] SERVER = {
      "virtual_server 10.0.0.100 80 {", "  lb_algo rr", "  lb_kind DR", "  protocol TCP",
      "  real_server 10.0.0.11 80 {", "    weight 1", "    TCP_CHECK {", "      connect_timeout 1", "    }", "  }",
      "}"};

  static String[] lines(String[]... parts) {
    return java.util.Arrays.stream(parts).flatMap(java.util.Arrays::stream).toArray(String[]::new);
  }

  @Test
  void checkThreads_two_healthMonitorRunsTwoCheckThreads_stoppedAtClose() throws Exception {
    Lab lab = new Lab(dir);
    LoadBalancerRuntime.Builder b = LoadBalancerRuntime.builder().timers(lab.clock).ipvs(lab.ipvs)
        .addresses(lab.addresses).routes(lab.routes).vrrpTransport(lab.net.host(Inet.parse("10.0.0.1")))
        .linkStatus(iface -> true).checkThreads(2); // the default health checking: lb-checks' HealthMonitor
    try (LoadBalancerRuntime lb = b.start(lab.conf(SERVER))) {
      assertThat(checkThreads()).containsExactlyInAnyOrder("lbkit-checks-0", "lbkit-checks-1");
    }
    long deadline = System.nanoTime() + 20_000_000_000L; // close joins each for 2 s at most
    while (!checkThreads().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(checkThreads()).as("check threads after close").isEmpty();
    assertThatThrownBy(() -> LoadBalancerRuntime.builder().checkThreads(0))
        .hasMessage("checkThreads must be within 1-64: 0");
  }

  private static List<String> checkThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
        .filter(n -> n.matches("lbkit-checks-\\d+")).toList(); // (a one-thread monitor's is lbkit-checks)
  }

  @Test
  void staticAddressesAndRoutes_addedAtStart_changedByReload_removedAtClose() throws Exception {
    Lab lab = new Lab(dir);
    LoadBalancerRuntime lb = lab.builder().start(lab.conf(lines(
        new String[] {"static_ipaddress {", "  192.168.1.5/24 dev eth1", "  192.168.1.6/24 dev eth1", "}",
            "static_routes {", "  10.1.0.0/16 via 192.168.1.1 dev eth1", "}"}, INSTANCE)));
    try {
      assertThat(lab.addresses.has("eth1", Inet.parse("192.168.1.5"))).isTrue();
      assertThat(lab.addresses.has("eth1", Inet.parse("192.168.1.6"))).isTrue();
      assertThat(lab.routes.table()).singleElement().satisfies(r -> assertThat(r.destination())
          .isEqualTo(Inet.parse("10.1.0.0")));
      assertThat(lab.applied.get(0).network()).containsExactly("static_ipaddress 192.168.1.5/24 dev eth1 added",
          "static_ipaddress 192.168.1.6/24 dev eth1 added", "static_routes 10.1.0.0/16 via 192.168.1.1 dev eth1 added");
      assertThat(lab.addresses.has("eth0", VIP)).as("a static address does not wait for MASTER").isFalse();

      Changes c = lb.reload(lab.conf(lines(
          new String[] {"static_ipaddress {", "  192.168.1.5/24 dev eth1", "  192.168.1.7/24 dev eth1", "}"},
          INSTANCE)));
      assertThat(c.network()).containsExactly("static_routes 10.1.0.0/16 via 192.168.1.1 dev eth1 removed",
          "static_ipaddress 192.168.1.6/24 dev eth1 removed", "static_ipaddress 192.168.1.7/24 dev eth1 added");
      assertThat(lab.addresses.has("eth1", Inet.parse("192.168.1.6"))).isFalse();
      assertThat(lab.addresses.has("eth1", Inet.parse("192.168.1.7"))).isTrue();
      assertThat(lab.routes.table()).isEmpty();
    } finally {
      lb.close();
    }
    assertThat(lab.addresses.addresses("eth1")).isEmpty();
  }

  @Test
  void staticAddress_onAMissingInterface_isReportedAsAFailure_othersApplied() throws Exception {
    Lab lab = new Lab(dir);
    try (LoadBalancerRuntime lb = lab.builder().start(lab.conf(lines(
        new String[] {"static_ipaddress {", "  192.168.1.5/24 dev eth9", "  192.168.1.6/24 dev eth1", "}"},
        INSTANCE)))) {
      assertThat(lab.applied.get(0).failures()).singleElement().asString()
          .startsWith("static_ipaddress 192.168.1.5/24 dev eth9: not added: ");
      assertThat(lab.addresses.has("eth1", Inet.parse("192.168.1.6"))).isTrue();
      assertThat(lb.status().vrrp()).containsKey("VI_1");
    }
  }

  @Test
  void reload_fileWithErrors_throwsWithFileAndLine_runningConfigurationKept() throws Exception {
    Lab lab = new Lab(dir);
    try (LoadBalancerRuntime lb = lab.builder().start(lab.conf(lines(INSTANCE, SERVER)))) {
      lab.clock.advance(Duration.ofSeconds(5));
      LoadBalancerSpec running = lb.spec();
      lab.ipvs.clearLog();
      List<String> addressLog = lab.addresses.log();
      String[] bad = lines(INSTANCE, SERVER);
      bad[3] = "  priority 300"; // line 4
      bad[13] = "    weight 5";  // a change that must not be applied either
      Path conf = lab.conf(bad);

      assertThatThrownBy(() -> lb.reload(conf)).isInstanceOfSatisfying(ConfigException.class, e -> {
        assertThat(e.getMessage()).startsWith(conf + ":4: error: ");
        assertThat(e.diagnostics()).anySatisfy(d -> assertThat(d.format()).startsWith(conf + ":4: error"));
      });

      assertThat(lb.spec()).isSameAs(running);
      assertThat(lab.ipvs.log()).isEmpty();
      assertThat(lab.addresses.log()).isEqualTo(addressLog);
      assertThat(lb.status().vrrp().get("VI_1").state()).isEqualTo(VrrpState.MASTER);
      assertThat(lab.applied).hasSize(1);
      assertThat(lb.reload(lab.conf(lines(INSTANCE, SERVER))).isEmpty()).as("the old file again: no change")
          .isTrue();
    }
  }

  @Test
  void start_fileWithErrors_throwsBeforeAnythingRuns() throws Exception {
    Lab lab = new Lab(dir);
    String[] bad = lines(INSTANCE);
    bad[2] = "  virtual_router_id 0";
    Path conf = lab.conf(bad);
    assertThatThrownBy(() -> lab.builder().start(conf)).isInstanceOfSatisfying(ConfigException.class,
        e -> assertThat(e.diagnostics()).anySatisfy(d -> assertThat(d.format()).startsWith(conf + ":3: error: ")));
    assertThat(lab.addresses.log()).isEmpty();
    assertThat(lab.clock.pending()).isZero();
  }

  @Test
  void reload_specTrackingAnUndefinedScript_refused_nothingChanged() throws Exception {
    Lab lab = new Lab(dir);
    try (LoadBalancerRuntime lb = lab.builder().start(lab.conf(lines(INSTANCE, SERVER)))) {
      LoadBalancerSpec running = lb.spec();
      var vi = running.vrrpInstances().get(0).toBuilder();
      vi.trackScripts = java.util.Map.of("nope", java.util.OptionalInt.of(5));
      LoadBalancerSpec bad = running.withVrrpInstances(List.of(vi.build()))
          .withVirtualServices(List.of());
      assertThatThrownBy(() -> lb.reload(bad)).isInstanceOf(ConfigException.class)
          .hasMessageContaining("track_script nope");
      assertThat(lb.spec()).isSameAs(running);
      assertThat(lab.ipvs.services()).hasSize(1);
    }
  }

  @Test
  void close_masterSendsPriorityZero_removesVip_checksStop_ipvsKeptWithoutFlushOnStop() throws Exception {
    Lab lab = new Lab(dir);
    List<Integer> priorities = sniffPriorities(lab);
    LoadBalancerRuntime lb = lab.builder().start(lab.conf(lines(INSTANCE, SERVER)));
    lab.clock.advance(Duration.ofSeconds(5));
    assertThat(lab.addresses.has("eth0", VIP)).isTrue();
    priorities.clear();
    lb.close();
    lab.clock.runDue(); // the in-memory network delivers on the clock
    assertThat(priorities).containsExactly(0);
    assertThat(lab.addresses.has("eth0", VIP)).isFalse();
    assertThat(lab.checks.isClosed()).isTrue();
    assertThat(lab.ipvs.services()).as("IPVS rules stay, as keepalived leaves them").hasSize(1);
    assertThat(lab.events).endsWith("VI_1 MASTER -> STOP");
    lb.close(); // idempotent
    assertThatThrownBy(() -> lb.reload(lb.spec())).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void close_withLvsFlushOnStop_removesTheIpvsRules() throws Exception {
    Lab lab = new Lab(dir);
    LoadBalancerRuntime lb = lab.builder().start(lab.conf(lines(
        new String[] {"global_defs {", "  lvs_flush_onstop", "}"}, INSTANCE, SERVER)));
    assertThat(lab.ipvs.services()).hasSize(1);
    lb.close();
    assertThat(lab.ipvs.services()).isEmpty();
  }

  @Test
  void withoutVirtualServers_noIpvsIsOpened_aReloadThatNeedsItFailsAndKeepsTheRunningOne() throws Exception {
    Lab lab = new Lab(dir);
    // no ipvs(...): opening the netlink one in a namespace that does not exist would fail
    LoadBalancerRuntime.Builder b = LoadBalancerRuntime.builder().netns("lbkit-test-no-such-netns")
        .timers(lab.clock).addresses(lab.addresses).routes(lab.routes).linkStatus(i -> true)
        .vrrpTransport(lab.net.host(Inet.parse("10.0.0.1")));
    try (LoadBalancerRuntime lb = b.start(lab.conf(INSTANCE))) {
      lab.clock.advance(Duration.ofSeconds(5));
      assertThat(lb.status().vrrp().get("VI_1").state()).isEqualTo(VrrpState.MASTER);
      LoadBalancerSpec running = lb.spec();
      assertThatThrownBy(() -> lb.reload(lab.conf(lines(INSTANCE, SERVER))))
          .isInstanceOf(java.io.IOException.class).isNotInstanceOf(ConfigException.class);
      assertThat(lb.spec()).isSameAs(running);
      assertThat(lb.status().vrrp().get("VI_1").state()).isEqualTo(VrrpState.MASTER);
    }
  }

  @Test
  void healthVerdict_setsTheIpvsWeight_andReachesTheListener() throws Exception {
    Lab lab = new Lab(dir);
    try (LoadBalancerRuntime lb = lab.builder().start(lab.conf(lines(INSTANCE, SERVER)))) {
      var service = lb.spec().virtualServices().get(0);
      var real = service.realServers().get(0).key();
      lab.ipvs.clearLog();
      lab.checks.down(service.key(), real, "connection refused");
      assertThat(lab.ipvs.log()).singleElement().asString().isEqualTo("-d -t 10.0.0.100:80 -r 10.0.0.11:80"); // no inhibit_on_failure: removed
      assertThat(lab.events).contains("health " + real + " down");
      assertThat(lb.status().services().get(0).reals().get(0).up()).isFalse();
    }
  }

  /** The priority of every VRRP advert VRID 51 sends from now on, seen by a third host on eth0. */
  static List<Integer> sniffPriorities(Lab lab) throws Exception {
    List<Integer> out = new CopyOnWriteArrayList<>();
    lab.net.host(Inet.parse("10.0.0.9")).open("eth0", Family.INET, Inet.parse("224.0.0.18"), null,
        (buf, src, dst, ttl) -> {
          if ((buf.get(buf.position() + 1) & 0xff) == 51) { // VRID; byte 2 is the priority (RFC 3768/5798)
            out.add(buf.get(buf.position() + 2) & 0xff);
          }
        });
    return out;
  }

  @Test
  void start_fileWithErrors_everyDiagnosticNamesTheFile() throws Exception {
    Path conf = Files.writeString(dir.resolve("k.conf"), "vrrp_instance VI_1 {\n  interface eth0\n"
        + "  virtual_router_id 999\n  priority 100\n}\n");
    assertThatThrownBy(() -> LoadBalancerRuntime.start(conf)).isInstanceOfSatisfying(ConfigException.class,
        e -> assertThat(e.diagnostics()).isNotEmpty().allSatisfy(d -> assertThat(d.file()).isEqualTo(conf
            .toString())));
  }
}
