package io.lbkit.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.vrrp.InMemoryVrrpNetwork;
import io.micrometer.core.instrument.Meter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tracking meters (vrrp_script status and state, track_file values, tracked links) and
 * the effective priority, including 0 in FAULT and the priority-0 adverts, as a tracked
 * script fails and recovers and a track file changes, on in-memory VRRP and a manual
 * clock. The script is a real process ({@code test -e FLAG}) run on the runtime's
 * script threads, so values are awaited (bounded).
 */
class LbkitMetricsTrackingTest {
  @TempDir Path dir;
  final LockedClock clock = new LockedClock(); // script threads schedule while the test advances
  final InMemoryVrrpNetwork net = new InMemoryVrrpNetwork(clock, Duration.ZERO);
  static final String[] VI = {"iname", "VI_1", "intf", "eth0", "vrid", "51"};

  String[] config(int priority, boolean tracking, Path flag, Path file) {
    return new String[] {
        "vrrp_script chk_flag {", "  script \"/usr/bin/test -e " + flag + "\"", "  interval 1", "}",
        "vrrp_script chk_unused {", "  script \"/bin/true\"", "  interval 1", "}",
        "track_file tf {", "  file " + file, "  weight 1", "}",
        "vrrp_instance VI_1 {", "  interface eth0", "  virtual_router_id 51", "  priority " + priority,
        "  advert_int 1", "  authentication {", "    auth_type PASS", "    auth_pass s3cr3tPw", "  }",
        "  virtual_ipaddress {", "    10.0.0.100", "  }",
        tracking ? "  track_script {\n    chk_flag\n  }\n  track_file {\n    tf\n  }\n  track_interface {\n    eth0\n  }"
            : "",
        "}"};
  }

  /** Advances the clock a second at a time until the meter reads {@code expected} (at most 10 s of clock). */
  static double advanceUntil(LockedClock clock, Host h, double expected, String name, String... tags)
      throws InterruptedException {
    double v = h.value(name, tags);
    for (int i = 0; i < 10 && v != expected; i++) {
      clock.advance(Duration.ofSeconds(1));
      v = h.await(expected, name, tags);
    }
    return v;
  }

  @Test
  void trackedScriptFailsAndRecovers_statusPriorityAndZeroAdvertsMove() throws Exception {
    Path flag = Files.writeString(dir.resolve("flag"), "");
    Path file = Files.writeString(dir.resolve("tf"), "5\n");
    Host a = new Host(clock, net, "10.0.0.1", Host.write(dir.resolve("a.conf"), config(100, true, flag, file)));
    Host b = new Host(clock, net, "10.0.0.2", Host.write(dir.resolve("b.conf"), config(50, false, flag, file)));
    try {
      assertThat(a.value("lbkit.vrrp.script.status", "name", "chk_flag")).as("no run has ended yet").isEqualTo(-1);
      assertThat(a.value("lbkit.vrrp.track.script.status", "iname", "VI_1", "name", "chk_flag")).isEqualTo(-1);

      clock.advance(Duration.ofSeconds(5));
      assertThat(advanceUntil(clock, a, 1, "lbkit.vrrp.script.status", "name", "chk_flag")).isEqualTo(1);
      assertThat(a.value("lbkit.vrrp.track.script.status", "iname", "VI_1", "name", "chk_flag")).isEqualTo(1);
      assertThat(a.value("lbkit.vrrp.script.status", "name", "chk_unused")).as("tracked by no instance").isEqualTo(-1);
      // awaited: a run the last advance started may still be going (advanceUntil may step once more than needed
      // when its first read fell while the first run was in flight); no advance now, so it ends and stays idle
      assertThat(a.await(0, "lbkit.vrrp.script.state", "name", "chk_flag")).as("idle between runs").isZero();
      assertThat(a.value("lbkit.vrrp.track.file.value", "name", "tf")).isEqualTo(5);
      assertThat(a.value("lbkit.vrrp.track.interface.up", "iname", "VI_1", "track_interface", "eth0")).isEqualTo(1);
      assertThat(a.value("lbkit.vrrp.state", VI)).isEqualTo(2);
      assertThat(a.value("lbkit.vrrp.priority.effective", VI)).as("100 + 5 x weight 1").isEqualTo(105);

      // the track file's value changes: read at the next refresh and tracking pass
      Files.writeString(file, "7\n");
      assertThat(a.value("lbkit.vrrp.track.file.value", "name", "tf")).isEqualTo(7);
      assertThat(advanceUntil(clock, a, 107, "lbkit.vrrp.priority.effective", VI)).isEqualTo(107);

      // the script fails (weight 0): FAULT, effective priority 0, a priority-0 advert to the backup
      Files.delete(flag);
      assertThat(advanceUntil(clock, a, 0, "lbkit.vrrp.script.status", "name", "chk_flag")).isEqualTo(0);
      assertThat(advanceUntil(clock, a, 3, "lbkit.vrrp.state", VI)).isEqualTo(3);
      assertThat(a.value("lbkit.vrrp.priority.effective", VI)).isZero();
      assertThat(a.value("lbkit.vrrp.track.script.status", "iname", "VI_1", "name", "chk_flag")).isZero();
      assertThat(a.value("lbkit.vrrp.priority.zero.sent", VI)).isEqualTo(1);
      assertThat(b.value("lbkit.vrrp.priority.zero.received", VI)).isEqualTo(1);
      assertThat(advanceUntil(clock, b, 2, "lbkit.vrrp.state", VI)).isEqualTo(2);

      // it recovers: the instance leaves FAULT and takes its priority back
      Files.writeString(flag, "");
      assertThat(advanceUntil(clock, a, 1, "lbkit.vrrp.script.status", "name", "chk_flag")).isEqualTo(1);
      assertThat(advanceUntil(clock, a, 107, "lbkit.vrrp.priority.effective", VI)).isEqualTo(107);
      assertThat(a.value("lbkit.vrrp.state", VI)).isNotEqualTo(3);

      for (Meter m : a.registry.getMeters()) {
        assertThat(m.getId().toString()).doesNotContain("s3cr3tPw").doesNotContain(flag.toString())
            .doesNotContain(file.toString()).doesNotContain("/usr/bin/test");
      }
    } finally {
      a.runtime.close();
      b.runtime.close();
    }
  }

  @Test
  void reloadWithoutTracking_removesTrackingMeters() throws Exception {
    Path flag = Files.writeString(dir.resolve("flag"), "");
    Path file = Files.writeString(dir.resolve("tf"), "1\n");
    Host a = new Host(clock, net, "10.0.0.1", Host.write(dir.resolve("a.conf"), config(100, true, flag, file)));
    try {
      assertThat(a.registry.find("lbkit.vrrp.track.script.status").gauges()).hasSize(1);
      a.runtime.reload(Host.write(a.conf, config(100, false, flag, file)));
      assertThat(a.registry.find("lbkit.vrrp.track.script.status").gauges()).isEmpty();
      assertThat(a.registry.find("lbkit.vrrp.track.interface.up").gauges()).isEmpty();
      assertThat(a.registry.find("lbkit.vrrp.script.status").gauges()).as("still defined").hasSize(2);
    } finally {
      a.runtime.close();
    }
  }
}
