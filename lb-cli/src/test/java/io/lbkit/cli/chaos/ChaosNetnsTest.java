package io.lbkit.cli.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.harness.Tiers;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * netns tier: the chaos runs for 60 s per mode in CI: {@link ChaosDriver}'s three lbctl runs
 * ("lbkit") and two lbctl runs around a keepalived ("mixed"), and {@link DirectorChaos}'s director
 * with misbehaving real servers ("director"). {@code lb-bench/scripts/chaos.sh} runs the same
 * drivers longer ({@code -Dlbkit.chaos.seconds}, {@code -Dlbkit.chaos.seed},
 * {@code -Dlbkit.chaos.modes}); each run's figures go to {@code target/chaos/MODE/summary.txt}.
 */
class ChaosNetnsTest {
  @BeforeAll
  static void needs() {
    Tiers.requireRoot("creates network namespaces");
    Tiers.requireProgram("keepalived");
    Tiers.requireProgram("nft");
    Tiers.requireProgram("tc");
    Tiers.requireProgram("python3");
  }

  static String[] modes() {
    return System.getProperty("lbkit.chaos.modes", "lbkit,mixed,director").split(",");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void underFaults_keepsItsInvariants(String mode) throws Exception {
    int seconds = Integer.getInteger("lbkit.chaos.seconds", 60);
    long seed = Long.getLong("lbkit.chaos.seed", System.nanoTime());
    Path dir = Files.createDirectories(Path.of("target", "chaos", mode));
    String summary;
    int looks;
    java.util.List<String> violations;
    if (mode.equals("director")) {
      DirectorLook.Report r = DirectorChaos.run(seconds, seed, dir);
      summary = r.summary();
      looks = r.looks();
      violations = r.violations();
    } else {
      ChaosDriver.Report r = ChaosDriver.run(mode, seconds, seed, dir);
      summary = r.summary();
      looks = r.looks();
      violations = r.violations();
    }
    Files.writeString(dir.resolve("summary.txt"), summary + "\n");
    System.out.println(summary);
    assertThat(violations).as("%s%nlogs: %s", summary, dir).isEmpty();
    // lbkit and mixed count a look per router (three a round), director one per round: at a load
    // average of 36 on 2 cores a director round (status, show, RSS, 300 ms sleep) took 1.1 s
    assertThat(looks).as("looked at").isGreaterThan(mode.equals("director") ? seconds / 2 : seconds);
  }
}
