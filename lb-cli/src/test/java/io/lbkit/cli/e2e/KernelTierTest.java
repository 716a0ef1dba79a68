package io.lbkit.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.harness.kernel.KernelVm;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Host side of the end-to-end kernel tier: boots one VM and runs the seed scenario in it
 * (three director pairs, each with its health and failover phases), restart adoption
 * (tools/e2e/restart-adoption.sh) and the IPVS oracle
 * (keepalived and lbctl apply of the same files must leave the same table), and lb-runtime's
 * IPVS sync daemons following the VRRP role (SyncDaemonKernelTest). The 30-minute
 * ceiling allows for TCG on a loaded machine.
 */
class KernelTierTest {

  @Test
  void seedScenario_runsInsideOneVm_andPasses() throws Exception {
    KernelVm.Result r = KernelVm.forThisModule().withTimeout(Duration.ofMinutes(30)).runTagged("kernel").assertAllPassed();
    assertThat(r.found()).as("kernel tests found in the VM").isEqualTo(6);
    assertThat(r.aborted()).as("kernel tests skipped inside the VM").isZero();
  }
}
