package io.lbkit.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.checks.CheckResult;
import io.lbkit.runtime.LoadBalancerRuntime;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ScrapeText's text is byte for byte what client_java writes for the whole scrape in one
 * call (Micrometer's {@code scrape(out)}), whether families changed or not, across changes
 * of values, of real servers and of families.
 */
class ScrapeTextTest {
  @TempDir Path dir;
  final LbkitMetricsPrometheusTest host = new LbkitMetricsPrometheusTest();
  
  static final String R2_ACTIVE = "lbkit_ipvs_backend_connections_active{local_address=\"10.0.0.100\",local_mark=\"\","
      + "local_port=\"80\",proto=\"TCP\",remote_address=\"10.0.1.12\",remote_port=\"8080\"} ";

  static String whole(PrometheusMeterRegistry registry) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    registry.scrape(out);
    return out.toString(StandardCharsets.UTF_8);
  }

  static String memoized(ScrapeText text) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    text.write(out);
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void write_unchangedAndChangedFamilies_sameBytesAsTheWholeScrapeWritten() throws Exception {
    PrometheusMeterRegistry registry = LbkitMetricsPrometheusTest.prometheus();
    LbkitMetrics metrics = LbkitMetrics.builder(registry).realServerMeters(false).build();
    registry.getPrometheusRegistry().register(RealServerCollector.of(metrics));
    ScrapeText text = ScrapeText.of(registry.getPrometheusRegistry());
    host.dir = dir;
    try (LoadBalancerRuntime rt = host.start(metrics)) {
      metrics.refresh();
      String first = memoized(text);
      assertThat(first).isEqualTo(whole(registry)).contains(R2_ACTIVE + "0.0");
      assertThat(memoized(text)).as("nothing changed: every real server family copied").isEqualTo(first);

      host.ipvs.setConnections(LbkitMetricsDataplaneTest.WEB, LbkitMetricsDataplaneTest.R2, 7, 4);
      metrics.refresh();
      String changed = memoized(text);
      assertThat(changed).as("after a change").isEqualTo(whole(registry)).contains(R2_ACTIVE + "7.0")
          .doesNotContain(R2_ACTIVE + "0.0");
      assertThat(memoized(text)).isEqualTo(changed);

      metrics.checkAttempted(LbkitMetricsDataplaneTest.WEB, LbkitMetricsDataplaneTest.R1, "TCP_CHECK",
          CheckResult.up("ok"), 1_000_000, 0);
      host.checks.down(LbkitMetricsDataplaneTest.WEB, LbkitMetricsDataplaneTest.R1, "connection refused");
      host.clock.advance(Duration.ofSeconds(3));
      metrics.refresh();
      assertThat(memoized(text)).as("a check's families new, a real server down").isEqualTo(whole(registry))
          .contains("lbkit_check_results_total{");

      host.ipvs.setConnections(LbkitMetricsDataplaneTest.WEB, LbkitMetricsDataplaneTest.R2, 0, 0);
      metrics.refresh();
      assertThat(memoized(text)).as("back to the first values").isEqualTo(whole(registry))
          .contains(R2_ACTIVE + "0.0");
    }
  }

  @Test
  void write_familyGoneOrBack_sameBytesAsTheWholeScrapeWritten() throws Exception {
    PrometheusMeterRegistry registry = LbkitMetricsPrometheusTest.prometheus();
    AtomicReference<MetricSnapshots> shown = new AtomicReference<>(MetricSnapshots.of());
    MultiCollector c = shown::get;
    registry.getPrometheusRegistry().register(c);
    GaugeSnapshot g = GaugeSnapshot.builder().name("app_level").help("a level")
        .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(2).build()).build();
    ScrapeText text = ScrapeText.of(registry.getPrometheusRegistry());
    Counter.builder("app.requests").register(registry).increment();
    List<String> seen = new ArrayList<>();
    for (MetricSnapshots s : List.of(MetricSnapshots.of(g), MetricSnapshots.of(), MetricSnapshots.of(g))) {
      shown.set(s);
      String t = memoized(text);
      assertThat(t).isEqualTo(whole(registry));
      seen.add(t);
    }
    assertThat(seen.get(0)).contains("app_level 2.0").contains("app_requests_total 1.0");
    assertThat(seen.get(1)).doesNotContain("app_level").contains("app_requests_total 1.0");
    assertThat(seen.get(2)).isEqualTo(seen.get(0));
  }
}
