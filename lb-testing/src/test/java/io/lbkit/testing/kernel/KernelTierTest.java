package io.lbkit.testing.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Host side of lb-testing's kernel tier: runs every {@code @Tag("kernel")} test in one VM. */
class KernelTierTest {

  @Test
  void kernelTaggedTests_runInsideOneVm_allPass() throws Exception {
    KernelVm.Result r = KernelVm.forThisModule().runTagged("kernel").assertAllPassed();
    assertThat(r.found()).as("kernel tests found in the VM").isEqualTo(2);
    assertThat(r.aborted()).as("kernel tests skipped inside the VM").isZero();
  }
}
