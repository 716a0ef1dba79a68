package io.lbkit.vrrp.netns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The real keepalived daemon (Debian's /usr/sbin/keepalived) in a test namespace,
 * with its own config, pid files and log under a temp dir, in its own process
 * group so that {@link #kill9} takes the parent and the VRRP child at once.
 */
final class Keepalived implements AutoCloseable {
  final Path dir;
  final Process process;

  Keepalived(String ns, String config) throws IOException {
    dir = Lab.tempDir();
    Path conf = dir.resolve("keepalived.conf");
    Files.writeString(conf, config);
    process = new ProcessBuilder("setsid", "ip", "netns", "exec", ns, "/usr/sbin/keepalived", "-n", "-l", "-D", "-P",
        "-f", conf.toString(), "-p", dir.resolve("k.pid").toString(), "-r", dir.resolve("v.pid").toString(),
        "-c", dir.resolve("c.pid").toString(), "--no-syslog")
        .redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile()).start();
  }

  /** SIGKILL to the whole process group: no priority-0 advert. */
  void kill9() throws IOException, InterruptedException {
    Lab.run("kill", "-KILL", "--", "-" + process.pid());
    process.waitFor(5, TimeUnit.SECONDS);
  }

  /** SIGTERM: keepalived's graceful shutdown (priority 0, VIPs removed); does not wait. */
  void term() throws IOException {
    Lab.run("kill", "-TERM", Long.toString(process.pid()));
  }

  /** Waits for the process to end (SIGKILL after 10 s). */
  void awaitExit() throws IOException, InterruptedException {
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      kill9();
    }
  }

  String log() {
    try {
      return Files.readString(dir.resolve("log"));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() throws Exception {
    if (process.isAlive()) {
      kill9();
    }
    try (var s = Files.walk(dir)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** A vrrp_instance config. */
  static String config(int version, String iface, int vrid, int prio, String advert, String vip, String extra) {
    return "global_defs {\n  router_id lbt\n  script_user root\n  enable_script_security\n  vrrp_version " + version
        + "\n  vrrp_garp_master_delay 0\n}\n"
        + "vrrp_instance VI_1 {\n  state BACKUP\n  interface " + iface + "\n  virtual_router_id " + vrid
        + "\n  priority " + prio + "\n  advert_int " + advert + "\n" + extra
        + "  virtual_ipaddress {\n    " + vip + "\n  }\n}\n";
  }
}
