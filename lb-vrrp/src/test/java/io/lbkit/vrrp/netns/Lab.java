package io.lbkit.vrrp.netns;

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

/**
 * A throw-away lab made by the test (until lb-testing's NetNs lands): a switch
 * namespace with a bridge, and router namespaces each with an {@code eth0} on it.
 * Every name starts with {@code lbt-} and a random suffix; {@link #close} deletes them.
 */
final class Lab implements AutoCloseable {
  final String prefix = "lbt-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff));
  final String sw = prefix + "-sw";
  final List<String> namespaces = new ArrayList<>();

  Lab() throws IOException {
    sh("ip", "netns", "add", sw);
    namespaces.add(sw);
    sh("ip", "-n", sw, "link", "add", "br0", "type", "bridge");
    sh("ip", "-n", sw, "link", "set", "br0", "up");
  }

  /** A router namespace whose eth0 has {@code cidr} and is on the bridge; returns the namespace name. */
  String router(String name, String cidr) throws IOException {
    String ns = prefix + "-" + name;
    String port = "p" + name + prefix.substring(4);
    sh("ip", "netns", "add", ns);
    namespaces.add(ns);
    sh("ip", "link", "add", port, "netns", sw, "type", "veth", "peer", "name", "eth0", "netns", ns);
    sh("ip", "-n", sw, "link", "set", port, "master", "br0", "up");
    sh("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.all.accept_dad=0",
        "net.ipv6.conf.default.accept_dad=0", "net.ipv6.conf.eth0.accept_dad=0");
    sh("ip", "-n", ns, "link", "set", "lo", "up");
    sh("ip", "-n", ns, "addr", "add", cidr, "dev", "eth0");
    sh("ip", "-n", ns, "link", "set", "eth0", "up");
    return ns;
  }

  /** Takes a router off the switch (its link stays up: a cut cable beyond the switch port). */
  void cut(String name) throws IOException {
    sh("ip", "-n", sw, "link", "set", "p" + name + prefix.substring(4), "nomaster");
  }

  /** Puts it back. */
  void heal(String name) throws IOException {
    sh("ip", "-n", sw, "link", "set", "p" + name + prefix.substring(4), "master", "br0");
  }

  /** True if {@code ns}'s eth0 holds {@code address}. */
  boolean has(String ns, String address) throws IOException {
    return sh("ip", "-n", ns, "-o", "addr", "show", "dev", "eth0").contains(" " + address + "/");
  }

  /** Polls {@link #has} until it equals {@code want} or the deadline passes; returns the nanoTime it did, or -1. */
  long await(String ns, String address, boolean want, long timeoutMillis) throws IOException, InterruptedException {
    long end = System.nanoTime() + timeoutMillis * 1_000_000;
    while (System.nanoTime() < end) {
      if (has(ns, address) == want) {
        return System.nanoTime();
      }
      Thread.sleep(5);
    }
    return -1;
  }

  /** An address manager that runs ip(8) in {@code ns} (the rtnetlink one is another branch's). */
  AddressManager addresses(String ns) {
    return new AddressManager() {
      @Override
      public List<IfAddress> addresses(String iface) throws IOException {
        List<IfAddress> l = new ArrayList<>();
        for (String line : sh("ip", "-n", ns, "-o", "addr", "show", "dev", iface).split("\n")) {
          String[] f = line.trim().split("\\s+");
          for (int i = 0; i + 1 < f.length; i++) {
            if (f[i].equals("inet") || f[i].equals("inet6")) {
              l.add(IfAddress.parse(f[i + 1]));
            }
          }
        }
        return l;
      }

      @Override
      public Change add(String iface, IfAddress a) throws IOException {
        ProcResult r = run("ip", "-n", ns, "addr", "add", Inet.format(a.address()) + "/" + a.prefixLength(), "dev",
            iface);
        return r.rc == 0 ? Change.DONE : Change.ALREADY;
      }

      @Override
      public Change remove(String iface, IfAddress a) throws IOException {
        ProcResult r = run("ip", "-n", ns, "addr", "del", Inet.format(a.address()) + "/" + a.prefixLength(), "dev",
            iface);
        return r.rc == 0 ? Change.DONE : Change.ALREADY;
      }
    };
  }

  record ProcResult(int rc, String out) {}

  static ProcResult run(String... argv) throws IOException {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("timed out after 10 s: " + String.join(" ", argv));
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: " + String.join(" ", argv), e);
    }
    return new ProcResult(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  static String sh(String... argv) throws IOException {
    ProcResult r = run(argv);
    if (r.rc != 0) {
      throw new IOException(String.join(" ", argv) + " failed (" + r.rc + "): " + r.out.trim());
    }
    return r.out;
  }

  /** A temp directory for config and pid files. */
  static Path tempDir() throws IOException {
    return Files.createTempDirectory("lbt-vrrp");
  }

  @Override
  public void close() {
    for (int i = namespaces.size() - 1; i >= 0; i--) {
      try {
        run("ip", "netns", "del", namespaces.get(i));
      } catch (IOException e) {
        System.err.println("could not delete namespace " + namespaces.get(i) + ": " + e.getMessage());
      }
    }
  }
}
