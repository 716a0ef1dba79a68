package io.lbkit.fleet;

import io.lbkit.harness.netns.NetNs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One FRR of a test's own in a namespace the test created: bgpd (and zebra, on the router,
 * to install routes into the namespace's kernel table) with their own config file, vty
 * sockets, zserv socket and pid files in a directory of the test. Stopped by the test
 * through the processes it started (never by name).
 */
final class Frr implements AutoCloseable {
  final NetNs ns;
  final Path dir;
  private final List<Process> processes = new ArrayList<>();

  private Frr(NetNs ns, Path dir) {
    this.ns = ns;
    this.dir = dir;
  }

  /**
   * Starts FRR in {@code ns} with {@code config}. With zebra, zebra runs as user frr (it refuses root outside the
   * frrvty group), so the directory is given to frr; bgpd runs as root with -S (no privilege drop).
   */
  static Frr start(NetNs ns, Path dir, String config, boolean zebra) {
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("frr.conf"), config);
      Frr f = new Frr(ns, dir);
      if (zebra) {
        UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
        Files.setOwner(dir, users.lookupPrincipalByName("frr"));
        f.processes.add(ns.start(dir.resolve("zebra.out"), "/usr/lib/frr/zebra", "-u", "frr", "-g", "frr",
            "-z", dir.resolve("zserv.api").toString(), "--vty_socket", dir.toString(),
            "-i", dir.resolve("zebra.pid").toString(), "-f", dir.resolve("frr.conf").toString(),
            "--log", "file:" + dir.resolve("zebra.log")));
        awaitFile(dir.resolve("zserv.api"));
      }
      List<String> bgpd = new ArrayList<>(List.of("/usr/lib/frr/bgpd", "-S", "--vty_socket", dir.toString(),
          "-i", dir.resolve("bgpd.pid").toString(), "-f", dir.resolve("frr.conf").toString(),
          "--log", "file:" + dir.resolve("bgpd.log")));
      bgpd.addAll(zebra ? List.of("-z", dir.resolve("zserv.api").toString()) : List.of("-Z"));
      f.processes.add(ns.start(dir.resolve("bgpd.out"), bgpd.toArray(String[]::new)));
      awaitFile(dir.resolve("bgpd.vty"));
      return f;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void awaitFile(Path p) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!Files.exists(p)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("FRR did not create " + p + " within 10 s");
      }
      Node.sleep(50);
    }
  }

  /** vtysh for this FRR: inside the namespace, on its own vty sockets. */
  List<String> vtysh() {
    return List.of("ip", "netns", "exec", ns.name(), "vtysh", "--vty_socket", dir.toString());
  }

  /** SIGKILL to every process of this FRR (a director's death: no BGP notification is sent). */
  void kill() {
    for (Process p : processes) {
      p.destroyForcibly();
    }
  }

  /** Stops the processes this object started (SIGTERM, then SIGKILL after 5 s). */
  @Override
  public void close() {
    for (Process p : processes) {
      p.destroy();
      try {
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    processes.clear();
  }
}
