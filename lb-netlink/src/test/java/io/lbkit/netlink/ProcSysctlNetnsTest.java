package io.lbkit.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lbkit.harness.Tiers;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** netns tier: sysctls written inside a namespace the test made, and nowhere else. */
class ProcSysctlNetnsTest {
  String ns;

  static String run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + String.join(" ", cmd));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (p.exitValue() != 0) {
      throw new AssertionError(String.join(" ", cmd) + " failed: " + out);
    }
    return out;
  }

  @BeforeEach
  void createNamespace() throws Exception {
    Tiers.requireRoot("creates a network namespace");
    Tiers.requireProgram("ip");
    ns = "lbt-sysctl-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
    run("ip", "netns", "add", ns);
  }

  @AfterEach
  void deleteNamespace() throws Exception {
    if (ns != null) {
      run("ip", "netns", "del", ns);
    }
  }

  @Test
  void writeInNamespace_isSeenThere_andNotOnTheHost() throws Exception {
    String hostBefore = ProcSysctl.host().read("net.ipv4.conf.all.arp_ignore");
    ProcSysctl s = ProcSysctl.inNetns(ns);
    String want = hostBefore.equals("1") ? "2" : "1";
    s.write("net.ipv4.conf.all.arp_ignore", want);
    assertThat(s.read("net.ipv4.conf.all.arp_ignore")).isEqualTo(want);
    assertThat(run("ip", "netns", "exec", ns, "cat", "/proc/sys/net/ipv4/conf/all/arp_ignore")).isEqualTo(want);
    assertThat(ProcSysctl.host().read("net.ipv4.conf.all.arp_ignore")).isEqualTo(hostBefore);
  }

  @Test
  void unknownParameter_isNoSuchFile_andBadNamesAreRejected() {
    assertThatThrownBy(() -> ProcSysctl.inNetns(ns).read("net.ipv4.conf.eth9.arp_ignore"))
        .isInstanceOf(NoSuchFileException.class);
    assertThatThrownBy(() -> ProcSysctl.host().read("../../etc/passwd")).hasMessageContaining("invalid sysctl name");
    assertThatThrownBy(() -> ProcSysctl.inNetns("a/b")).hasMessageContaining("invalid network namespace name");
  }
}
