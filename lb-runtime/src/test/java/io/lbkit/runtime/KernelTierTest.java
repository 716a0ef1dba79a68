package io.lbkit.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.harness.kernel.KernelVm;
import org.junit.jupiter.api.Test;

/** Host side of lb-runtime's kernel tier: boots one VM and runs every {@code @Tag("kernel")} test in it. */
class KernelTierTest {

  @Test
  void kernelTaggedTests_runInsideOneVm_allPass() throws Exception {
    KernelVm.Result r = KernelVm.forThisModule().runTagged("kernel").assertAllPassed();
    assertThat(r.found()).as("kernel tests found in the VM").isEqualTo(1);
    assertThat(r.aborted()).as("kernel tests skipped inside the VM").isZero();
  }
}
