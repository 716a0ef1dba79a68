package io.lbkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.harness.Tiers;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** lbctl show / apply: argument handling, and the message on a kernel without IPVS (this machine's). */
class IpvsCommandsTest {
  private final InProcessLbctl lbctl = new InProcessLbctl();

  @Test
  void show_kernelWithoutIpvs_exits1WithHowToFixIt() {
    Assumptions.assumeFalse(Tiers.hasIpvs(), "this kernel has IPVS; the kernel tier covers show");
    assertThat(lbctl.run("show", "--dataplane", "ipvs")).isEqualTo(1);
    assertThat(lbctl.err()).isEqualTo("lbctl show: IPVS is not available in this kernel (generic netlink family IPVS "
        + "not found); modprobe ip_vs; or use --dataplane nftables (or auto)\n");
    assertThat(lbctl.out().length()).isZero();
  }

  @Test
  void apply_kernelWithoutIpvs_exits1() {
    Assumptions.assumeFalse(Tiers.hasIpvs(), "this kernel has IPVS");
    assertThat(lbctl.run("apply", "--dataplane=ipvs", "builtin:seed")).isEqualTo(1);
    assertThat(lbctl.err()).contains("IPVS is not available in this kernel");
  }

  @Test
  void applyDryRun_kernelWithoutIpvs_plansAgainstAnEmptyTable_sayingSoInOneLine() {
    Assumptions.assumeFalse(Tiers.hasIpvs(), "this kernel has IPVS; the kernel tier covers apply --dry-run");
    assertThat(lbctl.run("apply", "--dry-run", "--dataplane", "ipvs", "builtin:seed")).isZero();
    assertThat(lbctl.out().lines()).containsExactly("-A -t 192.168.0.200:80 -s rr",
        "-a -t 192.168.0.200:80 -r 192.168.0.61:80 -g -w 1", "-a -t 192.168.0.200:80 -r 192.168.0.62:80 -g -w 1");
    assertThat(lbctl.err().lines()).containsExactly(
        "lbctl apply: IPVS is not available in this kernel (generic netlink family IPVS not found); modprobe ip_vs; "
            + "or use --dataplane nftables (or auto); planning against an empty IPVS table",
        "lbctl apply: 3 change(s) (dry run: nothing applied)");
  }

  @Test
  void applyDryRun_badNamespaceName_exits1() {
    assertThat(lbctl.run("apply", "--dry-run", "--netns=../etc", "builtin:seed")).isEqualTo(1);
    assertThat(lbctl.err()).contains("invalid network namespace name: \"../etc\"");
    assertThat(lbctl.out().length()).isZero();
  }

  @Test
  void show_unknownOptionOrArgument_isUsageError() {
    assertThat(lbctl.run("show", "--frob")).isEqualTo(2);
    assertThat(lbctl.err()).contains("lbctl show: Unknown option: '--frob'").contains("Try 'lbctl show --help'");
    assertThat(lbctl.run("show", "--netns")).isEqualTo(2);
    assertThat(lbctl.err()).contains("Missing required parameter for option '--netns' (NAME)");
    assertThat(lbctl.run("show", "extra")).isEqualTo(2);
    assertThat(lbctl.err()).contains("Unmatched argument at index 1: 'extra'");
  }

  @Test
  void show_badView_namesTheValidViews() {
    assertThat(lbctl.run("show", "--view=fast")).isEqualTo(2);
    assertThat(lbctl.err()).contains("'fast' is not a view; valid: default, stats, rate, thresholds, persistent-conn, "
        + "tun-info");
  }

  @Test
  void show_saveAndView_isAUsageError() {
    assertThat(lbctl.run("show", "--save", "--view", "stats")).isEqualTo(2);
    assertThat(lbctl.err()).contains("give --save or --view, not both");
  }

  @Test
  void apply_missingFile_is2_noFileIsUsage() {
    assertThat(lbctl.run("apply", "/nonexistent/keepalived.conf")).isEqualTo(2);
    assertThat(lbctl.err()).contains("/nonexistent/keepalived.conf: no such file");
    assertThat(lbctl.run("apply")).isEqualTo(2);
  }

  @Test
  void apply_configWithErrors_printsDiagnostics_andAppliesNothing(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path conf = java.nio.file.Files.writeString(dir.resolve("keepalived.conf"),
        "virtual_server 192.168.0.200 80 {\n  lvs_sched rr\n  persistence_timeout 0\n}\n");
    assertThat(lbctl.run("apply", conf.toString())).isEqualTo(1);
    assertThat(lbctl.err()).contains("keepalived.conf:3: error: persistence_timeout 0 is out of range")
        .contains("has errors; nothing applied");
  }

  @Test
  void show_badNamespaceName_isRejectedWithTheName() {
    assertThat(lbctl.run("show", "--netns", "../etc")).isEqualTo(1);
    assertThat(lbctl.err()).contains("invalid network namespace name: \"../etc\"");
  }
}
