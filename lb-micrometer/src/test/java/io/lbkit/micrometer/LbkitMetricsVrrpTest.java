package io.lbkit.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.testing.ManualClock;
import io.lbkit.vrrp.InMemoryVrrpNetwork;
import io.micrometer.core.instrument.Meter;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** VRRP meters after scripted failovers on in-memory VRRP and a manual clock. */
class LbkitMetricsVrrpTest {
  @TempDir Path dir;
  final ManualClock clock = new ManualClock();
  final InMemoryVrrpNetwork net = new InMemoryVrrpNetwork(clock, Duration.ZERO);

  static String[] instance(int priority) {
    return new String[] {"vrrp_instance VI_1 {", "  interface eth0", "  virtual_router_id 51",
        "  priority " + priority, "  advert_int 1", "  authentication {", "    auth_type PASS",
        "    auth_pass s3cr3tPw", "  }", "  virtual_ipaddress {", "    10.0.0.100", "  }", "}"};
  }

  @Test
  void failover_movesStateTransitionsAndAdvertCounters() throws Exception {
    Host a = new Host(clock, net, "10.0.0.1", Host.write(dir.resolve("a.conf"), instance(100)));
    Host b = new Host(clock, net, "10.0.0.2", Host.write(dir.resolve("b.conf"), instance(50)));
    try {
      String[] vi = {"iname", "VI_1", "intf", "eth0", "vrid", "51"};
      assertThat(a.value("lbkit.vrrp.state", vi)).as("INIT or BACKUP before the master-down timer").isLessThan(2);
      clock.advance(Duration.ofSeconds(5));
      assertThat(a.value("lbkit.vrrp.state", vi)).isEqualTo(2);
      assertThat(b.value("lbkit.vrrp.state", vi)).isEqualTo(1);
      assertThat(a.await(1, "lbkit.vrrp.become.master", vi)).isEqualTo(1);
      assertThat(a.value("lbkit.vrrp.priority.effective", vi)).isEqualTo(100);
      assertThat(a.value("lbkit.vrrp.priority.configured", vi)).isEqualTo(100);
      double sent = a.value("lbkit.vrrp.adverts.sent", vi);
      assertThat(sent).isGreaterThan(0);
      clock.advance(Duration.ofSeconds(3));
      assertThat(a.value("lbkit.vrrp.adverts.sent", vi)).isEqualTo(sent + 3);
      assertThat(b.value("lbkit.vrrp.adverts.received", vi)).isGreaterThanOrEqualTo(3);

      // A drops its priority below B's: B preempts, A releases MASTER
      a.runtime.reload(Host.write(a.conf, instance(10)));
      clock.advance(Duration.ofSeconds(5));
      assertThat(a.value("lbkit.vrrp.state", vi)).isEqualTo(1);
      assertThat(b.value("lbkit.vrrp.state", vi)).isEqualTo(2);
      assertThat(a.await(1, "lbkit.vrrp.release.master", vi)).isEqualTo(1);
      assertThat(b.await(1, "lbkit.vrrp.become.master", vi)).isEqualTo(1);
      assertThat(a.value("lbkit.vrrp.priority.configured", vi)).isEqualTo(10);
      assertThat(a.value("lbkit.config.reloads", "result", "success")).isEqualTo(1);
      assertThat(a.value("lbkit.config.generation")).isEqualTo(2);
      assertThat(a.value("lbkit.vrrp.adverts.dropped", "iname", "VI_1", "reason", "auth")).isZero();
    } finally {
      a.runtime.close();
      b.runtime.close();
    }
  }

  @Test
  void wrongPassword_countedAsAuthDrop_secretInNoMeter() throws Exception {
    Host a = new Host(clock, net, "10.0.0.1", Host.write(dir.resolve("a.conf"), instance(100)));
    String[] other = instance(50);
    other[7] = "    auth_pass 0therPw";
    Host b = new Host(clock, net, "10.0.0.2", Host.write(dir.resolve("b.conf"), other));
    try {
      clock.advance(Duration.ofSeconds(5));
      assertThat(b.value("lbkit.vrrp.adverts.dropped", "iname", "VI_1", "reason", "auth")).isGreaterThan(0);
      for (Meter m : a.registry.getMeters()) {
        assertThat(m.getId().toString()).doesNotContain("s3cr3tPw");
      }
    } finally {
      a.runtime.close();
      b.runtime.close();
    }
  }
}
