package io.lbkit.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.net.Inet;
import io.lbkit.runtime.LoadBalancerRuntime;
import io.lbkit.testing.FakeAddressManager;
import io.lbkit.testing.FakeIpvs;
import io.lbkit.testing.FakeRouteManager;
import io.lbkit.testing.ManualClock;
import io.lbkit.testing.ScriptedHealthChecking;
import io.lbkit.vrrp.InMemoryVrrpNetwork;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The names and labels a Prometheus scrape shows: node_exporter's ipvs labels, the keepalived exporters' VRRP ones. */
class LbkitMetricsPrometheusTest {
  @TempDir Path dir;

  @Test
  void scrape_hasNodeIpvsLabelsAndKeepalivedExporterLabels_andNoSecret() throws Exception {
    ManualClock clock = new ManualClock();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    List<String> conf = new ArrayList<>(List.of(LbkitMetricsVrrpTest.instance(100)));
    conf.addAll(List.of(LbkitMetricsDataplaneTest.server(3, true)));
    LbkitMetrics metrics = LbkitMetrics.create(registry);
    try (LoadBalancerRuntime rt = LoadBalancerRuntime.builder().timers(clock).ipvs(new FakeIpvs())
        .addresses(new FakeAddressManager("eth0")).routes(new FakeRouteManager("eth0"))
        .vrrpTransport(new InMemoryVrrpNetwork(clock, Duration.ZERO).host(Inet.parse("10.0.0.1")))
        .healthChecking(new ScriptedHealthChecking()::attach).linkStatus(i -> true).listener(metrics)
        .start(Host.write(dir.resolve("k.conf"), conf.toArray(String[]::new)))) {
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
          .contains("lbkit_ipvs_backend_incoming_packets_total{")
          .contains("lbkit_check_since_change_seconds{")
          .contains("lbkit_config_generation 1.0")
          .doesNotContain("s3cr3tPw");
    }
  }
}
