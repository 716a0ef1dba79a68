package io.lbkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.harness.Tiers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunCommandTest {
  private final InProcessLbctl lbctl = new InProcessLbctl();
  @TempDir Path dir;

  @Test
  void run_noFile_usage2() {
    assertThat(lbctl.run("run")).isEqualTo(2);
    assertThat(lbctl.err()).contains("lbctl run: Missing required parameter: 'FILE'")
        .contains("Try 'lbctl run --help'");
  }

  @Test
  void run_checkThreadsZero_usage2NamesTheOption() {
    assertThat(lbctl.run("run", "--check-threads", "0", dir.resolve("nope.conf").toString())).isEqualTo(2);
    assertThat(lbctl.err()).contains("lbctl run: --check-threads must be within 1-64: 0");
  }

  @Test
  void run_missingFile_saysSoExit2() {
    assertThat(lbctl.run("run", dir.resolve("nope.conf").toString())).isEqualTo(2);
    assertThat(lbctl.err()).contains("nope.conf: no such file");
  }

  @Test
  void run_noVrrpInstance_exit1() throws Exception {
    Path f = Files.writeString(dir.resolve("k.conf"), "global_defs {\n  router_id x\n}\n");
    assertThat(lbctl.run("run", f.toString())).isEqualTo(1);
    assertThat(lbctl.err()).contains("has no vrrp_instance");
  }

  /**
   * netns tier: a real lbctl process becomes master, {@code lbctl status} says so over its
   * control socket, and SIGTERM removes the VIP before it exits.
   */
  @Test
  void run_inNetns_becomesMaster_sigtermStopsGracefully() throws Exception {
    Tiers.requireRoot("creates a network namespace");
    String ns = "lbt-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff)) + "-run";
    Path conf = Files.writeString(dir.resolve("keepalived.conf"), String.join("\n",
        "vrrp_instance VI_1 {", "  state BACKUP", "  interface eth0", "  virtual_router_id 51", "  priority 100",
        "  version 3", "  advert_int 0.1", "  virtual_ipaddress {", "    10.9.1.100/32", "  }", "}", ""));
    Process p = null;
    try {
      ip(null, "netns", "add", ns);
      ip(ns, "link", "add", "eth0", "type", "veth", "peer", "name", "eth1");
      ip(ns, "addr", "add", "10.9.1.1/24", "dev", "eth0");
      ip(ns, "link", "set", "eth0", "up");
      ip(ns, "link", "set", "eth1", "up");
      p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
          System.getProperty("java.class.path"), Lbctl.class.getName(), "run", conf.toString(), "--netns", ns,
          "--control", dir.resolve("ctl.sock").toString())
          .redirectErrorStream(true).redirectOutput(dir.resolve("out").toFile()).start();
      assertThat(awaitVip(ns, true, 60_000)).as("VIP on eth0; output:\n%s", output()).isTrue();
      // the control socket opens once the runtime has started, so under load the VIP (advert 0.1 s) can come first
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (!Files.exists(dir.resolve("ctl.sock")) && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(lbctl.run("status", "--socket", dir.resolve("ctl.sock").toString(), "--json")).as(lbctl.err()).isZero();
      assertThat(lbctl.out()).contains("\"VI_1\":{\"state\":\"MASTER\",\"priority\":100}");
      p.destroy(); // SIGTERM
      assertThat(p.waitFor(15, TimeUnit.SECONDS)).as("exits after SIGTERM").isTrue();
      assertThat(ip(ns, "-o", "addr", "show", "dev", "eth0")).doesNotContain("10.9.1.100");
      assertThat(output()).contains("BACKUP -> MASTER", "MASTER -> STOP");
    } finally {
      if (p != null && p.isAlive()) {
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
      }
      ip(null, "netns", "del", ns);
    }
  }

  private static final String VRRP_CONF = String.join("\n", "vrrp_instance VI_1 {", "  state BACKUP",
      "  interface eth0", "  virtual_router_id 51", "  priority 100", "  version 3", "  advert_int 0.1",
      "  virtual_ipaddress {", "    10.9.1.100/32", "  }", "}", "");

  /** A namespace with eth0 (10.9.1.1/24) up, for one test. */
  private static String netns(String tag) throws Exception {
    String ns = "lbt-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff)) + "-" + tag;
    ip(null, "netns", "add", ns);
    ip(ns, "link", "add", "eth0", "type", "veth", "peer", "name", "eth1");
    ip(ns, "addr", "add", "10.9.1.1/24", "dev", "eth0");
    ip(ns, "link", "set", "eth0", "up");
    ip(ns, "link", "set", "eth1", "up");
    return ns;
  }

  /** {@code lbctl run CONF --netns NS} as its own process (under nohup if asked), output to dir/out. */
  private Process start(Path conf, String ns, boolean nohup) throws Exception {
    List<String> argv = new ArrayList<>();
    if (nohup) {
      argv.add("nohup");
    }
    argv.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), Lbctl.class.getName(), "run", conf.toString(), "--netns", ns,
        "--control", dir.resolve("ctl.sock").toString()));
    return new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(dir.resolve("out").toFile()).start();
  }

  private static void hangup(Process p) throws Exception {
    Process k = new ProcessBuilder("kill", "-HUP", Long.toString(p.pid())).start();
    assertThat(k.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(k.exitValue()).isZero();
  }

  private boolean awaitOutput(String text, long millis) throws Exception {
    long end = System.nanoTime() + millis * 1_000_000;
    while (System.nanoTime() < end) {
      if (output().contains(text)) {
        return true;
      }
      Thread.sleep(50);
    }
    return false;
  }

  private static void stop(Process p, String ns) throws Exception {
    if (p != null && p.isAlive()) {
      p.destroyForcibly();
      p.waitFor(5, TimeUnit.SECONDS);
    }
    ip(null, "netns", "del", ns);
  }

  /**
   * netns tier (issue 16 point 2): a SIGHUP whose file now includes /dev/zero and a FIFO
   * neither hangs the reload nor grows memory: each is named and skipped, as keepalived
   * skips them, the rest applies, VRRP keeps its VIP and status still answers.
   */
  @Test
  void run_sighupWithIncludeOfDevZeroAndAFifo_namesThemAndKeepsRunning() throws Exception {
    Tiers.requireRoot("creates a network namespace");
    Path conf = Files.writeString(dir.resolve("keepalived.conf"), VRRP_CONF);
    Path fifo = dir.resolve("fifo.conf");
    StatusFileTest.mkfifo(fifo);
    String ns = netns("inc");
    Process p = null;
    try {
      p = start(conf, ns, false);
      assertThat(awaitOutput("lbctl run: 1 VRRP instance(s)", 60_000)).as(output()).isTrue();
      assertThat(awaitVip(ns, true, 60_000)).as("VIP on eth0; output:\n%s", output()).isTrue();
      Files.writeString(conf, VRRP_CONF + "include /dev/zero\ninclude " + fifo + "\n");
      hangup(p);
      assertThat(awaitOutput("reload #1 applied", 60_000)).as(output()).isTrue();
      assertThat(output()).contains("SIGHUP: reloading", "cannot read included file /dev/zero: is a character device, "
          + "not a regular file", "cannot read included file " + fifo + ": is a FIFO, not a regular file");
      assertThat(p.isAlive()).isTrue();
      assertThat(lbctl.run("status", "--socket", dir.resolve("ctl.sock").toString(), "--json", "--timeout", "10"))
          .as(lbctl.err()).isZero();
      assertThat(lbctl.out()).contains("\"VI_1\":{\"state\":\"MASTER\"");
      assertThat(ip(ns, "-o", "addr", "show", "dev", "eth0")).contains("10.9.1.100/32");
      String vmRss = Files.readAllLines(Path.of("/proc/" + p.pid() + "/status")).stream()
          .filter(l -> l.startsWith("VmRSS:")).findFirst().orElseThrow();
      assertThat(Long.parseLong(vmRss.replaceAll("[^0-9]", ""))).as(vmRss).isLessThan(1024 * 1024); // kB: < 1 GiB
    } finally {
      stop(p, ns);
    }
  }

  /**
   * netns tier (issue 16 point 5): under nohup SIGHUP stays ignored (the JVM cannot take
   * an ignored SIGHUP back), so the start-up line must not promise a reload; a SIGHUP
   * then neither reloads nor stops it.
   */
  @Test
  void run_underNohup_startLineSaysSighupIsIgnored_andSighupDoesNotReload() throws Exception {
    Tiers.requireRoot("creates a network namespace");
    Tiers.requireProgram("nohup");
    Path conf = Files.writeString(dir.resolve("keepalived.conf"), VRRP_CONF);
    String ns = netns("hup");
    Process p = null;
    try {
      p = start(conf, ns, true);
      assertThat(awaitOutput("lbctl run: 1 VRRP instance(s)", 60_000)).as(output()).isTrue();
      assertThat(awaitVip(ns, true, 60_000)).as("VIP on eth0; output:\n%s", output()).isTrue();
      assertThat(output()).doesNotContain("SIGHUP reloads").contains("SIGHUP is ignored");
      hangup(p);
      lbctl.run("status", "--socket", dir.resolve("ctl.sock").toString(), "--json", "--timeout", "10"); // a round trip
      assertThat(p.isAlive()).isTrue();
      assertThat(output()).doesNotContain("SIGHUP: reloading");
    } finally {
      stop(p, ns);
    }
  }

  /** netns tier: without nohup, SIGHUP reloads (the start-up line says so). */
  @Test
  void run_sighup_reloads_andStartLineSaysSo() throws Exception {
    Tiers.requireRoot("creates a network namespace");
    Path conf = Files.writeString(dir.resolve("keepalived.conf"), VRRP_CONF);
    String ns = netns("rl");
    Process p = null;
    try {
      p = start(conf, ns, false);
      assertThat(awaitOutput("lbctl run: 1 VRRP instance(s)", 60_000)).as(output()).isTrue();
      assertThat(awaitVip(ns, true, 60_000)).as("VIP on eth0; output:\n%s", output()).isTrue();
      assertThat(output()).contains("SIGHUP reloads");
      Files.writeString(conf, VRRP_CONF.replace("10.9.1.100/32", "10.9.1.100/32\n    10.9.1.101/32"));
      hangup(p);
      assertThat(awaitOutput("reload #1 applied", 60_000)).as(output()).isTrue();
      assertThat(output()).contains("SIGHUP: reloading");
      assertThat(awaitVip(ns, "10.9.1.101/32", 10_000)).as(output()).isTrue();
    } finally {
      stop(p, ns);
    }
  }

  private String output() throws Exception {
    Path o = dir.resolve("out");
    return Files.exists(o) ? Files.readString(o) : "";
  }

  private static boolean awaitVip(String ns, String vip, long millis) throws Exception {
    long end = System.nanoTime() + millis * 1_000_000;
    while (System.nanoTime() < end) {
      if (ip(ns, "-o", "addr", "show", "dev", "eth0").contains(vip)) {
        return true;
      }
      Thread.sleep(50);
    }
    return false;
  }

  private static boolean awaitVip(String ns, boolean want, long millis) throws Exception {
    long end = System.nanoTime() + millis * 1_000_000;
    while (System.nanoTime() < end) {
      if (ip(ns, "-o", "addr", "show", "dev", "eth0").contains("10.9.1.100/32") == want) {
        return true;
      }
      Thread.sleep(50);
    }
    return false;
  }

  /** Runs {@code ip [-n NS] ARGS} with a 10 s deadline; its output, or an IOException with it. */
  static String ip(String ns, String... args) throws IOException {
    List<String> argv = new ArrayList<>(List.of("ip"));
    if (ns != null) {
      argv.addAll(List.of("-n", ns));
    }
    argv.addAll(List.of(args));
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", argv) + ": timed out");
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException(String.join(" ", argv) + ": interrupted", e);
    }
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IOException(String.join(" ", argv) + ": " + text.trim());
    }
    return text;
  }
}
