package io.lbkit.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lbkit.api.Protocol;
import io.lbkit.api.RealServerKey;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.net.Inet;
import io.lbkit.checks.CheckResult;
import io.lbkit.runtime.ConfigException;
import io.lbkit.runtime.LoadBalancerRuntime;
import io.lbkit.testing.ManualClock;
import io.lbkit.vrrp.InMemoryVrrpNetwork;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dataplane, check, reconcile and reload meters after scripted events on fakes and a manual clock. */
class LbkitMetricsDataplaneTest {
  @TempDir Path dir;
  final ManualClock clock = new ManualClock();
  final InMemoryVrrpNetwork net = new InMemoryVrrpNetwork(clock, Duration.ZERO);
  static final ServiceKey WEB = ServiceKey.of(Protocol.TCP, Inet.parse("10.0.0.100"), 80);
  static final RealServerKey R1 = RealServerKey.of("10.0.1.11", 8080);
  static final RealServerKey R2 = RealServerKey.of("10.0.1.12", 8080);
  static final String[] R1_TAGS = {"local_address", "10.0.0.100", "local_port", "80", "proto", "TCP",
      "remote_address", "10.0.1.11", "remote_port", "8080"};
  static final String[] R2_TAGS = {"local_address", "10.0.0.100", "local_port", "80", "proto", "TCP",
      "remote_address", "10.0.1.12", "remote_port", "8080"};

  static String[] server(int w1, boolean withR2) {
    String[] head = {"virtual_server 10.0.0.100 80 {", "  lb_algo wrr", "  lb_kind NAT", "  protocol TCP",
        "  real_server 10.0.1.11 8080 {", "    weight " + w1, "    TCP_CHECK {", "      connect_timeout 1", "    }",
        "  }"};
    String[] r2 = {"  real_server 10.0.1.12 8080 {", "    weight 2", "    TCP_CHECK {", "      connect_timeout 1",
        "    }", "  }"};
    java.util.List<String> l = new java.util.ArrayList<>(java.util.List.of(head));
    if (withR2) {
      l.addAll(java.util.List.of(r2));
    }
    l.add("}");
    return l.toArray(String[]::new);
  }

  Host detailed() throws java.io.IOException {
    return new Host(clock, net, "10.0.0.1", Host.write(dir.resolve("k.conf"), server(3, true)),
        LbkitMetrics.builder(new io.micrometer.core.instrument.simple.SimpleMeterRegistry()).realServerDetail(true)
            .build());
  }

  @Test
  void realServerDies_upWeightAndAgeMove_connectionsFromTheTable() throws Exception {
    Host h = detailed();
    try (LoadBalancerRuntime rt = h.runtime) {
      assertThat(h.value("lbkit.ipvs.backend.weight", R1_TAGS)).isEqualTo(3);
      assertThat(h.value("lbkit.ipvs.backend.weight.configured", R1_TAGS)).isEqualTo(3);
      assertThat(h.value("lbkit.ipvs.backend.up", R1_TAGS)).isEqualTo(1);
      assertThat(h.value("lbkit.reconcile.operations", "cause", "apply")).isEqualTo(3); // service + 2 reals
      h.ipvs.setConnections(WEB, R2, 7, 4);
      assertThat(h.value("lbkit.ipvs.backend.connections.active", R2_TAGS)).isEqualTo(7);
      assertThat(h.value("lbkit.ipvs.backend.connections.inactive", R2_TAGS)).isEqualTo(4);

      clock.advance(Duration.ofSeconds(10));
      assertThat(h.value("lbkit.check.since.change", R1_TAGS)).isEqualTo(10);
      h.checks.down(WEB, R1, "connection refused");
      clock.advance(Duration.ofSeconds(2));
      assertThat(h.value("lbkit.ipvs.backend.up", R1_TAGS)).isZero();
      assertThat(h.value("lbkit.ipvs.backend.weight", R1_TAGS)).as("out of the table").isZero();
      assertThat(h.value("lbkit.ipvs.backend.weight.configured", R1_TAGS)).isEqualTo(3);
      assertThat(h.value("lbkit.check.since.change", R1_TAGS)).isEqualTo(2);
      assertThat(h.value("lbkit.check.since.change", R2_TAGS)).isEqualTo(12);
      assertThat(h.value("lbkit.reconcile.operations", "cause", "health")).isEqualTo(1);
      assertThat(h.value("lbkit.ipvs.service.quorum.up", "local_address", "10.0.0.100")).isEqualTo(1);

      h.checks.up(WEB, R1, "connected");
      assertThat(h.value("lbkit.ipvs.backend.weight", R1_TAGS)).isEqualTo(3);
      assertThat(h.value("lbkit.ipvs.backend.up", R1_TAGS)).isEqualTo(1);
    }
  }

  @Test
  void resync_repairsATableChangedBehindItsBack() throws Exception {
    Host h = new Host(clock, net, "10.0.0.1", Host.write(dir.resolve("k.conf"), server(3, true)));
    try (LoadBalancerRuntime rt = h.runtime) {
      h.ipvs.deleteDest(WEB, R2);
      assertThat(h.value("lbkit.ipvs.backend.weight", R2_TAGS)).isZero();
      clock.advance(LoadBalancerRuntime.RESYNC.plusSeconds(1));
      assertThat(h.value("lbkit.resync.repairs")).isEqualTo(1);
      assertThat(h.value("lbkit.reconcile.operations", "cause", "resync")).isEqualTo(1);
      assertThat(h.value("lbkit.ipvs.backend.weight", R2_TAGS)).isEqualTo(2);
    }
  }

  @Test
  void reloads_countedByResult_removedRealServerLosesItsMeters() throws Exception {
    Host h = detailed();
    try (LoadBalancerRuntime rt = h.runtime) {
      h.metrics.checkAttempted(WEB, R2, "TCP_CHECK", CheckResult.up("ok"), 1_000_000, 0);
      assertThat(h.registry.find("lbkit.check.results").tags(R2_TAGS).counters()).hasSize(2);
      assertThatThrownBy(() -> rt.reload(Host.write(h.conf, "virtual_server {"))).isInstanceOf(ConfigException.class);
      assertThat(h.value("lbkit.config.reloads", "result", "failure")).isEqualTo(1);
      assertThat(h.value("lbkit.config.generation")).isEqualTo(1);

      rt.reload(Host.write(h.conf, server(5, false)));
      assertThat(h.value("lbkit.config.reloads", "result", "success")).isEqualTo(1);
      assertThat(h.value("lbkit.ipvs.backend.weight.configured", R1_TAGS)).isEqualTo(5);
      assertThat(h.value("lbkit.ipvs.backend.weight", R1_TAGS)).isEqualTo(5);
      assertThat(h.registry.find("lbkit.ipvs.backend.weight").tags(R2_TAGS).gauges()).isEmpty();
      assertThat(h.registry.find("lbkit.check.results").tags(R2_TAGS).counters()).isEmpty();
      assertThat(h.registry.find("lbkit.check.since.change").tags(R2_TAGS).timeGauges()).isEmpty();
    }
  }

  @Test
  void byDefault_perRealServerOnlyNodeExporterSeries_checkResultsPerService() throws Exception {
    Host h = new Host(clock, net, "10.0.0.1", Host.write(dir.resolve("k.conf"), server(3, true)));
    try (LoadBalancerRuntime rt = h.runtime) {
      h.metrics.checkAttempted(WEB, R1, "TCP_CHECK", CheckResult.up("ok"), 1_000_000, 0);
      h.metrics.checkAttempted(WEB, R2, "TCP_CHECK", CheckResult.down("refused"), 1_000_000, 0);
      h.metrics.checkAttempted(WEB, R2, "TCP_CHECK", CheckResult.up("ok"), 1_000_000, 0);
      assertThat(h.registry.find("lbkit.check.results").tags(R1_TAGS).counters()).isEmpty();
      assertThat(h.value("lbkit.check.results", "local_address", "10.0.0.100", "check", "TCP_CHECK", "outcome", "up"))
          .isEqualTo(2);
      assertThat(h.value("lbkit.check.results", "local_address", "10.0.0.100", "check", "TCP_CHECK",
          "outcome", "down")).isEqualTo(1);
      assertThat(h.registry.getMeters()).filteredOn(m -> m.getId().getTag("remote_address") != null)
          .extracting(m -> m.getId().getName()).containsOnly("lbkit.ipvs.backend.weight",
              "lbkit.ipvs.backend.connections.active", "lbkit.ipvs.backend.connections.inactive")
          .hasSize(6); // 3 per real server
      assertThat(h.value("lbkit.ipvs.service.connections", "local_address", "10.0.0.100")).isZero();
    }
  }

  @Test
  void checkAttempts_countedByOutcome_durationsInBuckets() throws Exception {
    Host h = detailed();
    try (LoadBalancerRuntime rt = h.runtime) {
      h.metrics.checkAttempted(WEB, R1, "TCP_CHECK", CheckResult.up("ok"), TimeUnit.MILLISECONDS.toNanos(3), 0);
      h.metrics.checkAttempted(WEB, R1, "TCP_CHECK", CheckResult.up("ok"), TimeUnit.MILLISECONDS.toNanos(40), 0);
      h.metrics.checkAttempted(WEB, R1, "TCP_CHECK", CheckResult.down("timeout"), TimeUnit.SECONDS.toNanos(1),
          TimeUnit.MILLISECONDS.toNanos(200));
      assertThat(h.value("lbkit.check.results", join(R1_TAGS, "check", "TCP_CHECK", "outcome", "up"))).isEqualTo(2);
      assertThat(h.value("lbkit.check.results", join(R1_TAGS, "check", "TCP_CHECK", "outcome", "down")))
          .isEqualTo(1);
      h.metrics.checkAttempted(WEB, R2, "TCP_CHECK", CheckResult.up("ok"), TimeUnit.MILLISECONDS.toNanos(2), 0);
      Timer t = h.registry.find("lbkit.check.duration").tags("local_address", "10.0.0.100", "check", "TCP_CHECK")
          .timer();
      assertThat(h.registry.find("lbkit.check.duration").timers()).as("one per service and check type").hasSize(1);
      assertThat(t.count()).isEqualTo(4);
      assertThat(t.max(TimeUnit.MILLISECONDS)).isEqualTo(1000);
      CountAtBucket[] buckets = t.takeSnapshot().histogramCounts();
      assertThat(buckets).extracting(b -> (long) b.bucket(TimeUnit.MILLISECONDS) + ":" + (long) b.count())
          .containsExactly("1:0", "5:2", "25:2", "100:3", "500:3", "1000:4", "5000:4");
      Timer lag = h.registry.find("lbkit.check.lag").timer();
      assertThat(lag.max(TimeUnit.MILLISECONDS)).isEqualTo(200);
    }
  }

  @Test
  void checkDurationPerRealServer_oneHistogramPerRealServer() throws Exception {
    Host h = new Host(clock, net, "10.0.0.1", Host.write(dir.resolve("k.conf"), server(3, true)),
        LbkitMetrics.builder(new io.micrometer.core.instrument.simple.SimpleMeterRegistry())
            .checkDurationPerRealServer(true).build());
    try (LoadBalancerRuntime rt = h.runtime) {
      h.metrics.checkAttempted(WEB, R1, "TCP_CHECK", CheckResult.up("ok"), TimeUnit.MILLISECONDS.toNanos(3), 0);
      h.metrics.checkAttempted(WEB, R2, "TCP_CHECK", CheckResult.up("ok"), TimeUnit.MILLISECONDS.toNanos(3), 0);
      assertThat(h.registry.find("lbkit.check.duration").tags(R1_TAGS).timer().count()).isEqualTo(1);
      assertThat(h.registry.find("lbkit.check.duration").timers()).hasSize(2);
    }
  }

  static String[] join(String[] a, String... b) {
    return java.util.stream.Stream.concat(java.util.Arrays.stream(a), java.util.Arrays.stream(b))
        .toArray(String[]::new);
  }
}
