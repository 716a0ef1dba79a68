package io.lbkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.Forwarding;
import io.lbkit.api.Protocol;
import io.lbkit.api.Scheduler;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.ipvs.IpvsDest;
import io.lbkit.api.ipvs.IpvsService;
import io.lbkit.api.net.Inet;
import io.lbkit.testing.FakeIpvs;
import io.lbkit.harness.Tiers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** lbctl show / apply: argument handling, and the message on a kernel without IPVS (this machine's). */
class IpvsCommandsTest {
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  int run(String... args) {
    return Lbctl.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void show_kernelWithoutIpvs_exits1WithHowToFixIt() {
    Assumptions.assumeFalse(Tiers.hasIpvs(), "this kernel has IPVS; the kernel tier covers show");
    assertThat(run("show")).isEqualTo(1);
    assertThat(err()).isEqualTo("lbctl show: IPVS is not available in this kernel (generic netlink family IPVS "
        + "not found); modprobe ip_vs\n");
    assertThat(out.size()).isZero();
  }

  @Test
  void apply_kernelWithoutIpvs_exits1() {
    Assumptions.assumeFalse(Tiers.hasIpvs(), "this kernel has IPVS");
    assertThat(run("apply", "builtin:seed", "--dry-run")).isEqualTo(1);
    assertThat(err()).contains("IPVS is not available in this kernel");
  }

  @Test
  void show_unknownOptionOrArgument_isUsageError() {
    assertThat(run("show", "--frob")).isEqualTo(2);
    assertThat(err()).contains("unknown option --frob").contains("usage: lbctl show [--save] [--netns NAME]");
    assertThat(run("show", "--netns")).isEqualTo(2);
  }

  @Test
  void apply_missingFile_is2_noFileIsUsage() {
    assertThat(run("apply", "/nonexistent/keepalived.conf")).isEqualTo(2);
    assertThat(err()).contains("/nonexistent/keepalived.conf: no such file");
    assertThat(run("apply")).isEqualTo(2);
  }

  @Test
  void apply_configWithErrors_printsDiagnostics_andAppliesNothing(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path conf = java.nio.file.Files.writeString(dir.resolve("keepalived.conf"),
        "virtual_server 192.168.0.200 80 {\n  lvs_sched rr\n  persistence_timeout 0\n}\n");
    assertThat(run("apply", conf.toString())).isEqualTo(1);
    assertThat(err()).contains("keepalived.conf:3: error: persistence_timeout 0 is out of range")
        .contains("has errors; nothing applied");
  }

  @Test
  void show_badNamespaceName_isRejectedWithTheName() {
    assertThat(run("show", "--netns", "../etc")).isEqualTo(1);
    assertThat(err()).contains("invalid network namespace name: \"../etc\"");
  }

  @Test
  void dryRun_computesTheChangesFromTheKernelsTable_appliesNone() throws Exception {
    FakeIpvs k = new FakeIpvs();
    ServiceKey web = ServiceKey.of(Protocol.TCP, Inet.parse("192.168.0.200"), 80);
    k.addService(IpvsService.of(web, Scheduler.RR));
    k.addDest(web, IpvsDest.of(Inet.parse("192.168.0.61"), 80, Forwarding.DR, 1));
    k.addDest(web, IpvsDest.of(Inet.parse("192.168.0.62"), 80, Forwarding.DR, 1));
    var before = k.services();
    k.clearLog();
    var r = io.lbkit.api.Director.create(new DryRunIpvs(k)).setServices(List.of(io.lbkit.api.VirtualService
        .tcp("192.168.0.200", 80).rr().dr().add(io.lbkit.api.RealServer.of("192.168.0.61", 80).weight(1))));
    assertThat(r.applied()).singleElement().hasToString("-d -t 192.168.0.200:80 -r 192.168.0.62:80");
    assertThat(k.services()).isEqualTo(before);
    assertThat(k.log()).isEmpty();
  }
}
