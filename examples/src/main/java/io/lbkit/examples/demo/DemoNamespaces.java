package io.lbkit.examples.demo;

import io.lbkit.harness.netns.Exec;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's two director namespaces ({@code lbt-XXXXXX-d1}, {@code -d2}) joined by a
 * veth pair, {@code eth0} in each, 192.168.0.1/24 and .2/24: the seed's directors on
 * one segment. Made with {@code ip} commands that each have a deadline; the demo owns
 * their deletion (also from its shutdown hook), so that routers are stopped before
 * their namespaces go. Nothing touches the host's own interfaces.
 */
final class DemoNamespaces implements AutoCloseable {
  static final Duration DEADLINE = Duration.ofSeconds(10);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final List<String> names;
  private final List<String> created = new ArrayList<>();

  private DemoNamespaces(String base) {
    this.names = List.of(base + "-d1", base + "-d2");
  }

  /**
   * Creates both namespaces and the link; on any failure deletes what it made.
   *
   * @throws IllegalStateException naming the {@code ip} command that failed (not root?)
   */
  static DemoNamespaces create() {
    DemoNamespaces n = new DemoNamespaces("lbt-" + String.format("%06x", RANDOM.nextInt(1 << 24)));
    try {
      for (String ns : n.names) {
        ip("netns", "add", ns);
        n.created.add(ns);
        ip("-n", ns, "link", "set", "lo", "up");
      }
      ip("-n", n.names.get(0), "link", "add", DemoDirectors.IFACE, "type", "veth", "peer", "name",
          DemoDirectors.IFACE, "netns", n.names.get(1));
      for (int i = 0; i < 2; i++) {
        ip("-n", n.names.get(i), "addr", "add", n.address(i) + "/24", "dev", DemoDirectors.IFACE);
        ip("-n", n.names.get(i), "link", "set", DemoDirectors.IFACE, "up");
      }
      return n;
    } catch (RuntimeException e) {
      n.close(System.err);
      throw e;
    }
  }

  /** Namespace {@code i}'s name (0 or 1). */
  String name(int i) {
    return names.get(i);
  }

  /** Both names. */
  List<String> names() {
    return names;
  }

  /** Director {@code i}'s address on eth0. */
  String address(int i) {
    return "192.168.0." + (i + 1);
  }

  /** {@code ip -o addr show dev eth0} in namespace {@code i}: one line per address. */
  List<String> addressLines(int i) {
    return ip("-n", names.get(i), "-o", "addr", "show", "dev", DemoDirectors.IFACE).lines().toList();
  }

  private static String ip(String... args) {
    List<String> argv = new ArrayList<>();
    argv.add("ip");
    argv.addAll(List.of(args));
    return Exec.run(DEADLINE, argv).orThrow().stdout();
  }

  /** Deletes both namespaces (the veth pair goes with them); idempotent. */
  @Override
  public void close() {
    close(System.err);
  }

  /** Deletes both namespaces, reporting a failure on {@code err}; idempotent. */
  synchronized void close(PrintStream err) {
    for (String ns : created) {
      Exec.Result r = Exec.run(DEADLINE, "ip", "netns", "del", ns);
      if (!r.ok()) {
        err.println("lbctl demo: " + r.describe());
      }
    }
    created.clear();
  }
}
