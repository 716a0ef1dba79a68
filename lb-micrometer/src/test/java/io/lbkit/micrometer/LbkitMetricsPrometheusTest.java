package io.lbkit.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lbkit.api.net.Inet;
import io.lbkit.checks.CheckResult;
import io.lbkit.runtime.LoadBalancerRuntime;
import io.lbkit.testing.FakeAddressManager;
import io.lbkit.testing.FakeIpvs;
import io.lbkit.testing.FakeRouteManager;
import io.lbkit.testing.ManualClock;
import io.lbkit.testing.ScriptedHealthChecking;
import io.lbkit.vrrp.InMemoryVrrpNetwork;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The names and labels a Prometheus scrape shows: node_exporter's ipvs labels, the keepalived
 * exporters' VRRP ones; and the same text whether real servers are meters or a RealServerCollector.
 */
class LbkitMetricsPrometheusTest {
  @TempDir Path dir;
  final ManualClock clock = new ManualClock();
  final FakeIpvs ipvs = new FakeIpvs();
  final ScriptedHealthChecking checks = new ScriptedHealthChecking();

  LoadBalancerRuntime start(LbkitMetrics... metrics) throws IOException {
    List<String> conf = new ArrayList<>(List.of(LbkitMetricsVrrpTest.instance(100)));
    conf.addAll(List.of(LbkitMetricsDataplaneTest.server(3, true)));
    LoadBalancerRuntime.Builder b = LoadBalancerRuntime.builder().timers(clock).ipvs(ipvs)
        .addresses(new FakeAddressManager("eth0")).routes(new FakeRouteManager("eth0"))
        .vrrpTransport(new InMemoryVrrpNetwork(clock, Duration.ZERO).host(Inet.parse("10.0.0.1")))
        .healthChecking(checks::attach).linkStatus(i -> true);
    for (LbkitMetrics m : metrics) {
      b = b.listener(m);
    }
    return b.start(Host.write(dir.resolve("k.conf"), conf.toArray(String[]::new)));
  }

  static PrometheusMeterRegistry prometheus() {
    return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  @Test
  void scrape_hasNodeIpvsLabelsAndKeepalivedExporterLabels_andNoSecret() throws Exception {
    PrometheusMeterRegistry registry = prometheus();
    LbkitMetrics metrics = LbkitMetrics.create(registry);
    try (LoadBalancerRuntime rt = start(metrics)) {
      clock.advance(Duration.ofSeconds(5));
      metrics.refresh();
      String text = registry.scrape();
      assertThat(text)
          .contains("lbkit_vrrp_state{iname=\"VI_1\",intf=\"eth0\",vrid=\"51\"} 2.0")
          .contains("lbkit_vrrp_adverts_sent_total{iname=\"VI_1\",intf=\"eth0\",vrid=\"51\"}")
          .contains("lbkit_vrrp_adverts_dropped_total{iname=\"VI_1\",intf=\"eth0\",reason=\"auth\",vrid=\"51\"} 0.0")
          .contains("lbkit_ipvs_backend_weight{local_address=\"10.0.0.100\",local_mark=\"\",local_port=\"80\","
              + "proto=\"TCP\",remote_address=\"10.0.1.11\",remote_port=\"8080\"} 3.0")
          .contains("lbkit_ipvs_backend_connections_active{local_address=\"10.0.0.100\"")
          .contains("lbkit_ipvs_service_incoming_packets_total{")
          .contains("lbkit_config_generation 1.0")
          .doesNotContain("lbkit_ipvs_backend_incoming_packets_total")
          .doesNotContain("lbkit_check_since_change_seconds")
          .doesNotContain("s3cr3tPw");
    }
  }

  @ParameterizedTest(name = "detail {0}")
  @ValueSource(booleans = {false, true})
  void realServerCollector_scrapesTheSameTextAsMeters(boolean detail) throws Exception {
    {
      PrometheusMeterRegistry asMeters = prometheus();
      PrometheusMeterRegistry collected = prometheus();
      LbkitMetrics m1 = LbkitMetrics.builder(asMeters).realServerDetail(detail).build();
      LbkitMetrics m2 = LbkitMetrics.builder(collected).realServerDetail(detail).realServerMeters(false).build();
      collected.getPrometheusRegistry().register(RealServerCollector.of(m2));
      try (LoadBalancerRuntime rt = start(m1, m2)) {
        ipvs.setConnections(LbkitMetricsDataplaneTest.WEB, LbkitMetricsDataplaneTest.R2, 7, 4);
        for (LbkitMetrics m : List.of(m1, m2)) {
          m.checkAttempted(LbkitMetricsDataplaneTest.WEB, LbkitMetricsDataplaneTest.R1, "TCP_CHECK",
              CheckResult.up("ok"), 1_000_000, 0);
        }
        checks.down(LbkitMetricsDataplaneTest.WEB, LbkitMetricsDataplaneTest.R1, "connection refused");
        clock.advance(Duration.ofSeconds(3));
        m1.refresh();
        m2.refresh();
        Set<String> a = lines(asMeters.scrape());
        Set<String> b = lines(collected.scrape());
        assertThat(b).as("detail " + detail).isEqualTo(a)
            .contains("lbkit_ipvs_backend_connections_active{local_address=\"10.0.0.100\",local_mark=\"\","
                + "local_port=\"80\",proto=\"TCP\",remote_address=\"10.0.1.12\",remote_port=\"8080\"} 7.0")
            .contains("lbkit_ipvs_backend_weight{local_address=\"10.0.0.100\",local_mark=\"\","
                + "local_port=\"80\",proto=\"TCP\",remote_address=\"10.0.1.11\",remote_port=\"8080\"} 0.0");
        assertThat(b.contains("lbkit_ipvs_backend_up{local_address=\"10.0.0.100\",local_mark=\"\",local_port=\"80\","
            + "proto=\"TCP\",remote_address=\"10.0.1.11\",remote_port=\"8080\"} 0.0")).isEqualTo(detail);
        assertThat(b.stream().anyMatch(l -> l.startsWith("lbkit_ipvs_backend_outgoing_bytes_total{"))).isEqualTo(detail);
        assertThat(b.stream().anyMatch(l -> l.startsWith("lbkit_check_since_change_seconds{"))).isEqualTo(detail);
      }
    }
  }

  @Test
  void realServerCollector_ofMetricsWithRealServerMeters_refused() {
    assertThatThrownBy(() -> RealServerCollector.of(LbkitMetrics.create(prometheus())))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("realServerMeters(false)");
  }

  @Test
  void realServerCollector_followsReloads() throws Exception {
    PrometheusMeterRegistry registry = prometheus();
    LbkitMetrics metrics = LbkitMetrics.builder(registry).realServerMeters(false).build();
    registry.getPrometheusRegistry().register(RealServerCollector.of(metrics));
    assertThat(registry.scrape()).as("before a runtime").doesNotContain("lbkit_ipvs_backend");
    try (LoadBalancerRuntime rt = start(metrics)) {
      assertThat(registry.scrape()).contains("remote_address=\"10.0.1.12\"");
      List<String> conf = new ArrayList<>(List.of(LbkitMetricsVrrpTest.instance(100)));
      conf.addAll(List.of(LbkitMetricsDataplaneTest.server(5, false)));
      rt.reload(Host.write(dir.resolve("k.conf"), conf.toArray(String[]::new)));
      metrics.refresh();
      String text = registry.scrape();
      assertThat(text).doesNotContain("remote_address=\"10.0.1.12\"")
          .contains("lbkit_ipvs_backend_weight{local_address=\"10.0.0.100\",local_mark=\"\",local_port=\"80\","
              + "proto=\"TCP\",remote_address=\"10.0.1.11\",remote_port=\"8080\"} 5.0");
    }
  }

  @Test
  void realServerCollector_nextScrape_showsChangedValues_reusesUnchangedSnapshots() throws Exception {
    PrometheusMeterRegistry registry = prometheus();
    LbkitMetrics metrics = LbkitMetrics.builder(registry).realServerMeters(false).build();
    RealServerCollector collector = RealServerCollector.of(metrics);
    registry.getPrometheusRegistry().register(collector);
    String r2Active = "lbkit_ipvs_backend_connections_active{local_address=\"10.0.0.100\",local_mark=\"\","
        + "local_port=\"80\",proto=\"TCP\",remote_address=\"10.0.1.12\",remote_port=\"8080\"} ";
    try (LoadBalancerRuntime rt = start(metrics)) {
      metrics.refresh();
      MetricSnapshots first = collector.collect();
      assertThat(registry.scrape()).contains(r2Active + "0.0");
      ipvs.setConnections(LbkitMetricsDataplaneTest.WEB, LbkitMetricsDataplaneTest.R2, 7, 4);
      metrics.refresh();
      MetricSnapshots second = collector.collect();
      assertThat(registry.scrape()).contains(r2Active + "7.0").doesNotContain(r2Active + "0.0");
      assertThat(family(second, "lbkit_ipvs_backend_weight")).as("no weight changed")
          .isSameAs(family(first, "lbkit_ipvs_backend_weight"));
      MetricSnapshot active1 = family(first, "lbkit_ipvs_backend_connections_active");
      MetricSnapshot active2 = family(second, "lbkit_ipvs_backend_connections_active");
      assertThat(active2).isNotSameAs(active1);
      assertThat(active2.getDataPoints().get(0)).as("R1's point, unchanged").isSameAs(active1.getDataPoints().get(0));
      assertThat(active2.getDataPoints().get(1)).as("R2's point").isNotSameAs(active1.getDataPoints().get(1));
      ipvs.setConnections(LbkitMetricsDataplaneTest.WEB, LbkitMetricsDataplaneTest.R2, 0, 0);
      metrics.refresh();
      assertThat(registry.scrape()).as("back to the first value").contains(r2Active + "0.0");
    }
  }

  private static MetricSnapshot family(MetricSnapshots all, String name) {
    return all.stream().filter(s -> s.getMetadata().getPrometheusName().equals(name)).findFirst().orElseThrow();
  }

  /** The text's lines, order aside (families may come in another order; their samples may not). */
  static Set<String> lines(String text) {
    return new TreeSet<>(text.lines().toList());
  }
}
