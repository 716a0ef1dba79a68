package io.lbkit.micrometer;

import io.lbkit.api.TimerService;
import io.lbkit.api.net.Inet;
import io.lbkit.runtime.LoadBalancerRuntime;
import io.lbkit.testing.FakeAddressManager;
import io.lbkit.testing.FakeIpvs;
import io.lbkit.testing.FakeRouteManager;
import io.lbkit.testing.ScriptedHealthChecking;
import io.lbkit.vrrp.InMemoryVrrpNetwork;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One load balancer on fakes (in-memory VRRP, fake IPVS, scripted checks) with its metrics. */
final class Host {
  final FakeIpvs ipvs = new FakeIpvs();
  final ScriptedHealthChecking checks = new ScriptedHealthChecking();
  final io.micrometer.core.instrument.MeterRegistry registry;
  final LbkitMetrics metrics;
  final Path conf;
  final LoadBalancerRuntime runtime;

  Host(TimerService clock, InMemoryVrrpNetwork net, String address, Path conf) throws IOException {
    this(clock, net, address, conf, LbkitMetrics.create(new SimpleMeterRegistry()));
  }

  Host(TimerService clock, InMemoryVrrpNetwork net, String address, Path conf, LbkitMetrics metrics)
      throws IOException {
    this.conf = conf;
    this.metrics = metrics;
    this.registry = metrics.registry();
    runtime = LoadBalancerRuntime.builder()
        .timers(clock)
        .ipvs(ipvs)
        .addresses(new FakeAddressManager("eth0"))
        .routes(new FakeRouteManager("eth0"))
        .vrrpTransport(net.host(Inet.parse(address)))
        .healthChecking(checks::attach)
        .linkStatus(iface -> true)
        .listener(metrics)
        .start(conf);
  }

  static Path write(Path file, String... lines) throws IOException {
    return Files.writeString(file, String.join("\n", lines) + "\n");
  }

  /**
   * A meter's value once it equals {@code expected}, or its last value after 5 s: VRRP
   * transitions reach listeners on the notify thread, a moment after the state changed.
   */
  double await(double expected, String name, String... tags) throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    double v = value(name, tags);
    while (v != expected && System.nanoTime() < deadline) {
      Thread.sleep(5);
      v = value(name, tags);
    }
    return v;
  }

  /** A meter's value after a refresh, by name and tags (key, value, ...). */
  double value(String name, String... tags) {
    metrics.refresh();
    var search = registry.find(name).tags(tags);
    if (search.gauge() != null) {
      return search.gauge().value();
    }
    if (search.functionCounter() != null) {
      return search.functionCounter().count();
    }
    if (search.counter() != null) {
      return search.counter().count();
    }
    if (search.timeGauge() != null) {
      return search.timeGauge().value(java.util.concurrent.TimeUnit.SECONDS);
    }
    throw new AssertionError("no meter " + name + " " + java.util.Arrays.toString(tags) + " in "
        + registry.getMeters().stream().map(m -> m.getId().getName()).distinct().sorted().toList());
  }
}
