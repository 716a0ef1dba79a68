package io.lbkit.bench.metrics;

import io.lbkit.api.LoadBalancerSpec;
import io.lbkit.api.RealServer;
import io.lbkit.api.VirtualService;
import io.lbkit.checks.CheckResult;
import io.lbkit.micrometer.LbkitMetrics;
import io.lbkit.micrometer.RealServerCollector;
import io.lbkit.micrometer.ScrapeText;
import io.lbkit.runtime.LoadBalancerRuntime;
import io.lbkit.testing.FakeIpvs;
import io.lbkit.testing.ManualClock;
import io.lbkit.testing.ScriptedHealthChecking;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a scrape benchmark scrapes: a runtime on {@code FakeIpvs} with {@code reals} real
 * servers in services of 100, each with one check type that has reported once (so every
 * check meter exists), its metrics in a Prometheus registry, in one of three ways
 * ({@code mode}): {@code lbctl} as {@code lbctl run --http} makes them (real servers'
 * series by a {@code RealServerCollector}), {@code lbctl-detail} the same with
 * {@code --http-metrics-detail}, {@code meters} as an application that gives the registry
 * to {@code LbkitMetrics.create} (every series a meter); {@code lbctl-busy} as {@code lbctl}, but
 * {@link #churn} changes every real server's connection counts before each scrape (a busy
 * director: the connection series change everywhere; the weights do not).
 */
final class ScrapeFixture implements AutoCloseable {
  final PrometheusMeterRegistry registry;
  final LbkitMetrics metrics;
  private final LoadBalancerRuntime runtime;
  private final FakeIpvs ipvs = new FakeIpvs();
  private final List<VirtualService> services = new ArrayList<>();
  private final boolean busy;
  private final ScrapeText scrapeText;
  private Buffer text = new Buffer(1 << 16);
  private int round;

  ScrapeFixture(int reals, String mode) throws IOException {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    metrics = switch (mode) {
      case "meters" -> LbkitMetrics.create(registry);
      case "lbctl", "lbctl-detail", "lbctl-busy" -> LbkitMetrics.builder(registry).realServerMeters(false)
          .realServerDetail(mode.equals("lbctl-detail")).build();
      default -> throw new IllegalArgumentException("mode: lbctl, lbctl-detail, lbctl-busy or meters, not " + mode);
    };
    busy = mode.equals("lbctl-busy");
    if (mode.startsWith("lbctl")) {
      registry.getPrometheusRegistry().register(RealServerCollector.of(metrics));
    }
    for (int s = 0; s < reals / 100; s++) {
      VirtualService vs = VirtualService.tcp("10.1." + (s / 250) + "." + (s % 250 + 1), 80).wrr();
      for (int r = 0; r < 100; r++) {
        vs = vs.add(RealServer.of("10.2." + s % 250 + "." + (r + 1), 8080 + s / 250).weight(1 + r % 3));
      }
      services.add(vs);
    }
    LoadBalancerSpec spec = LoadBalancerSpec.builder().virtualServices(services).build();
    ScriptedHealthChecking checks = new ScriptedHealthChecking();
    scrapeText = ScrapeText.of(registry.getPrometheusRegistry());
    runtime = LoadBalancerRuntime.builder().timers(new ManualClock()).ipvs(ipvs)
        .healthChecking(checks::attach).listener(metrics).start(spec);
    for (VirtualService vs : services) {
      for (RealServer r : vs.realServers()) {
        metrics.checkAttempted(vs.key(), r.key(), "TCP_CHECK", CheckResult.up("ok"), 2_000_000, 10_000);
      }
    }
  }

  /** In mode {@code lbctl-busy}, new connection counts for every real server (before a scrape, not timed). */
  void churn() throws IOException {
    if (!busy) {
      return;
    }
    round++;
    int i = 0;
    for (VirtualService vs : services) {
      for (RealServer r : vs.realServers()) {
        ipvs.setConnections(vs.key(), r.key(), round + i % 7, 2L * round + i++ % 5);
      }
    }
  }

  /**
   * One scrape as {@code lbctl run --http} serves it: the runtime read once, every series
   * written as Prometheus text into the buffer of the last scrape (the body of the response,
   * sent from it as it is); returns its length.
   */
  int scrape() throws IOException {
    metrics.refresh();
    text.reset();
    scrapeText.write(text); // as lbctl's Observability
    return text.size();
  }

  /** The last scrape's text. */
  byte[] text() {
    return text.toByteArray();
  }

  /** As lbctl's. */
  private static final class Buffer extends ByteArrayOutputStream {
    Buffer(int size) {
      super(size);
    }
  }

  @Override
  public void close() throws IOException {
    runtime.close();
  }
}
