package io.lbkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.LoadBalancer;
import io.lbkit.api.LoadBalancerSpec;
import io.lbkit.api.RealServer;
import io.lbkit.api.VirtualService;
import io.lbkit.api.check.HttpCheck;
import io.lbkit.api.net.Inet;
import io.lbkit.api.vrrp.Failover;
import io.lbkit.api.vrrp.VirtualAddress;
import io.lbkit.api.vrrp.VrrpInstanceSpec;
import io.lbkit.api.vrrp.VrrpListener;
import io.lbkit.api.vrrp.VrrpState;
import io.lbkit.checks.HealthMonitor;
import io.lbkit.checks.MonitoredServices;
import io.lbkit.testing.FakeAddressManager;
import io.lbkit.testing.FakeFailover;
import io.lbkit.testing.FakeIpvs;
import io.lbkit.testing.ManualClock;
import io.lbkit.vrrp.InMemoryVrrpNetwork;
import io.lbkit.vrrp.RawVrrpTransport;
import io.lbkit.vrrp.VrrpRouter;
import io.lbkit.vrrp.VrrpFailover;
import io.lbkit.vrrp.VrrpTransport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The code examples in the published modules' javadoc, compiled and run here against
 * lbkit's fakes. This module sees every published module, so an example in lb-api
 * that wires lb-checks and lb-vrrp compiles too. Each example sits between a
 * {@code // javadoc: FILE} line and {@code // end}; {@link #everyExample_isTheJavadocText}
 * fails when the javadoc's {@code <pre>{@code ...}</pre>} block in FILE differs from it,
 * so the two cannot drift apart.
 */
class JavadocExamplesTest {
  private static final Logger log = LoggerFactory.getLogger(JavadocExamplesTest.class);
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final Path SELF = Path.of("src/test/java/io/lbkit/examples/JavadocExamplesTest.java");

  final FakeIpvs ipvs = new FakeIpvs();
  final ManualClock timers = new ManualClock();
  final FakeAddressManager addressManager = new FakeAddressManager("eth0");

  @Test
  void loadBalancer_appliesTheSpec_onFakes() throws Exception {
    Failover vrrp = new FakeFailover();
    LoadBalancerSpec spec = LoadBalancerSpec.of(List.of(VirtualService.tcp("192.168.0.200", 80).rr().dr()
        .add(RealServer.of("192.168.0.61", 80).check(HttpCheck.get("/test.html").status(200)))));
    // javadoc: lb-api/src/main/java/io/lbkit/api/LoadBalancer.java
    try (LoadBalancer lb = LoadBalancer.builder(ipvs)   // NetlinkIpvs.open(); a FakeIpvs in tests
        .healthChecking(listener -> MonitoredServices.create(HealthMonitor.builder(timers), listener))
        .failover(vrrp)                                 // VrrpFailover.create(...); a FakeFailover in tests
        .build()) {
      lb.apply(spec);
      System.out.println(lb.status().toJson());
    }
    // end
    assertThat(ipvs.services()).singleElement()
        .satisfies(s -> assertThat(s.dests()).hasSize(1));
  }

  @Test
  void vrrpRouter_startsAndCloses_onAnInMemoryLink() throws Exception {
    VrrpTransport transport = new InMemoryVrrpNetwork(timers, Duration.ZERO).host(Inet.parse("10.0.0.1"));
    // javadoc: lb-vrrp/src/main/java/io/lbkit/vrrp/VrrpRouter.java
    VrrpInstanceSpec spec = VrrpInstanceSpec.builder("VI_1", "eth0", 51).priority(150)
        .virtualAddresses(List.of(VirtualAddress.of("192.168.0.200"))).build();
    try (VrrpRouter router = VrrpRouter.builder(transport, addressManager, timers)   // RawVrrpTransport.open(null)
        .instance(spec).listener((name, from, to, why) -> log.info("{} {} -> {}", name, from, to)).build()) {
      router.start();
      // ... the application runs; the router holds the VIP while it is MASTER
    }   // close(): priority 0 sent, VIPs removed
    // end
    assertThat(addressManager.has("eth0", Inet.parse("192.168.0.200"))).isFalse();
  }

  @Test
  void manualClock_masterDownElapses_routerBecomesMaster() throws Exception {
    FakeAddressManager addresses = addressManager;
    VrrpInstanceSpec spec = VrrpInstanceSpec.builder("VI_1", "eth0", 51)
        .virtualAddresses(List.of(VirtualAddress.of("192.168.0.200"))).build();
    // javadoc: lb-testing/src/main/java/io/lbkit/testing/ManualClock.java
    ManualClock clock = new ManualClock();
    InMemoryVrrpNetwork network = new InMemoryVrrpNetwork(clock, Duration.ZERO);   // lb-vrrp's
    VrrpRouter router = VrrpRouter.builder(network.host(Inet.parse("10.0.0.1")), addresses, clock)
        .instance(spec).build();
    router.start();
    clock.advance(Duration.ofMillis(3610));   // past the master-down interval at priority 100 (3609.375 ms)
    // end
    try (router) {
      assertThat(router.instance("VI_1").state()).isEqualTo(VrrpState.MASTER);
      assertThat(addresses.has("eth0", Inet.parse("192.168.0.200"))).isTrue();
    }
  }

  @Test
  void vrrpFailoverAndRawTransport_buildWithoutOpeningSockets() {
    FakeAddressManager addresses = addressManager;
    VrrpListener log = (name, from, to, why) -> { };
    // javadoc: lb-vrrp/src/main/java/io/lbkit/vrrp/VrrpFailover.java
    Failover vrrp = VrrpFailover.create(() -> VrrpRouter.builder(RawVrrpTransport.open(null), addresses, timers)
        .listener(log));
    // end
    // javadoc: lb-vrrp/src/main/java/io/lbkit/vrrp/RawVrrpTransport.java
    VrrpTransport here = RawVrrpTransport.open(null);        // this network namespace
    VrrpTransport there = RawVrrpTransport.open("lb-ns1");   // a named one (ip netns add)
    // end
    assertThat(vrrp.status()).isEmpty();
    assertThat(List.of(here, there)).doesNotContainNull();
  }

  @Test
  void everyExample_isTheJavadocText() throws IOException {
    List<String> self = Files.readAllLines(SELF);
    int checked = 0;
    for (int i = 0; i < self.size(); i++) {
      Matcher m = Pattern.compile("^\\s*// javadoc: (\\S+)$").matcher(self.get(i));
      if (!m.matches()) {
        continue;
      }
      List<String> code = new ArrayList<>();
      for (i++; !self.get(i).strip().equals("// end"); i++) {
        code.add(self.get(i));
      }
      Path file = ROOT.resolve(m.group(1));
      assertThat(preBlocks(Files.readAllLines(file)))
          .as("a javadoc <pre>{@code} block in %s identical to %s's example", file, SELF)
          .contains(dedent(code));
      checked++;
    }
    assertThat(checked).as("examples checked").isEqualTo(5);
  }

  /** The {@code <pre>{@code ...}</pre>} blocks of a source file, without the comment's stars. */
  static List<List<String>> preBlocks(List<String> source) {
    List<List<String>> blocks = new ArrayList<>();
    List<String> block = null;
    for (String line : source) {
      String text = line.replaceFirst("^\\s*\\*( |$)", "");
      if (text.strip().equals("<pre>{@code")) {
        block = new ArrayList<>();
      } else if (block != null && text.strip().equals("}</pre>")) {
        blocks.add(dedent(block));
        block = null;
      } else if (block != null) {
        block.add(text);
      }
    }
    return blocks;
  }

  static List<String> dedent(List<String> lines) {
    int indent = lines.stream().filter(l -> !l.isBlank())
        .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
    return lines.stream().map(l -> l.isBlank() ? "" : l.substring(indent).stripTrailing()).toList();
  }
}
