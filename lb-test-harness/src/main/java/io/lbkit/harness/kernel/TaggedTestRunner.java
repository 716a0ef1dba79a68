package io.lbkit.harness.kernel;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TagFilter;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs every test carrying one JUnit tag from test-class directories, prints one line
 * per test (with its wall time: under emulation that is where a VM run's time goes) and a summary line, and exits non-zero unless at least one test ran and
 * none failed. {@link KernelVm} starts it inside the kernel VM:
 *
 * <pre>
 * java -cp TEST-CLASSPATH io.lbkit.harness.kernel.TaggedTestRunner --tag kernel --classes target/test-classes
 * </pre>
 *
 * <p>Exit status: 0 all passed, 1 a test failed, 2 no test matched, 3 bad usage.
 * The summary line starts with {@link #SUMMARY_PREFIX} so the host can parse it out
 * of the VM console: {@code lbkit-tagged-tests: tag=kernel found=3 succeeded=3 failed=0 aborted=0 skipped=0}.
 */
public final class TaggedTestRunner {
  /** Start of the summary line. */
  public static final String SUMMARY_PREFIX = "lbkit-tagged-tests:";

  private TaggedTestRunner() {}

  /**
   * Entry point.
   *
   * @param args {@code --tag TAG} and one or more {@code --classes DIR}
   */
  public static void main(String[] args) {
    String tag = null;
    List<Path> roots = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (i + 1 < args.length && args[i].equals("--tag")) {
        tag = args[++i];
      } else if (i + 1 < args.length && args[i].equals("--classes")) {
        roots.add(Path.of(args[++i]).toAbsolutePath());
      } else {
        usage("unknown argument: " + args[i]);
      }
    }
    if (tag == null || roots.isEmpty()) {
      usage("--tag and --classes are required");
    }
    for (Path r : roots) {
      if (!Files.isDirectory(r)) {
        usage("--classes " + r + ": not a directory (build the tests on the host first)");
      }
    }
    Summary s = run(tag, roots, System.out);
    System.out.flush();
    System.exit(s.exitCode());
  }

  private static void usage(String why) {
    System.err.println("TaggedTestRunner: " + why);
    System.err.println("usage: TaggedTestRunner --tag TAG --classes DIR [--classes DIR]...");
    System.exit(3);
  }

  /** Runs the tests tagged {@code tag} found under {@code roots}, reporting to {@code out}. */
  public static Summary run(String tag, List<Path> roots, PrintStream out) {
    List<DiscoverySelector> selectors = new ArrayList<>();
    Set<Path> set = new LinkedHashSet<>(roots);
    selectors.addAll(DiscoverySelectors.selectClasspathRoots(set));
    LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
        .selectors(selectors)
        .filters(TagFilter.includeTags(tag))
        .build();
    Counter counter = new Counter(out);
    long start = System.nanoTime();
    // under emulation the JVM's own start is a large part of a VM run: say how large
    out.println("TaggedTestRunner: JVM up for " + ManagementFactory.getRuntimeMXBean().getUptime()
        + " ms; running @Tag(\"" + tag + "\") tests from " + roots);
    Launcher launcher = LauncherFactory.create();
    launcher.execute(request, counter);
    out.println("TaggedTestRunner: tests took " + (System.nanoTime() - start) / 1_000_000 + " ms");
    Summary s = new Summary(tag, counter.found, counter.succeeded, counter.failed, counter.aborted, counter.skipped);
    out.println(s.line());
    return s;
  }

  /**
   * What a run did.
   *
   * @param tag the tag that selected the tests
   * @param found tests started or skipped
   * @param succeeded tests that passed
   * @param failed tests that failed
   * @param aborted tests that aborted (an assumption did not hold: skipped at run time)
   * @param skipped tests disabled before they started
   */
  public record Summary(String tag, long found, long succeeded, long failed, long aborted, long skipped) {
    /** The summary line the host parses. */
    public String line() {
      return SUMMARY_PREFIX + " tag=" + tag + " found=" + found + " succeeded=" + succeeded + " failed=" + failed
          + " aborted=" + aborted + " skipped=" + skipped;
    }

    /** 0 passed, 1 failures, 2 nothing ran. */
    public int exitCode() {
      return failed > 0 ? 1 : found == 0 ? 2 : 0;
    }
  }

  /** Counts test leaves (not containers, except a failed container fails its tests). */
  private static final class Counter implements TestExecutionListener {
    private final PrintStream out;
    private final Map<String, Long> started = new HashMap<>();
    long found;
    long succeeded;
    long failed;
    long aborted;
    long skipped;

    Counter(PrintStream out) {
      this.out = out;
    }

    @Override
    public void executionStarted(TestIdentifier id) {
      started.put(id.getUniqueId(), System.nanoTime());
    }

    /** " (12.3 s)": the wall time since {@code id} started, or "" if it never started. */
    private String took(TestIdentifier id) {
      Long t0 = started.remove(id.getUniqueId());
      return t0 == null ? "" : String.format(Locale.ROOT, " (%.1f s)", (System.nanoTime() - t0) / 1e9);
    }

    @Override
    public void executionSkipped(TestIdentifier id, String reason) {
      if (id.isTest()) {
        found++;
        skipped++;
        out.println("SKIP  " + id.getDisplayName() + ": " + reason);
      }
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
      if (!id.isTest() && result.getStatus() != TestExecutionResult.Status.FAILED) {
        return;
      }
      String name = id.getLegacyReportingName() + " [" + id.getUniqueId() + "]" + took(id);
      switch (result.getStatus()) {
        case SUCCESSFUL:
          found++;
          succeeded++;
          out.println("PASS  " + name);
          break;
        case ABORTED:
          found++;
          aborted++;
          out.println("ABORT " + name + ": " + result.getThrowable().map(Throwable::getMessage).orElse(""));
          break;
        default:
          if (id.isTest()) {
            found++;
          }
          failed++;
          out.println("FAIL  " + name);
          result.getThrowable().ifPresent(t -> printTrace(t, out));
          break;
      }
    }

    private static void printTrace(Throwable t, PrintStream out) {
      out.println("      " + t);
      StackTraceElement[] st = t.getStackTrace();
      for (int i = 0; i < Math.min(st.length, 12); i++) {
        out.println("        at " + st[i]);
      }
      if (t.getCause() != null) {
        out.println("      caused by " + t.getCause());
      }
    }
  }
}
