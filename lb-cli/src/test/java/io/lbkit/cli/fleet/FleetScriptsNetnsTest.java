package io.lbkit.cli.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.harness.Tiers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 14's fleet figures in CI, through the same scripts that measure them (lb-bench/scripts: the topology of
 * fleet-lib.sh, etcd, FRR with ECMP and BFD, 3 `lbctl run --etcd` directors on nftables, 10 real servers), with
 * fewer changes and a shorter etcd outage than the runs in docs/performance.md: every director gets >= 20% of 1,000
 * new flows; put-to-applied is measured (its goal is a benchmark's, not asserted here); etcd stopped under traffic
 * costs no failed request, no dataplane write, no route change and no applied revision; removing one of 10 real
 * servers from an mh service moves at most 1.2x the ideal share of flows. lbctl runs from this test's class path
 * (FLEET_CP), not a packaged jar. The scripts stop what they started by pid and delete their namespaces.
 */
class FleetScriptsNetnsTest {
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  private static String script(String name, String... args) throws IOException, InterruptedException {
    Path log = Files.createTempFile("fleet-script", ".log");
    try {
      List<String> argv = new java.util.ArrayList<>(List.of("bash", ROOT.resolve("lb-bench/scripts/" + name).toString()));
      argv.addAll(List.of(args));
      ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().put("FLEET_CP", System.getProperty("java.class.path"));
      Process p = pb.start();
      boolean done = p.waitFor(8, TimeUnit.MINUTES);
      if (!done) {
        p.destroy(); // SIGTERM: the script's trap stops what it started and deletes its namespaces
        p.waitFor(60, TimeUnit.SECONDS);
      }
      String out = Files.readString(log);
      System.out.println(name + ":\n" + out);
      assertThat(done).as("%s finished within 8 minutes:%n%s", name, out).isTrue();
      assertThat(p.exitValue()).as("%s exit status:%n%s", name, out).isZero();
      return out;
    } finally {
      Files.deleteIfExists(log);
    }
  }

  private static double number(String out, String regex) {
    Matcher m = Pattern.compile(regex).matcher(out);
    assertThat(m.find()).as("output has %s:%n%s", regex, out).isTrue();
    return Double.parseDouble(m.group(1));
  }

  @Test
  void spread_putToApplied_etcdOutage_realServerRemoval() throws Exception {
    Tiers.requireRoot("creates network namespaces");
    for (String p : List.of("etcd", "etcdctl", "nft", "busybox", "python3", "vtysh")) {
      Tiers.requireProgram(p);
    }
    Tiers.require(Files.isExecutable(Path.of("/usr/lib/frr/bfdd")), "needs FRR with bfdd (Debian frr)");

    String measure = script("fleet-measure.sh", "1000", "20");
    assertThat(number(measure, "SPREAD .* min-share=([0-9.]+)%")).as("smallest director's share of 1,000 new flows")
        .isGreaterThanOrEqualTo(20.0);
    assertThat(measure).contains("PUT-TO-APPLIED on all 3 directors over 20 changes");

    String faults = script("fleet-faults.sh", "20", "1000");
    Matcher outage = Pattern.compile("during=(\\d+)/\\d+ after=(\\d+)/\\d+; nf_tables writes during=(\\d+) after=(\\d+);"
        + " VIP route changes on the router during=(\\d+) after=(\\d+); new revisions applied during=(\\d+) after=(\\d+)")
        .matcher(faults);
    assertThat(outage.find()).as("ETCD-OUTAGE line:%n%s", faults).isTrue();
    for (int g = 1; g <= 8; g++) {
      assertThat(Integer.parseInt(outage.group(g))).as("etcd outage figure %d of %s", g, outage.group()).isZero();
    }
    assertThat(number(faults, "RS-REMOVAL .* ratio ([0-9.]+)x")).as("flows moved by a real server's removal / ideal")
        .isLessThanOrEqualTo(1.2);
  }
}
