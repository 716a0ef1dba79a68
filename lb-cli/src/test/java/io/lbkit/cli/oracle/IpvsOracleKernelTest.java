package io.lbkit.cli.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.VirtualService;
import io.lbkit.config.keepalived.Diagnostic;
import io.lbkit.config.keepalived.KeepalivedConfig;
import io.lbkit.cli.InProcessLbctl;
import io.lbkit.harness.Tiers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The IPVS oracle: for every sample config and the seed's, with the checkers removed,
 * keepalived (its checker process only, {@code keepalived -C}, in a fresh network
 * namespace) programs IPVS; {@code ipvsadm -S -n} is captured; IPVS is flushed; then
 * {@code lbctl apply} of the same file must leave exactly the same {@code ipvsadm -S -n}.
 * A sample keepalived rejects or without a virtual_server is skipped with its reason
 * printed. All keepalived instances start together (each in its namespace) because
 * keepalived's start under the VM's software emulation takes many seconds. Runs inside
 * the kernel VM through {@link io.lbkit.cli.e2e.KernelTierTest}.
 */
@Tag("kernel")
class IpvsOracleKernelTest {
  private static final Duration CMD = Duration.ofSeconds(30);

  /** One sample's way through the oracle. */
  static final class Run {
    final String name;
    final Path file;
    String ns;
    long services;
    long dests;
    String skip;
    String failure;
    String keepalivedTable;

    Run(String name, Path file) {
      this.name = name;
      this.file = file;
    }
  }

  @Test
  void everySample_lbctlApply_leavesTheIpvsTableKeepalivedProgrammed() throws Exception {
    Tiers.requireIpvs();
    Tiers.requireProgram("keepalived");
    Tiers.requireProgram("ipvsadm");
    Path root = OracleSamples.projectRoot();
    Path samples = OracleSamples.samplesDir(root);
    Tiers.require(samples != null, "no " + OracleSamples.SAMPLES + " under " + root + " (or set LBKIT_SAMPLES)");
    Path work = Files.createTempDirectory("lbo-oracle");
    List<Run> runs = new ArrayList<>();
    try {
      for (Path f : OracleSamples.all(root, samples)) {
        runs.add(prepare(f, work));
      }
      progress("prepared " + runs.size() + " configs");
      StringBuilder plan = new StringBuilder();
      for (Run r : runs) {
        if (r.skip == null && r.failure == null) {
          r.ns = "lbo-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
          plan.append(r.name).append(' ').append(r.ns).append(' ').append(r.services).append(' ').append(r.dests)
              .append('\n');
        }
      }
      Files.writeString(work.resolve("plan"), plan.toString());
      Sh.Result k = Sh.run(Duration.ofMinutes(8), root.resolve("tools/oracle/keepalived-ipvs.sh").toString(),
          work.toString());
      progress("keepalived's tables captured: " + k.output().strip());
      assertThat(k.exit()).as("tools/oracle/keepalived-ipvs.sh: %s", k.output()).isZero();
      for (Run r : runs) {
        if (r.ns != null) {
          readKeepalived(r, work);
        }
      }
      for (Run r : runs) {
        if (r.keepalivedTable != null && r.failure == null) {
          applyAndCompare(r);
        }
      }
      progress("lbctl apply done");
    } finally {
      StringBuilder del = new StringBuilder();
      for (Run r : runs) {
        if (r.ns != null) {
          del.append("ip netns del ").append(r.ns).append(" 2>/dev/null; ");
        }
      }
      Sh.run(CMD, "bash", "-c", del + "true");
      deleteTree(work);
    }
    int passed = 0;
    List<String> failures = new ArrayList<>();
    for (Run r : runs) {
      if (r.failure != null) {
        System.out.println("ORACLE FAIL " + r.name + ": " + r.failure);
        failures.add(r.name + ": " + r.failure);
      } else if (r.skip != null) {
        System.out.println("ORACLE SKIP " + r.name + ": " + r.skip);
      } else {
        passed++;
        System.out.println("ORACLE PASS " + r.name + " (" + r.services + " services, " + r.dests
            + " real servers, identical ipvsadm -S -n)");
      }
    }
    assertThat(failures).as("samples whose lbctl apply differs from keepalived").isEmpty();
    assertThat(passed).as("samples compared").isPositive();
  }

  private static Run prepare(Path f, Path work) throws Exception {
    String name = f.getFileName().toString();
    Run r = new Run(name, work.resolve(name));
    String text = CheckerStrip.strip(Files.readString(f, StandardCharsets.UTF_8));
    // the seed's config is a template the e2e scripts fill per director (tools/e2e/seed-e2e.sh)
    text = text.replace("__PRIORITY__", "150").replace("__IFACE__", "eth0");
    Files.writeString(r.file, text, StandardCharsets.UTF_8);
    KeepalivedConfig c = KeepalivedConfig.parse(r.file);
    List<VirtualService> vs = c.spec().virtualServices();
    if (vs.isEmpty()) {
      r.skip = "no virtual_server (nothing for IPVS)";
      return r;
    }
    r.services = vs.size();
    r.dests = vs.stream().mapToLong(v -> v.realServers().size()).sum();
    List<String> errors = c.diagnostics().stream().filter(Diagnostic::isError).map(Diagnostic::format).toList();
    if (!errors.isEmpty()) {
      // lbctl apply refuses a file with errors; that is right only if keepalived -t rejects it too
      List<String> keepalived = keepalivedErrors(r.file);
      if (keepalived.isEmpty()) {
        r.failure = "lbkit reports errors keepalived -t does not: " + errors;
      } else {
        r.skip = "keepalived -t rejects it (" + String.join("; ", keepalived) + "); lbkit reports errors in it too, "
            + "so lbctl apply refuses it";
      }
    }
    return r;
  }

  /** keepalived -t's line-bearing reports (other than about this host's interfaces), in a throw-away namespace. */
  private static List<String> keepalivedErrors(Path file) throws Exception {
    Sh.Result t = Sh.run(Duration.ofSeconds(120), "unshare", "--net", "keepalived", "-t", "-l", "-G", "-n", "-f",
        file.toString());
    return t.output().lines().filter(l -> l.matches("^\\(.+: Line \\d+\\) .*") && !l.contains("doesn't exist"))
        .map(l -> l.replaceFirst("^\\(.+: (Line \\d+)\\) ", "$1: ")).toList();
  }

  /** What tools/oracle/keepalived-ipvs.sh left for this run: keepalived's table, or why it exited. */
  private static void readKeepalived(Run r, Path work) throws Exception {
    Path exited = work.resolve(r.name + ".exited");
    Path table = work.resolve(r.name + ".keepalived");
    if (Files.exists(exited)) {
      r.skip = "keepalived rejected it: " + tail(Files.readString(exited, StandardCharsets.UTF_8), 6);
    } else if (!Files.exists(table) || Files.size(table) == 0) {
      r.failure = "keepalived programmed nothing; its log: " + (Files.exists(work.resolve(r.name + ".log"))
          ? tail(Files.readString(work.resolve(r.name + ".log"), StandardCharsets.UTF_8), 10) : "(none)");
    } else {
      r.keepalivedTable = Files.readString(table, StandardCharsets.UTF_8);
    }
  }

  private static void applyAndCompare(Run r) throws Exception {
    InProcessLbctl lbctl = new InProcessLbctl();
    int code = lbctl.run("apply", r.file.toString(), "--netns", r.ns);
    String lbkit = Sh.ok(CMD, "ip", "netns", "exec", r.ns, "ipvsadm", "-S", "-n");
    if (code != 0 || !lbkit.equals(r.keepalivedTable)) {
      r.failure = "lbctl apply exit " + code + "\n--- keepalived:\n" + r.keepalivedTable + "--- lbctl apply:\n" + lbkit
          + "--- lbctl output:\n" + lbctl.out() + lbctl.err();
    }
  }

  private static final long T0 = System.nanoTime();

  private static void progress(String what) {
    System.out.println("oracle +" + (System.nanoTime() - T0) / 1_000_000_000 + "s " + what);
  }

  private static String tail(String log, int n) {
    List<String> l = log.lines().toList();
    return String.join(" | ", l.subList(Math.max(0, l.size() - n), l.size()));
  }

  private static void deleteTree(Path dir) throws Exception {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
