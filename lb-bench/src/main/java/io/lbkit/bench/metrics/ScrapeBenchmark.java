package io.lbkit.bench.metrics;

import io.lbkit.api.LoadBalancerSpec;
import io.lbkit.api.RealServer;
import io.lbkit.api.VirtualService;
import io.lbkit.checks.CheckResult;
import io.lbkit.micrometer.LbkitMetrics;
import io.lbkit.runtime.LoadBalancerRuntime;
import io.lbkit.testing.FakeIpvs;
import io.lbkit.testing.ManualClock;
import io.lbkit.testing.ScriptedHealthChecking;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One {@code /metrics} scrape as {@code lbctl run --http} does it ({@code LbkitMetrics.refresh()},
 * then the Prometheus registry's text) of a runtime with {@code reals} real servers in
 * services of 100 (on {@code FakeIpvs}, so the table read is the fake's, not netlink's),
 * each with one check type that has reported once (so every check meter exists). Run
 * with {@code -prof gc} for the allocation per scrape.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
public class ScrapeBenchmark {
  /** How many real servers. */
  @Param({"10000"})
  public int reals;

  private LoadBalancerRuntime runtime;
  private LbkitMetrics metrics;
  private PrometheusMeterRegistry registry;

  /** Starts the runtime on fakes with the metrics listening. */
  @Setup(Level.Trial)
  public void setup() throws IOException {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    metrics = LbkitMetrics.create(registry);
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

  /** Stops the runtime. */
  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    runtime.close();
  }

  /** lbkit's share of a scrape: the runtime read once (status, VRRP counters, the table) into the meters' cells. */
  @Benchmark
  public LbkitMetrics refreshOnly() {
    metrics.refresh();
    return metrics;
  }

  /** One scrape: the runtime read once, every meter written as Prometheus text. */
  @Benchmark
  public String scrape() {
    metrics.refresh();
    return registry.scrape();
  }
}
