package io.lbkit.examples.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.testing.Tiers;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The seed (../shared/seed) end to end on a real IPVS kernel: client, two directors
 * running {@code lbctl run} with the seed's corrected keepalived.conf, two real servers
 * prepared for DR, all in namespaces on one bridge (tools/e2e/seed-e2e.sh). Runs inside
 * the kernel VM through {@link KernelTierTest}.
 */
@Tag("kernel")
class SeedScenarioKernelTest {

  static Path projectRoot() {
    String env = System.getenv("LBKIT_PROJECT_ROOT");
    if (env != null && Files.isDirectory(Path.of(env, "tools", "e2e"))) {
      return Path.of(env);
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("tools/e2e"))) {
        return p;
      }
    }
    throw new IllegalStateException("cannot find the project root (tools/e2e) from " + Path.of("").toAbsolutePath());
  }

  @Test
  void seed_twoLbkitDirectors_ipvsTableAsTheSeeds_requestsAlternate() throws Exception {
    runSeed("lbkit", "lbkit");
  }

  /** The mixed pair: lbkit and keepalived elect one master (nopreempt holds) and serve the same. */
  @Test
  void seed_lbkitAndKeepalived_electOneMaster_requestsAlternate() throws Exception {
    Tiers.requireProgram("keepalived");
    runSeed("lbkit", "keepalived");
  }

  private static void runSeed(String dir1, String dir2) throws Exception {
    Tiers.requireIpvs();
    Tiers.requireProgram("curl");
    Tiers.requireProgram("busybox");
    Path root = projectRoot();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp = System.getProperty("java.class.path");
    Path log = Files.createTempFile("seed-e2e", ".log");
    ProcessBuilder pb = new ProcessBuilder(root.resolve("tools/e2e/seed-e2e.sh").toString(), dir1, dir2)
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("LBCTL", java + " -XX:TieredStopAtLevel=1 -cp " + cp + " io.lbkit.examples.lbctl.Lbctl");
    Process p = pb.start();
    boolean done = p.waitFor(12, TimeUnit.MINUTES);
    if (!done) {
      p.destroy();
      p.waitFor(20, TimeUnit.SECONDS);
      p.destroyForcibly();
    }
    String out = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(done).as("finished within 12 minutes; output:%n%s", out).isTrue();
    assertThat(p.exitValue()).as("exit status; output:%n%s", out).isZero();
    assertThat(out).contains("SEED_E2E_OK " + dir1 + " " + dir2);
    // the seed's listing (ipvsadm 1.31 sorts the real servers; v1.24 in the blog did not)
    assertThat(out).contains(String.join("\n",
        "TCP  192.168.0.200:80 rr",
        "  -> 192.168.0.61:80              Route   1      0          0         ",
        "  -> 192.168.0.62:80              Route   1      0          0         "));
    long shizune = out.lines().filter(l -> l.contains("shizune webserv")).count();
    long tenten = out.lines().filter(l -> l.contains("tenten webserv")).count();
    assertThat(shizune).isEqualTo(5);
    assertThat(tenten).isEqualTo(5);
    Files.deleteIfExists(log);
    assertThat(new File("/run/netns/lbe-dir1")).as("topology removed").doesNotExist();
  }
}
