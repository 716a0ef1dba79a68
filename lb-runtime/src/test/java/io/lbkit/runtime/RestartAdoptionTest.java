package io.lbkit.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.net.IfAddress;
import io.lbkit.api.vrrp.VrrpState;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Restart adoption: an instance whose VIPs a killed previous run left on the interface starts as MASTER. */
class RestartAdoptionTest {
  @TempDir Path dir;

  private static String[] instance(String extra) {
    return new String[] {"vrrp_instance VI_1 {", "  interface eth0", "  virtual_router_id 51", "  priority 100",
        "  advert_int 1", extra, "  virtual_ipaddress {", "    10.0.0.100", "  }", "}"};
  }

  @Test
  void vipsAlreadyOnTheInterface_startAsMaster_withoutWaitingTheMasterDownInterval() throws Exception {
    Lab lab = new Lab(dir);
    lab.addresses.add("eth0", IfAddress.parse("10.0.0.100/32")); // left by a run killed with SIGKILL
    try (LoadBalancerRuntime lb = lab.builder().start(lab.conf(instance("")))) {
      // as keepalived's state MASTER: BACKUP for the skew time only (0.61 s here), not 3 x advert + skew
      lab.clock.advance(Duration.ofMillis(1000));
      assertThat(lb.status().vrrp().get("VI_1").state()).isEqualTo(VrrpState.MASTER);
      long end = System.nanoTime() + 5_000_000_000L; // listeners hear it on their own thread
      while (lab.events.size() < 2 && System.nanoTime() < end) {
        Thread.sleep(10);
      }
      assertThat(lab.events).containsExactly("VI_1 INIT -> BACKUP", "VI_1 BACKUP -> MASTER");
      assertThat(lb.spec().vrrpInstances().get(0).initialState()).as("the spec as configured")
          .isEqualTo(VrrpState.BACKUP);
    }
  }

  @Test
  void noVipOnTheInterface_startsAsBackup_asConfigured() throws Exception {
    Lab lab = new Lab(dir);
    try (LoadBalancerRuntime lb = lab.builder().start(lab.conf(instance("")))) {
      lab.clock.advance(Duration.ofMillis(1000));
      assertThat(lb.status().vrrp().get("VI_1").state()).isEqualTo(VrrpState.BACKUP);
      lab.clock.advance(Duration.ofMillis(3000)); // master down: 3 x 1 s + 0.61 s
      assertThat(lb.status().vrrp().get("VI_1").state()).isEqualTo(VrrpState.MASTER);
    }
  }

  @Test
  void nopreempt_isNotAdopted_evenWithItsVipPresent() throws Exception {
    Lab lab = new Lab(dir);
    lab.addresses.add("eth0", IfAddress.parse("10.0.0.100/32"));
    try (LoadBalancerRuntime lb = lab.builder().start(lab.conf(instance("  nopreempt")))) {
      lab.clock.advance(Duration.ofMillis(1000));
      assertThat(lb.status().vrrp().get("VI_1").state()).isEqualTo(VrrpState.BACKUP);
    }
  }
}
