package io.lbkit.harness.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The runner on the host, against fixtures tagged "runner-fixture" (see {@link RunnerFixtures}). */
class TaggedTestRunnerTest {
  private static final Path CLASSES = Path.of(System.getProperty("basedir", "."), "target/test-classes");

  @Test
  void run_fixtureTag_countsPassFailAbortAndPrintsSummary() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    TaggedTestRunner.Summary s = TaggedTestRunner.run("runner-fixture", List.of(CLASSES),
        new PrintStream(buf, true, StandardCharsets.UTF_8));
    String out = buf.toString(StandardCharsets.UTF_8);

    assertThat(s.found()).isEqualTo(3);
    assertThat(s.succeeded()).isEqualTo(1);
    assertThat(s.failed()).isEqualTo(1);
    assertThat(s.aborted()).isEqualTo(1);
    assertThat(s.exitCode()).isEqualTo(1);
    assertThat(out).contains("FAIL  fails()", "expected failure from the fixture",
        "lbkit-tagged-tests: tag=runner-fixture found=3 succeeded=1 failed=1 aborted=1 skipped=0");
    // each test's line says how long it took (where a VM run's time goes)
    assertThat(out).containsPattern("(?m)^PASS  .*\\] \\(\\d+\\.\\d s\\)$")
        .containsPattern("(?m)^FAIL  fails\\(\\) .*\\] \\(\\d+\\.\\d s\\)$");
  }

  @Test
  void run_unknownTag_findsNothingAndExitsTwo() {
    TaggedTestRunner.Summary s = TaggedTestRunner.run("no-such-tag", List.of(CLASSES),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    assertThat(s.found()).isZero();
    assertThat(s.exitCode()).isEqualTo(2);
  }

  @Test
  void resultParse_summaryInConsole_readsCounts() throws Exception {
    Path log = java.nio.file.Files.createTempFile("kvm", ".log");
    try {
      java.nio.file.Files.writeString(log, "boot noise\nPASS  a()\n"
          + "lbkit-tagged-tests: tag=kernel found=4 succeeded=3 failed=1 aborted=0 skipped=0\nVM_RUN_EXIT=1\n");
      KernelVm.Result r = KernelVm.Result.parse(1, log);
      assertThat(r.found()).isEqualTo(4);
      assertThat(r.failed()).isEqualTo(1);
      assertThat(r.passed()).isFalse();
      assertThat(r.tail()).endsWith("VM_RUN_EXIT=1");
    } finally {
      java.nio.file.Files.delete(log);
    }
  }
}
