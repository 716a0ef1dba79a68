package io.lbkit.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.vrrp.VrrpState;
import io.lbkit.harness.Tiers;
import io.lbkit.harness.netns.Lan;
import io.lbkit.harness.netns.NetNs;
import io.lbkit.runtime.LoadBalancerRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inside the kernel VM (lb-cli's {@link KernelTierTest}, which boots one VM for this and the seed's tests): two directors in namespaces on
 * one bridge, each a {@link LoadBalancerRuntime} on the real kernel (raw-socket VRRP,
 * netlink addresses, IPVS) with {@code lvs_sync_daemon eth0 VI_1}; {@code ipvsadm -L --daemon}
 * in each namespace shows the daemon of its role: master on the MASTER, backup on the
 * BACKUP, swapped by a takeover, none after close.
 */
@Tag("kernel")
class SyncDaemonKernelTest {
  @TempDir Path dir;

  private Path conf(String name, int priority) throws Exception {
    return Files.writeString(dir.resolve(name + ".conf"), String.join("\n",
        "global_defs {", "  lvs_sync_daemon eth0 VI_1 port 8850", "}",
        "vrrp_instance VI_1 {", "  interface eth0", "  virtual_router_id 61", "  priority " + priority,
        "  advert_int 1", "  virtual_ipaddress {", "    10.77.0.100/24", "  }", "}") + "\n");
  }

  @Test
  void daemons_followTheRole_masterAndBackup_swappedByTakeover_goneAfterClose() throws Exception {
    Tiers.requireIpvs();
    Tiers.requireRoot("creates network namespaces");
    Tiers.requireProgram("ipvsadm");
    try (Lan lan = Lan.create(2, "10.77.0.0/24")) {
      NetNs a = lan.member(0);
      NetNs b = lan.member(1);
      // (the backup daemon at start is in SyncDaemonRuntimeTest: under TCG A alone is MASTER before B is up)
      LoadBalancerRuntime ra = LoadBalancerRuntime.builder().netns(a.name()).start(conf("a", 150));
      LoadBalancerRuntime rb = null;
      try {
        rb = LoadBalancerRuntime.builder().netns(b.name()).start(conf("b", 100));
        LoadBalancerRuntime fb = rb;
        await(() -> ra.status().vrrp().get("VI_1").state() == VrrpState.MASTER
            && fb.status().vrrp().get("VI_1").state() == VrrpState.BACKUP, "A MASTER, B BACKUP");
        await(() -> daemons(a).startsWith("master sync daemon (mcast=eth0, syncid=61"), "A's master daemon");
        assertThat(daemons(a)).as("A (MASTER)").doesNotContain("backup").contains("port=8850");
        assertThat(daemons(b)).as("B (BACKUP)").startsWith("backup sync daemon (mcast=eth0, syncid=61")
            .doesNotContain("master");

        ra.close(); // priority 0: B takes over
        await(() -> fb.status().vrrp().get("VI_1").state() == VrrpState.MASTER, "B MASTER");
        await(() -> daemons(b).startsWith("master sync daemon (mcast=eth0, syncid=61"), "B's master daemon");
        assertThat(daemons(b)).as("B (MASTER)").doesNotContain("backup");
        assertThat(daemons(a)).as("A after close").isEmpty();
        rb.close();
        assertThat(daemons(b)).as("B after close").isEmpty();
      } finally {
        ra.close();
        if (rb != null) {
          rb.close();
        }
      }
    }
  }

  /** {@code ipvsadm -L --daemon} in the namespace. */
  private static String daemons(NetNs ns) {
    return ns.run("ipvsadm", "-L", "--daemon");
  }

  /** Waits for {@code done}, polling every 100 ms, for at most 60 s (TCG emulation is slow). */
  private static void await(Supplier<Boolean> done, String what) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!done.get()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 60 s: " + what);
      }
      Thread.sleep(100);
    }
  }
}
