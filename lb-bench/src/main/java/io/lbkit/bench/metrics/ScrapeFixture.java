package io.lbkit.bench.metrics;

import io.lbkit.api.LoadBalancerSpec;
import io.lbkit.api.RealServer;
import io.lbkit.api.VirtualService;
import io.lbkit.checks.CheckResult;
import io.lbkit.micrometer.LbkitMetrics;
import io.lbkit.micrometer.RealServerCollector;
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
 * to {@code LbkitMetrics.create} (every series a meter).
 */
final class ScrapeFixture implements AutoCloseable {
  final PrometheusMeterRegistry registry;
  final LbkitMetrics metrics;
  private final LoadBalancerRuntime runtime;
  private int lastSize = 1 << 16;

  ScrapeFixture(int reals, String mode) throws IOException {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    metrics = switch (mode) {
      case "meters" -> LbkitMetrics.create(registry);
      case "lbctl", "lbctl-detail" -> LbkitMetrics.builder(registry).realServerMeters(false)
          .realServerDetail(mode.equals("lbctl-detail")).build();
      default -> throw new IllegalArgumentException("mode: lbctl, lbctl-detail or meters, not " + mode);
    };
    if (mode.startsWith("lbctl")) {
      registry.getPrometheusRegistry().register(RealServerCollector.of(metrics));
    }
    List<VirtualService> services = new ArrayList<>();
    for (int s = 0; s < reals / 100; s++) {
      VirtualService vs = VirtualService.tcp("10.1." + (s / 250) + "." + (s % 250 + 1), 80).wrr();
      for (int r = 0; r < 100; r++) {
        vs = vs.add(RealServer.of("10.2." + s % 250 + "." + (r + 1), 8080 + s / 250).weight(1 + r % 3));
      }
      services.add(vs);
    }
    LoadBalancerSpec spec = LoadBalancerSpec.builder().virtualServices(services).build();
    ScriptedHealthChecking checks = new ScriptedHealthChecking();
    runtime = LoadBalancerRuntime.builder().timers(new ManualClock()).ipvs(new FakeIpvs())
        .healthChecking(checks::attach).listener(metrics).start(spec);
    for (VirtualService vs : services) {
      for (RealServer r : vs.realServers()) {
        metrics.checkAttempted(vs.key(), r.key(), "TCP_CHECK", CheckResult.up("ok"), 2_000_000, 10_000);
      }
    }
  }

  /**
   * One scrape as {@code lbctl run --http} serves it: the runtime read once, every series
   * written as Prometheus text into bytes (the body of the response).
   */
  byte[] scrape() throws IOException {
    metrics.refresh();
    ByteArrayOutputStream out = new ByteArrayOutputStream(lastSize + (lastSize >> 3)); // as lbctl sizes it
    registry.scrape(out);
    lastSize = out.size();
    return out.toByteArray();
  }

  @Override
  public void close() throws IOException {
    runtime.close();
  }
}
