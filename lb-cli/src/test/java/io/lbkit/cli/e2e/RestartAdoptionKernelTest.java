package io.lbkit.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.cli.testing.ProjectRoot;
import io.lbkit.harness.Tiers;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Restart adoption on a real IPVS kernel (tools/e2e/restart-adoption.sh, inside the kernel VM
 * through {@link KernelTierTest}): {@code lbctl run} MASTER of an LVS-DR virtual server with
 * TCP_CHECKs, keepalived its BACKUP; kill -9 and the same command again. The script fails unless
 * the restarted process wrote nothing to IPVS (its own count, {@code ipvsadm -S -n} and the
 * connection counters unchanged), is MASTER again with the VIP never moved and keepalived never
 * out of BACKUP, and its checks resume (a dead real server at weight 0 within the bound).
 */
@Tag("kernel")
class RestartAdoptionKernelTest {

  @Test
  void killNineAndRestart_noIpvsWrite_countersKept_backupStays_checksResume() throws Exception {
    Tiers.requireIpvs();
    Tiers.requireProgram("busybox");
    Tiers.requireProgram("keepalived");
    Path root = ProjectRoot.find();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path log = Files.createTempFile("restart-adoption", ".log");
    ProcessBuilder pb = new ProcessBuilder(root.resolve("tools/e2e/restart-adoption.sh").toString())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("LBCTL", java + " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "
        + System.getProperty("java.class.path") + " io.lbkit.cli.Lbctl");
    Process p = pb.start();
    boolean done = p.waitFor(20, TimeUnit.MINUTES);
    if (!done) {
      p.destroy();
      p.waitFor(20, TimeUnit.SECONDS);
      p.destroyForcibly();
    }
    String out = Files.readString(log, StandardCharsets.UTF_8);
    out.lines().filter(l -> l.startsWith("E2E_METRIC") || l.startsWith("MASTER again") || l.startsWith("rs1 weight"))
        .forEach(l -> System.out.println("restart: " + l));
    assertThat(done).as("finished within 20 minutes; output:%n%s", out).isTrue();
    assertThat(p.exitValue()).as("exit status; output:%n%s", out).isZero();
    assertThat(out).contains("RESTART_ADOPTION_OK", "E2E_METRIC restart_ipvs_writes=0",
        "E2E_METRIC restart_master_ms=", "E2E_METRIC restart_health_down_ms=");
    Files.deleteIfExists(log);
    assertThat(new File("/run/netns/lbe-dir1")).as("topology removed").doesNotExist();
  }
}
