package io.lbkit.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.harness.Tiers;
import io.lbkit.harness.netns.Exec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Runs inside the kernel VM with the rest of lb-netlink's kernel tier: proves the VM's
 * kernel has IPVS and its schedulers (moved here from lb-testing so the whole suite
 * boots one VM fewer).
 */
@Tag("kernel")
class VmEnvironmentKernelTest {

  @Test
  void insideVm_ipvsLoaded_ipvsadmListsEmptyTable() {
    Tiers.requireIpvs();
    Tiers.requireProgram("ipvsadm");
    assertThat(Path.of("/proc/net/ip_vs")).exists();
    Exec.Result r = Exec.run(Duration.ofSeconds(30), "ipvsadm", "-L", "-n").orThrow();
    assertThat(r.stdout()).startsWith("IP Virtual Server version");
  }

  @Test
  void insideVm_environment_marksVmAndSchedulersLoaded() throws Exception {
    Tiers.requireIpvs();
    assertThat(System.getenv("LBKIT_IN_VM")).isEqualTo("1");
    // vm-run loads every scheduler module, so services with any scheduler can be made
    assertThat(Files.readString(Path.of("/proc/modules"))).contains("ip_vs_wlc", "ip_vs_mh", "ip_vs_sh");
  }
}
