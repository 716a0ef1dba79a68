package io.lbkit.cli.chaos;

import io.lbkit.cli.InProcessLbctl;
import io.lbkit.cli.Lbctl;
import io.lbkit.harness.netns.Exec;
import io.lbkit.harness.netns.NetNs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One VRRP router of the chaos run in its own namespace: {@code lbctl run} (as its own JVM,
 * the test's classpath) or Debian's keepalived (in its own process group), started, killed
 * with SIGKILL, frozen with SIGSTOP, restarted with the same config.
 */
final class Router {
  private static final Pattern STATE = Pattern.compile("\"VI_1\":\\{\"state\":\"(\\w+)\",\"priority\":(\\d+)");

  enum Kind { LBKIT, KEEPALIVED }

  /** A run argument of this class, not lbctl's: start lbctl run inside the namespace (ip netns exec). */
  static final String INSIDE = "(inside)";

  /** What one status look said ({@code json}: the answer, "" without one). */
  record Look(boolean answered, long millis, String state, int priority, boolean vip, String error, String json) {}

  final int index;
  final Kind kind;
  final NetNs ns;
  final int priority;
  final Path dir;
  final Path conf;
  final String vip;
  private final List<String> runArgs;
  private Process process;
  private long startedNanos;
  private boolean frozen;
  private int starts;

  Router(int index, Kind kind, NetNs ns, int priority, Path dir, String vip, double advert) throws IOException {
    this(index, kind, ns, priority, dir, vip, advert, "", List.of());
  }

  /** With {@code extraConf} appended to the config (virtual servers) and {@code runArgs} given to lbctl run. */
  Router(int index, Kind kind, NetNs ns, int priority, Path dir, String vip, double advert, String extraConf,
      List<String> runArgs) throws IOException {
    this.runArgs = List.copyOf(runArgs);
    this.index = index;
    this.kind = kind;
    this.ns = ns;
    this.priority = priority;
    this.dir = Files.createDirectories(dir);
    this.vip = vip;
    this.conf = dir.resolve("keepalived.conf");
    Files.writeString(conf, "global_defs {\n  router_id chaos" + index + "\n  vrrp_version 3\n}\n"
        + "vrrp_instance VI_1 {\n  state BACKUP\n  interface eth0\n  virtual_router_id 51\n  priority " + priority
        + "\n  advert_int " + advert + "\n  virtual_ipaddress {\n    " + vip + "/32\n  }\n}\n" + extraConf);
  }

  String name() {
    return "r" + index + "(" + (kind == Kind.LBKIT ? "lbkit" : "keepalived") + ",prio " + priority + ")";
  }

  void start() throws IOException {
    Path log = dir.resolve("log");
    ProcessBuilder pb;
    if (kind == Kind.LBKIT) {
      // INSIDE: the whole JVM in the namespace (ip netns exec), so that health checks leave from it too
      // (with --netns only VRRP, addresses and the dataplane are the namespace's)
      boolean inside = runArgs.contains(INSIDE);
      List<String> argv = new java.util.ArrayList<>(inside ? List.of("ip", "netns", "exec", ns.name()) : List.of());
      argv.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx96m",
          "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), Lbctl.class.getName(), "run",
          conf.toString(), "--control", socket().toString()));
      if (!inside) {
        argv.addAll(List.of("--netns", ns.name()));
      }
      runArgs.stream().filter(a -> !a.equals(INSIDE)).forEach(argv::add);
      pb = new ProcessBuilder(argv);
    } else {
      pb = new ProcessBuilder("setsid", "ip", "netns", "exec", ns.name(), "/usr/sbin/keepalived", "-n", "-l", "-D",
          "-P", "-f", conf.toString(), "-p", dir.resolve("k.pid").toString(), "-r", dir.resolve("v.pid").toString(),
          "-c", dir.resolve("c.pid").toString(), "--no-syslog");
    }
    process = pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    startedNanos = System.nanoTime();
    frozen = false;
    starts++;
  }

  Path socket() {
    return dir.resolve("ctl.sock");
  }

  /** The process id of lbctl run (with {@link #INSIDE}, ip netns exec has exec'd into it), or -1. */
  long pid() {
    return process == null ? -1 : process.pid();
  }

  boolean alive() {
    return process != null && process.isAlive();
  }

  boolean frozen() {
    return frozen;
  }

  int starts() {
    return starts;
  }

  double upSeconds() {
    return (System.nanoTime() - startedNanos) / 1e9;
  }

  /** SIGKILL (the whole process group for keepalived): no goodbye advert, the VIP stays behind. */
  void kill9() throws InterruptedException {
    if (process == null) {
      return;
    }
    if (kind == Kind.KEEPALIVED) {
      Exec.run(Duration.ofSeconds(5), "kill", "-KILL", "--", "-" + process.pid());
    }
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
    frozen = false;
  }

  void freeze(boolean stop) {
    String sig = stop ? "-STOP" : "-CONT";
    if (kind == Kind.KEEPALIVED) {
      Exec.run(Duration.ofSeconds(5), "kill", sig, "--", "-" + process.pid());
    } else {
      Exec.run(Duration.ofSeconds(5), "kill", sig, Long.toString(process.pid()));
    }
    frozen = stop;
  }

  /** SIGTERM and wait (SIGKILL after 15 s). */
  void stop() throws InterruptedException {
    if (alive()) {
      if (frozen) {
        freeze(false);
      }
      Exec.run(Duration.ofSeconds(5), "kill", "-TERM", Long.toString(process.pid()));
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        kill9();
      }
    }
  }

  boolean hasVip() {
    Exec.Result r = Exec.run(Duration.ofSeconds(5), "ip", "-n", ns.name(), "-o", "addr", "show", "dev", "eth0");
    return r.stdout().contains(" " + vip + "/32 ");
  }

  /**
   * lbkit: {@code lbctl status --json} over the control socket (answer within 1 s or not at all)
   * and the VIP; keepalived: its VIP (keepalived adds it as MASTER), the only state it shows.
   */
  Look look() {
    return look(hasVip());
  }

  /** The same with the VIP's presence given (the director run does not look at its VIP: one process less). */
  Look look(boolean vipNow) {
    if (kind == Kind.KEEPALIVED) {
      return new Look(true, 0, alive() ? (vipNow ? "MASTER" : "BACKUP") : "DEAD", priority, vipNow, "", "");
    }
    InProcessLbctl lbctl = new InProcessLbctl();
    long t0 = System.nanoTime();
    int rc = lbctl.run("status", "--socket", socket().toString(), "--json", "--timeout", "1");
    long ms = (System.nanoTime() - t0) / 1_000_000;
    Matcher m = STATE.matcher(lbctl.out());
    if (rc != 0 || !m.find()) {
      return new Look(false, ms, "NO-ANSWER", -1, vipNow, "exit " + rc + ": " + lbctl.err().strip()
          + " " + lbctl.out().strip(), "");
    }
    return new Look(true, ms, m.group(1), Integer.parseInt(m.group(2)), vipNow, "", lbctl.out());
  }

  /** The status JSON (lbkit), or "" without an answer. */
  String statusJson() {
    InProcessLbctl lbctl = new InProcessLbctl();
    lbctl.run("status", "--socket", socket().toString(), "--json", "--timeout", "2");
    return lbctl.out();
  }

  String log() {
    try {
      return Files.readString(dir.resolve("log"));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  String logTail() {
    try {
      List<String> l = Files.readAllLines(dir.resolve("log"));
      return String.join("\n", l.subList(Math.max(0, l.size() - 15), l.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }
}
