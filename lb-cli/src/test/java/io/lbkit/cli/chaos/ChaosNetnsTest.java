package io.lbkit.cli.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.harness.Tiers;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * netns tier: the chaos run ({@link ChaosDriver}) for 60 s per mode in CI, three lbctl runs and
 * two lbctl runs around a keepalived. {@code lb-bench/scripts/chaos.sh} runs the same driver
 * longer ({@code -Dlbkit.chaos.seconds}, {@code -Dlbkit.chaos.seed}); each run's figures go to
 * {@code target/chaos/MODE/summary.txt}.
 */
class ChaosNetnsTest {
  @BeforeAll
  static void needs() {
    Tiers.requireRoot("creates network namespaces");
    Tiers.requireProgram("keepalived");
    Tiers.requireProgram("nft");
    Tiers.requireProgram("tc");
  }

  static String[] modes() {
    return System.getProperty("lbkit.chaos.modes", "lbkit,mixed").split(",");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void vrrpUnderLinkCutsLossDelayKillsAndFreezes_keepsItsInvariants(String mode) throws Exception {
    int seconds = Integer.getInteger("lbkit.chaos.seconds", 60);
    long seed = Long.getLong("lbkit.chaos.seed", System.nanoTime());
    Path dir = Files.createDirectories(Path.of("target", "chaos", mode));
    ChaosDriver.Report r = ChaosDriver.run(mode, seconds, seed, dir);
    String summary = r.summary();
    Files.writeString(dir.resolve("summary.txt"), summary + "\n");
    System.out.println(summary);
    assertThat(r.looks()).as("the routers were looked at").isGreaterThan(seconds);
    assertThat(r.violations()).as("%s%nrouter logs: %s", summary, dir.resolve("routers.log")).isEmpty();
  }
}
