package io.lbkit.checks.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.check.CheckSpec;
import io.lbkit.api.check.CheckTarget;
import io.lbkit.api.check.CheckTiming;
import io.lbkit.api.check.CustomCheck;
import io.lbkit.api.check.FileCheck;
import io.lbkit.api.check.MiscCheck;
import io.lbkit.api.check.PingCheck;
import io.lbkit.checks.CheckResult;
import io.lbkit.checks.Checker;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MISC_CHECK (real programs, no shell), FILE_CHECK, PING_CHECK and a plug-in checker. */
class ProgramCheckersTest {
  static final Checker SLOW_PLUGIN = new Checker() {
    @Override
    public String type() {
      return "NEVER_ANSWERS";
    }

    @Override
    public CompletionStage<CheckResult> check(CheckSpec spec, InetSocketAddress target, Duration timeout) {
      return new CompletableFuture<>();
    }
  };
  static final Checker PORT_PLUGIN = new Checker() {
    @Override
    public String type() {
      return "PORT_IS";
    }

    @Override
    public CompletionStage<CheckResult> check(CheckSpec spec, InetSocketAddress target, Duration timeout) {
      String want = ((CustomCheck) spec).params().get("port");
      return CompletableFuture.completedFuture(String.valueOf(target.getPort()).equals(want)
          ? CheckResult.up("port ok") : CheckResult.down("port " + target.getPort()));
    }
  };
  static final ProbeHarness H = new ProbeHarness(SLOW_PLUGIN, PORT_PLUGIN);
  /** For checks that expect an answer: generous, so that a loaded machine does not turn it into a timeout. */
  static final CheckTiming T = CheckTiming.DEFAULT.connectTimeout(Duration.ofSeconds(5));
  /** For the check that must time out. */
  static final CheckTiming SHORT = CheckTiming.DEFAULT.connectTimeout(Duration.ofMillis(500));
  @TempDir
  static Path dir;

  @AfterAll
  static void close() {
    H.close();
  }

  static MiscCheck misc(boolean dynamic, Duration timeout, String... cmd) {
    return new MiscCheck(List.of(cmd), timeout, dynamic, null, T, CheckTarget.REAL_SERVER);
  }

  @Test
  void misc_exit0Up_exit1Down() throws Exception {
    assertThat(H.run(misc(false, Duration.ofSeconds(5), "/bin/true"), 80)).isEqualTo(CheckResult.up("exit 0"));
    assertThat(H.run(misc(false, Duration.ofSeconds(5), "/bin/false"), 80)).isEqualTo(CheckResult.down("exit 1"));
  }

  @Test
  void misc_argumentsArePassedWithoutAShell() throws Exception {
    Path marker = dir.resolve("a b;c");
    assertThat(H.run(misc(false, Duration.ofSeconds(5), "/usr/bin/touch", marker.toString()), 80).up()).isTrue();
    assertThat(marker).exists();
  }

  @Test
  void misc_dynamicExitSetsWeightCodeMinus2() throws Exception {
    assertThat(H.run(misc(true, Duration.ofSeconds(5), "/bin/sh", "-c", "exit 12"), 80))
        .isEqualTo(CheckResult.upWithWeight(10, "exit 12: weight 10"));
    assertThat(H.run(misc(false, Duration.ofSeconds(5), "/bin/sh", "-c", "exit 12"), 80).up()).isFalse();
  }

  @Test
  void misc_timeout_killsTheWholeProcessTree() throws Exception {
    Path pid = dir.resolve("child.pid");
    long t0 = System.nanoTime();
    CheckResult r = H.run(misc(false, Duration.ofMillis(300), "/bin/sh", "-c",
        "sleep 30 & echo $! > " + pid + "; wait"), 80);
    assertThat(r).isEqualTo(CheckResult.down("timeout after 300 ms (/bin/sh killed)"));
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    long child = Long.parseLong(Files.readString(pid).trim());
    ProcessHandle.of(child).ifPresent(h -> assertThat(h.onExit()).succeedsWithin(Duration.ofSeconds(10)));
  }

  @Test
  void misc_killedBySignal_isDown() throws Exception {
    assertThat(H.run(misc(true, Duration.ofSeconds(5), "/bin/sh", "-c", "kill -9 $$"), 80))
        .isEqualTo(CheckResult.down("killed by signal 9"));
  }

  @Test
  void misc_userNobody_runsAsNobody() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0, "switching users needs root");
    Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
    Path out = Files.createDirectory(dir.resolve("nobody-out"));
    Files.setPosixFilePermissions(out, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
    MiscCheck c = new MiscCheck(List.of("/bin/sh", "-c", "id -u > " + out.resolve("uid")), Duration.ofSeconds(5),
        false, "nobody", T, CheckTarget.REAL_SERVER);
    assertThat(H.run(c, 80).up()).isTrue();
    assertThat(Files.readString(out.resolve("uid")).trim()).isEqualTo("65534");
  }

  @Test
  void misc_unknownUser_isDownNamingIt() throws Exception {
    MiscCheck c = new MiscCheck(List.of("/bin/true"), Duration.ofSeconds(5), false, "no-such-user-lbkit", T,
        CheckTarget.REAL_SERVER);
    assertThat(H.run(c, 80).reason()).contains("no-such-user-lbkit").contains("does not exist");
  }

  @Test
  void misc_missingProgram_isDownNamingIt() throws Exception {
    assertThat(H.run(misc(false, Duration.ofSeconds(5), "/nonexistent/check"), 80).reason())
        .startsWith("cannot run /nonexistent/check");
  }

  @Test
  void file_weight0_nonZeroIsDown_weightedAddsToConfigured() throws Exception {
    Path f = dir.resolve("state");
    Files.writeString(f, "0\n");
    assertThat(H.run(new FileCheck(f.toString(), 0, T, CheckTarget.REAL_SERVER), 80).up()).isTrue();
    Files.writeString(f, "3\n");
    assertThat(H.run(new FileCheck(f.toString(), 0, T, CheckTarget.REAL_SERVER), 80))
        .isEqualTo(CheckResult.down("file says 3"));
    assertThat(H.run(new FileCheck(f.toString(), 10, T, CheckTarget.REAL_SERVER), 80, 5))
        .isEqualTo(CheckResult.upWithWeight(35, "file says 3: weight 35"));
    Files.writeString(f, "-1\n");
    assertThat(H.run(new FileCheck(f.toString(), 10, T, CheckTarget.REAL_SERVER), 80, 5).up()).isFalse();
    assertThat(H.run(new FileCheck(dir.resolve("missing").toString(), 0, T, CheckTarget.REAL_SERVER), 80).reason())
        .startsWith("cannot read ");
  }

  @Test
  void ping_loopback_isUp() throws Exception {
    CheckResult r = H.run(new PingCheck(T, CheckTarget.REAL_SERVER), 0);
    assertThat(r).isEqualTo(CheckResult.up("echo reply"));
  }

  @Test
  void plugin_byApi_getsTargetAndParams() throws Exception {
    CustomCheck c = new CustomCheck("PORT_IS", Map.of("port", "8080"), T, CheckTarget.REAL_SERVER);
    assertThat(H.run(c, 8080)).isEqualTo(CheckResult.up("port ok"));
    assertThat(H.run(c, 9090)).isEqualTo(CheckResult.down("port 9090"));
  }

  @Test
  void plugin_neverAnswering_timesOut() throws Exception {
    CustomCheck c = new CustomCheck("NEVER_ANSWERS", Map.of(), SHORT, CheckTarget.REAL_SERVER);
    assertThat(H.run(c, 80)).isEqualTo(CheckResult.down("timeout after 500 ms (NEVER_ANSWERS)"));
  }

  @Test
  void unknownPlugin_isRejectedWhenBound() {
    CustomCheck c = new CustomCheck("NOPE", Map.of(), T, CheckTarget.REAL_SERVER);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> H.run(c, 80))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no checker for check type \"NOPE\"");
  }
}
