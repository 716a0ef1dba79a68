package io.lbkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lbctl check}: output format and exit codes. */
class CheckCommandTest {
  @TempDir
  Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Lbctl.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void check_cleanFile_exits0WithNoOutput() throws Exception {
    Path f = Files.writeString(dir.resolve("ok.conf"), "virtual_server 10.0.0.1 80 {\n lvs_sched rr\n}\n");
    assertThat(run("check", f.toString())).isZero();
    assertThat(out()).isEmpty();
  }

  @Test
  void check_errors_exit1_oneSortedLinePerFinding() throws Exception {
    Path f = Files.writeString(dir.resolve("bad.conf"), "vrrp_instance V {\n interface eth0\n virtual_router_id 1\n"
        + " nopreemp\n}\nvirtual_server 10.0.0.1 80 {\n lb_algo rr\n persistence_timeout 0\n");
    assertThat(run("check", f.toString())).isEqualTo(1);
    assertThat(out().lines()).containsExactly(
        f + ":4: error: unknown keyword 'nopreemp' in vrrp_instance; did you mean 'nopreempt'?",
        f + ":6: error: 'virtual_server 10.0.0.1 80' block opened here is never closed: missing '}' (keepalived: "
            + "\"There are missing '}'s\")",
        f + ":7: warning: lb_algo is deprecated; use lvs_sched (read as lvs_sched)",
        f + ":8: error: persistence_timeout 0 is out of range 1-2678400");
  }

  @Test
  void check_onlyWarnings_exits0() throws Exception {
    Path f = Files.writeString(dir.resolve("w.conf"), "virtual_server 10.0.0.1 80 {\n lvs_sched rr\n lb_kind DR\n"
        + "}\n");
    assertThat(run("check", f.toString())).isZero();
    assertThat(out().lines()).hasSize(1).allMatch(l -> l.contains(": warning: lb_kind is deprecated"));
  }

  @Test
  void check_missingFile_exits2WithoutStackTrace() {
    assertThat(run("check", dir.resolve("nope.conf").toString())).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("no such file").doesNotContain("Exception");
  }

  @Test
  void check_directory_exits2() {
    assertThat(run("check", dir.toString())).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("cannot read").doesNotContain("\tat ");
  }

  @Test
  void check_configId_selectsConditionalLines() throws Exception {
    Path f = Files.writeString(dir.resolve("c.conf"), "@main global_defs {\n@main  bad_keyword\n@main }\n");
    assertThat(run("check", "-i", "other", f.toString())).isZero();
    assertThat(run("check", "-i", "main", f.toString())).isEqualTo(1);
  }

  @Test
  void check_noFile_isAUsageError() {
    assertThat(run("check")).isEqualTo(2);
  }
}
