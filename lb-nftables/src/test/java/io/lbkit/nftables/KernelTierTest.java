package io.lbkit.nftables;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.harness.kernel.KernelVm;
import org.junit.jupiter.api.Test;

/** Host side of lb-nftables' kernel tier: boots one VM and runs its {@code @Tag("kernel")} tests (IPVS's mh against the model; the same spec on nftables and IPVS side by side). */
class KernelTierTest {

  @Test
  void kernelTaggedTests_runInsideOneVm_allPass() throws Exception {
    KernelVm.Result r = KernelVm.forThisModule().runTagged("kernel").assertAllPassed();
    assertThat(r.found()).as("kernel tests found in the VM").isEqualTo(2);
    assertThat(r.aborted()).as("kernel tests skipped inside the VM").isZero();
  }
}
