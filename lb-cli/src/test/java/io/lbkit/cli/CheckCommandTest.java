package io.lbkit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lbctl check}: output format and exit codes. */
class CheckCommandTest {
  private final InProcessLbctl lbctl = new InProcessLbctl();
  static final Duration HANG_GUARD = Duration.ofSeconds(30);

  @TempDir
  Path dir;


  @Test
  void check_cleanFile_exits0WithNoOutput() throws Exception {
    Path f = Files.writeString(dir.resolve("ok.conf"), "virtual_server 10.0.0.1 80 {\n lvs_sched rr\n lvs_method NAT\n"
        + " real_server 10.0.0.2 80 {\n }\n}\n");
    assertThat(lbctl.run("check", f.toString())).isZero();
    assertThat(lbctl.out()).isEmpty();
    assertThat(lbctl.err()).isEmpty();
  }

  @Test
  void check_errors_exit1_oneSortedLinePerFindingOnStderr() throws Exception {
    Path f = Files.writeString(dir.resolve("bad.conf"), "vrrp_instance V {\n interface eth0\n virtual_router_id 1\n"
        + " nopreemp\n}\nvirtual_server 10.0.0.1 80 {\n lb_algo rr\n persistence_timeout 0\n");
    assertThat(lbctl.run("check", f.toString())).isEqualTo(1);
    assertThat(lbctl.out()).isEmpty();
    assertThat(lbctl.err().lines()).containsExactly(
        f + ":4: error: unknown keyword 'nopreemp' in vrrp_instance; did you mean 'nopreempt'?",
        f + ":6: error: 'virtual_server 10.0.0.1 80' block opened here is never closed: missing '}' (keepalived: "
            + "\"There are missing '}'s\")",
        f + ":6: warning: virtual_server 10.0.0.1 80 has no real_server: keepalived ignores it (\"has no real servers "
            + "- ignoring\"), lbkit still creates it, with no real server",
        f + ":7: warning: lb_algo is deprecated; use lvs_sched (read as lvs_sched)",
        f + ":8: error: persistence_timeout 0 is out of range 1-2678400");
  }

  @Test
  void check_onlyWarnings_exits0() throws Exception {
    Path f = Files.writeString(dir.resolve("w.conf"), "virtual_server 10.0.0.1 80 {\n lvs_sched rr\n lb_kind DR\n"
        + " real_server 10.0.0.2 80 {\n }\n}\n");
    assertThat(lbctl.run("check", f.toString())).isZero();
    assertThat(lbctl.err().lines()).hasSize(1).allMatch(l -> l.contains(": warning: lb_kind is deprecated"));
  }

  @Test
  void check_missingFile_exits2WithoutStackTrace() {
    assertThat(lbctl.run("check", dir.resolve("nope.conf").toString())).isEqualTo(2);
    assertThat(lbctl.err()).contains("no such file").doesNotContain("Exception");
  }

  /** Runs check on a file that would hang or flood a naive reader; the timeout is a hang guard only. */
  private int checkGuarded(Path file) {
    return assertTimeoutPreemptively(HANG_GUARD, () -> lbctl.run("check", file.toString()));
  }

  @Test
  void check_directory_exits2_inOneLineNamingIt() {
    assertThat(checkGuarded(dir)).isEqualTo(2);
    assertThat(lbctl.err()).isEqualTo("lbctl check: cannot read " + dir + ": is a directory, not a regular file\n");
  }

  @Test
  void check_devZero_exits2_inOneLine() {
    assertThat(checkGuarded(Path.of("/dev/zero"))).isEqualTo(2);
    assertThat(lbctl.err()).isEqualTo("lbctl check: cannot read /dev/zero: is a character device, not a regular file\n");
  }

  @Test
  void check_fifo_exits2_inOneLine() throws Exception {
    Path fifo = mkfifo(dir.resolve("pipe.conf"));
    assertThat(checkGuarded(fifo)).isEqualTo(2);
    assertThat(lbctl.err()).isEqualTo("lbctl check: cannot read " + fifo + ": is a FIFO, not a regular file\n");
  }

  @Test
  void check_5MBBinaryFile_exits2_namedBinary_inOneLine() throws Exception {
    byte[] b = new byte[5_000_000];
    new java.util.Random(1).nextBytes(b);
    b[10] = 0;
    Path blob = Files.write(dir.resolve("blob.conf"), b);
    assertThat(checkGuarded(blob)).isEqualTo(2);
    assertThat(lbctl.err()).isEqualTo("lbctl check: cannot read " + blob
        + ": binary file (NUL byte at offset 10), not a configuration file\n");
  }

  @Test
  void check_includeOfAFifo_doesNotHang_warnsNamingIt() throws Exception {
    Path fifo = mkfifo(dir.resolve("pipe.inc"));
    Path f = Files.writeString(dir.resolve("main.conf"), "include pipe.inc\n");
    assertThat(checkGuarded(f)).isZero();
    assertThat(lbctl.err()).isEqualTo(f + ":1: warning: cannot read included file " + fifo + ": is a FIFO, not a regular "
        + "file\n");
  }

  @Test
  void check_manyErrors_printsTheFirst100_thenCountsTheRest() throws Exception {
    Path f = Files.writeString(dir.resolve("many.conf"), "bogus_keyword\n".repeat(250) + "virtual_server 10.0.0.1 80 {\n"
        + " lvs_sched rr\n lb_kind DR\n real_server 10.0.0.2 80 {\n }\n}\n");
    assertThat(lbctl.run("check", f.toString())).isEqualTo(1);
    assertThat(lbctl.err().lines()).hasSize(ConfigFiles.MAX_PRINTED + 1)
        .last().isEqualTo("... and 150 more errors and 1 more warning");
  }

  @Test
  void check_controlCharactersInTheFile_areEscapedInDiagnostics() throws Exception {
    Path f = Files.writeString(dir.resolve("esc.conf"), "bad\u001b[2Jword\n");
    assertThat(lbctl.run("check", f.toString())).isEqualTo(1);
    assertThat(lbctl.err()).doesNotContain("\u001b").contains("bad\\x1b[2Jword");
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"run", "apply"})
  void runAndApply_refuseADeviceOrFifo_likeCheck(String command) throws Exception {
    Path fifo = mkfifo(dir.resolve("pipe.conf"));
    assertThat(assertTimeoutPreemptively(HANG_GUARD, () -> lbctl.run(command, fifo.toString()))).isEqualTo(2);
    assertThat(assertTimeoutPreemptively(HANG_GUARD, () -> lbctl.run(command, "/dev/zero"))).isEqualTo(2);
    assertThat(lbctl.err().lines()).containsExactly(
        "lbctl " + command + ": cannot read " + fifo + ": is a FIFO, not a regular file",
        "lbctl " + command + ": cannot read /dev/zero: is a character device, not a regular file");
  }

  static Path mkfifo(Path p) throws Exception {
    Process mk = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
    assertThat(mk.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(mk.exitValue()).isZero();
    return p;
  }

  @Test
  void check_configId_selectsConditionalLines() throws Exception {
    Path f = Files.writeString(dir.resolve("c.conf"), "@main global_defs {\n@main  bad_keyword\n@main }\n");
    assertThat(lbctl.run("check", "-i", "other", f.toString())).isZero();
    assertThat(lbctl.run("check", "-i", "main", f.toString())).isEqualTo(1);
    assertThat(lbctl.run("check", "--config-id=main", f.toString())).isEqualTo(1);
  }

  @Test
  void check_noFile_isAUsageError() {
    assertThat(lbctl.run("check")).isEqualTo(2);
  }
}
