package io.lbkit.bench.vrrp;

import io.lbkit.api.net.AddressManager;
import io.lbkit.api.net.IfAddress;
import io.lbkit.api.net.Inet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/** Namespaces on a bridge for the VRRP benchmarks (names lbt-*, deleted by close), and process helpers. */
final class BenchNet implements AutoCloseable {
  final String prefix = "lbt-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff));
  final List<String> namespaces = new ArrayList<>();
  private final List<Process> started = new ArrayList<>();
  final String sw = prefix + "-sw";

  BenchNet() throws IOException {
    sh("ip", "netns", "add", sw);
    namespaces.add(sw);
    sh("ip", "-n", sw, "link", "add", "br0", "type", "bridge");
    sh("ip", "-n", sw, "link", "set", "br0", "up");
  }

  String node(String name, String cidr) throws IOException {
    String ns = prefix + "-" + name;
    sh("ip", "netns", "add", ns);
    namespaces.add(ns);
    String port = "p" + name + prefix.substring(4);
    sh("ip", "link", "add", port, "netns", sw, "type", "veth", "peer", "name", "eth0", "netns", ns);
    sh("ip", "-n", sw, "link", "set", port, "master", "br0", "up");
    sh("ip", "-n", ns, "link", "set", "lo", "up");
    sh("ip", "-n", ns, "addr", "add", cidr, "dev", "eth0");
    sh("ip", "-n", ns, "link", "set", "eth0", "up");
    return ns;
  }

  static String sh(String... argv) throws IOException {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("timed out: " + String.join(" ", argv));
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IOException(String.join(" ", argv) + ": " + out.trim());
    }
    return out;
  }

  /** Starts keepalived (VRRP only) in {@code ns} in its own process group. */
  static Process keepalived(String ns, Path dir, String config) throws IOException {
    Files.createDirectories(dir);
    Path conf = dir.resolve("keepalived.conf");
    Files.writeString(conf, config);
    return new ProcessBuilder("setsid", "ip", "netns", "exec", ns, "/usr/sbin/keepalived", "-n", "-l", "-D", "-P",
        "-f", conf.toString(), "-p", dir.resolve("k.pid").toString(), "-r", dir.resolve("v.pid").toString(),
        "-c", dir.resolve("c.pid").toString(), "--no-syslog")
        .redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile()).start();
  }

  /** Starts keepalived in {@code ns} as {@link #keepalived(String, Path, String)}; {@link #close} kills it if alive. */
  synchronized Process startKeepalived(String ns, Path dir, String config) throws IOException {
    Process p = keepalived(ns, dir, config);
    started.add(p);
    return p;
  }

  /** Kills a process started here (its whole group) and waits for it, boundedly. */
  void stop(Process p) throws IOException, InterruptedException {
    if (p.isAlive()) {
      signal(p, "KILL", true);
    }
    await(p);
  }

  /** Starts an lbkit VRRP node ({@link VrrpNode}) in {@code ns} in its own process group. */
  static Process lbkit(String ns, Path dir, int version, int prio, int advertMs, String vip) throws IOException {
    Files.createDirectories(dir);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of("setsid", java, "-XX:+UseSerialGC", "-Xmx64m"));
    if (System.getProperty("lbkit.vrrp.trace") != null) {
      cmd.add("-Dlbkit.vrrp.trace=true");
    }
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), VrrpNode.class.getName(), ns,
        Integer.toString(version), Integer.toString(prio), Integer.toString(advertMs), vip));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile()).start();
  }

  static void signal(Process p, String sig, boolean group) throws IOException {
    sh("kill", "-" + sig, "--", (group ? "-" : "") + p.pid());
  }

  static void await(Process p) throws InterruptedException, IOException {
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      signal(p, "KILL", true);
      p.waitFor(5, TimeUnit.SECONDS);
    }
  }

  /** VIPs through ip(8) in a namespace. */
  static AddressManager ipAddresses(String ns) {
    return new AddressManager() {
      @Override
      public List<IfAddress> addresses(String iface) {
        return List.of();
      }

      @Override
      public Change add(String iface, IfAddress a) throws IOException {
        try {
          sh("ip", "-n", ns, "addr", "add", Inet.format(a.address()) + "/" + a.prefixLength(), "dev", iface);
          return Change.DONE;
        } catch (IOException e) {
          return Change.ALREADY;
        }
      }

      @Override
      public Change remove(String iface, IfAddress a) throws IOException {
        try {
          sh("ip", "-n", ns, "addr", "del", Inet.format(a.address()) + "/" + a.prefixLength(), "dev", iface);
          return Change.DONE;
        } catch (IOException e) {
          return Change.ALREADY;
        }
      }
    };
  }

  /** Kills what it started and deletes its namespaces; idempotent (also a shutdown hook's job). */
  @Override
  public synchronized void close() {
    for (Process p : started) {
      try {
        stop(p);
      } catch (IOException | InterruptedException e) {
        System.err.println("could not stop process " + p.pid() + ": " + e.getMessage());
      }
    }
    started.clear();
    for (int i = namespaces.size() - 1; i >= 0; i--) {
      try {
        sh("ip", "netns", "del", namespaces.get(i));
      } catch (IOException e) {
        System.err.println("could not delete " + namespaces.get(i) + ": " + e.getMessage());
      }
    }
    namespaces.clear();
  }
}
