package io.lbkit.cli.fleet;

import io.lbkit.harness.netns.NetNs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One FRR of the test's own in a namespace the test created: zebra (as user frr), bfdd (as frr) and bgpd (root,
 * {@code -S}), each with its own config file, and the vty, zserv, bfdd control and pid files in a directory of the
 * test (mode 755, owned by frr). BFD profile {@code fast}: {@code bfdMs} transmit and receive x 3. Stopped through
 * the processes it started, never by name.
 */
final class FleetFrr implements AutoCloseable {
  final NetNs ns;
  final Path dir;
  private final List<Process> processes = new ArrayList<>();

  private FleetFrr(NetNs ns, Path dir) {
    this.ns = ns;
    this.dir = dir;
  }

  static FleetFrr start(NetNs ns, Path dir, String bgpConfig, int bfdMs) {
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("zebra.conf"), "frr defaults datacenter\n");
      Files.writeString(dir.resolve("bgpd.conf"), "frr defaults datacenter\n" + bgpConfig);
      Files.writeString(dir.resolve("bfdd.conf"), "frr defaults datacenter\nbfd\n profile fast\n  transmit-interval "
          + bfdMs + "\n  receive-interval " + bfdMs + "\n  detect-multiplier 3\n exit\nexit\n");
      Files.setOwner(dir, dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("frr"));
      FleetFrr f = new FleetFrr(ns, dir);
      String zserv = dir.resolve("zserv.api").toString();
      f.processes.add(ns.start(dir.resolve("zebra.out"), "/usr/lib/frr/zebra", "-u", "frr", "-g", "frr", "-z", zserv,
          "--vty_socket", dir.toString(), "-i", dir.resolve("zebra.pid").toString(),
          "-f", dir.resolve("zebra.conf").toString(), "--log", "file:" + dir.resolve("zebra.log")));
      awaitFile(dir.resolve("zserv.api"));
      f.processes.add(ns.start(dir.resolve("bfdd.out"), "/usr/lib/frr/bfdd", "-u", "frr", "-g", "frr", "-z", zserv,
          "--vty_socket", dir.toString(), "-i", dir.resolve("bfdd.pid").toString(),
          "--bfdctl", dir.resolve("bfdd.sock").toString(), "-f", dir.resolve("bfdd.conf").toString(),
          "--log", "file:" + dir.resolve("bfdd.log")));
      f.processes.add(ns.start(dir.resolve("bgpd.out"), "/usr/lib/frr/bgpd", "-S", "-z", zserv,
          "--vty_socket", dir.toString(), "-i", dir.resolve("bgpd.pid").toString(),
          "-f", dir.resolve("bgpd.conf").toString(), "--log", "file:" + dir.resolve("bgpd.log")));
      awaitFile(dir.resolve("bgpd.vty"));
      awaitFile(dir.resolve("bfdd.vty"));
      return f;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void awaitFile(Path p) {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!Files.exists(p)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("FRR did not create " + p + " within 20 s");
      }
      FleetKillNetnsTest.sleep(50);
    }
  }

  /** vtysh for this FRR: inside the namespace, on its own vty sockets. */
  List<String> vtysh() {
    return List.of("ip", "netns", "exec", ns.name(), "vtysh", "--vty_socket", dir.toString());
  }

  /** One vtysh command's output. */
  String show(String command) {
    List<String> argv = new ArrayList<>(List.of("vtysh", "--vty_socket", dir.toString(), "-c", command));
    return ns.exec(argv.toArray(String[]::new)).stdout();
  }

  /** SIGKILL to zebra, bfdd and bgpd (a director's death: no BGP notification, no BFD down message). */
  void kill() {
    for (Process p : processes) {
      p.destroyForcibly();
    }
  }

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
