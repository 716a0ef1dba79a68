package io.lbkit.runtime;

import io.lbkit.api.net.Inet;
import io.lbkit.api.vrrp.VrrpState;
import io.lbkit.testing.FakeAddressManager;
import io.lbkit.testing.FakeIpvs;
import io.lbkit.testing.ManualClock;
import io.lbkit.testing.ScriptedHealthChecking;
import io.lbkit.vrrp.InMemoryVrrpNetwork;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One host for these tests: in-memory VRRP on a manual clock, fake IPVS, addresses and
 * routes, scripted health checks, and every listener call recorded.
 */
final class Lab {
  final ManualClock clock = new ManualClock();
  final InMemoryVrrpNetwork net = new InMemoryVrrpNetwork(clock, Duration.ZERO);
  final FakeIpvs ipvs = new FakeIpvs();
  final FakeAddressManager addresses = new FakeAddressManager("eth0", "eth1");
  final TestRoutes routes = new TestRoutes();
  final ScriptedHealthChecking checks = new ScriptedHealthChecking();
  final List<String> events = new CopyOnWriteArrayList<>();
  final List<Changes> applied = new CopyOnWriteArrayList<>();
  final Path dir;

  Lab(Path dir) {
    this.dir = dir;
  }

  LoadBalancerRuntime.Builder builder() {
    return LoadBalancerRuntime.builder()
        .timers(clock)
        .ipvs(ipvs)
        .addresses(addresses)
        .routes(routes)
        .vrrpTransport(net.host(Inet.parse("10.0.0.1")))
        .healthChecking(checks::attach)
        .linkStatus(iface -> true)
        .listener(new RuntimeListener() {
          @Override
          public void vrrpStateChanged(String instance, VrrpState from, VrrpState to, String reason) {
            events.add(instance + " " + from + " -> " + to);
          }

          @Override
          public void healthChanged(io.lbkit.api.check.HealthEvent e) {
            events.add("health " + e.real() + (e.up() ? " up" : " down"));
          }

          @Override
          public void applied(Changes c) {
            applied.add(c);
          }
        });
  }

  /** Writes keepalived.conf with these lines. */
  Path conf(String... lines) throws Exception {
    return Files.writeString(dir.resolve("keepalived.conf"), String.join("\n", lines) + "\n");
  }
}
