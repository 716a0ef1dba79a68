package io.lbkit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lbkit.fleet.FrrAnnouncer;
import io.lbkit.fleet.GobgpAnnouncer;
import org.junit.jupiter.api.Test;

/** {@code lbctl run}'s BGP options: which announcer each {@code --bgp} gives, and the usage errors (before etcd). */
class RunCommandBgpTest {
  private final InProcessLbctl lbctl = new InProcessLbctl();

  @Test
  void announcer_gobgp_isGobgpAnnouncer() {
    assertThat(FleetRun.announcer("gobgp", "vtysh", "gobgp -p 50051", null)).isInstanceOf(GobgpAnnouncer.class);
    assertThat(FleetRun.announcer("gobgp", "vtysh", null, null)).isInstanceOf(GobgpAnnouncer.class);
    assertThat(FleetRun.announcer("frr", "vtysh", null, 65001L)).isInstanceOf(FrrAnnouncer.class);
  }

  @Test
  void announcer_gobgpWithAsn_refused() {
    assertThatThrownBy(() -> FleetRun.announcer("gobgp", "vtysh", null, 65001L))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--asn is for --bgp frr");
  }

  @Test
  void announcer_gobgpCommandWithFrr_refused() {
    assertThatThrownBy(() -> FleetRun.announcer("frr", "vtysh", "gobgp -p 1", 65001L))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("--gobgp is for --bgp gobgp");
  }

  @Test
  void run_bgpBird_usageErrorSaysNotSupported() {
    assertThat(lbctl.run("run", "--etcd", "http://127.0.0.1:1", "--key", "/k", "--bgp", "bird")).isEqualTo(2);
    assertThat(lbctl.err()).contains("--bgp bird is not supported: use frr or gobgp");
  }

  @Test
  void run_bgpUnknown_usageErrorListsTheDaemons() {
    assertThat(lbctl.run("run", "--etcd", "http://127.0.0.1:1", "--key", "/k", "--bgp", "quagga")).isEqualTo(2);
    assertThat(lbctl.err()).contains("--bgp: frr, gobgp or none, not quagga");
  }

  @Test
  void run_gobgpWithoutFleetMode_usageError() {
    assertThat(lbctl.run("run", "/nonexistent.conf", "--gobgp", "gobgp -p 50051")).isEqualTo(2);
    assertThat(lbctl.err()).contains("--name, --bgp, --asn and --gobgp are for fleet mode");
  }

  @Test
  void help_documentsGobgp() {
    assertThat(lbctl.run("run", "--help")).isEqualTo(0);
    assertThat(lbctl.out()).contains("--bgp=frr|gobgp|none").contains("--gobgp=COMMAND")
        .contains("'gobgp -p 50051'");
  }
}
