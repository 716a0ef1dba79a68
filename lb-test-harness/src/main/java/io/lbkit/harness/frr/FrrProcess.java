package io.lbkit.harness.frr;

import io.lbkit.harness.netns.NetNs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One FRR of a test's own in a namespace the test created: bgpd, and optionally zebra (to
 * install routes into the namespace's kernel table) and bfdd (BFD profile {@code fast}),
 * each with its own config file, and the vty, zserv, bfdd control and pid files in a
 * directory of the test. zebra and bfdd run as user frr (zebra refuses root outside the
 * frrvty group), so that directory is given to frr; bgpd runs as root with {@code -S}.
 * Stopped through the processes it started, never by name.
 */
public final class FrrProcess implements AutoCloseable {
  private static final long FILE_WAIT_NANOS = 20_000_000_000L;

  private final NetNs ns;
  private final Path dir;
  private final List<Process> processes = new ArrayList<>();

  private FrrProcess(NetNs ns, Path dir) {
    this.ns = ns;
    this.dir = dir;
  }

  /**
   * Starts FRR in {@code ns}, its files in {@code dir}, all daemons with {@code frr defaults datacenter}.
   *
   * @param bgpConfig bgpd's configuration after the defaults line ({@code router bgp ...})
   * @param zebra whether to run zebra (routes into the kernel); without it bgpd runs with {@code -Z}
   * @param bfdMs BFD profile {@code fast}'s transmit and receive interval (x 3), or 0 for no bfdd; needs zebra
   * @return the running FRR, ready when bgpd's (and bfdd's) vty socket exists
   */
  public static FrrProcess start(NetNs ns, Path dir, String bgpConfig, boolean zebra, int bfdMs) {
    if (bfdMs > 0 && !zebra) {
      throw new IllegalArgumentException("bfdd needs zebra");
    }
    FrrProcess f = new FrrProcess(ns, dir);
    try {
      Files.createDirectories(dir);
      String defaults = "frr defaults datacenter\n";
      Files.writeString(dir.resolve("bgpd.conf"), defaults + bgpConfig);
      String zserv = dir.resolve("zserv.api").toString();
      if (zebra) {
        Files.writeString(dir.resolve("zebra.conf"), defaults);
        Files.setOwner(dir, dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("frr"));
        f.processes.add(ns.start(dir.resolve("zebra.out"), "/usr/lib/frr/zebra", "-u", "frr", "-g", "frr",
            "-z", zserv, "--vty_socket", dir.toString(), "-i", dir.resolve("zebra.pid").toString(),
            "-f", dir.resolve("zebra.conf").toString(), "--log", "file:" + dir.resolve("zebra.log")));
        f.awaitFile(dir.resolve("zserv.api"));
      }
      if (bfdMs > 0) {
        Files.writeString(dir.resolve("bfdd.conf"), defaults + "bfd\n profile fast\n  transmit-interval " + bfdMs
            + "\n  receive-interval " + bfdMs + "\n  detect-multiplier 3\n exit\nexit\n");
        f.processes.add(ns.start(dir.resolve("bfdd.out"), "/usr/lib/frr/bfdd", "-u", "frr", "-g", "frr",
            "-z", zserv, "--vty_socket", dir.toString(), "-i", dir.resolve("bfdd.pid").toString(),
            "--bfdctl", dir.resolve("bfdd.sock").toString(), "-f", dir.resolve("bfdd.conf").toString(),
            "--log", "file:" + dir.resolve("bfdd.log")));
      }
      List<String> bgpd = new ArrayList<>(List.of("/usr/lib/frr/bgpd", "-S", "--vty_socket", dir.toString(),
          "-i", dir.resolve("bgpd.pid").toString(), "-f", dir.resolve("bgpd.conf").toString(),
          "--log", "file:" + dir.resolve("bgpd.log")));
      bgpd.addAll(zebra ? List.of("-z", zserv) : List.of("-Z"));
      f.processes.add(ns.start(dir.resolve("bgpd.out"), bgpd.toArray(String[]::new)));
      f.awaitFile(dir.resolve("bgpd.vty"));
      if (bfdMs > 0) {
        f.awaitFile(dir.resolve("bfdd.vty"));
      }
      return f;
    } catch (IOException | RuntimeException e) {
      f.close();
      if (e instanceof IOException io) {
        throw new UncheckedIOException(io);
      }
      throw (RuntimeException) e;
    }
  }

  private void awaitFile(Path p) {
    long deadline = System.nanoTime() + FILE_WAIT_NANOS;
    while (!Files.exists(p)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("FRR did not create " + p + " within 20 s (logs in " + dir + ")");
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for " + p, e);
      }
    }
  }

  /** @return the directory of this FRR's config, sockets, pid files and logs */
  public Path dir() {
    return dir;
  }

  /** @return vtysh for this FRR, run inside its namespace on its own vty sockets */
  public List<String> vtysh() {
    return List.of("ip", "netns", "exec", ns.name(), "vtysh", "--vty_socket", dir.toString());
  }

  /**
   * Runs one vtysh command.
   *
   * @param command e.g. {@code show bgp summary}
   * @return its output
   */
  public String show(String command) {
    return ns.exec("vtysh", "--vty_socket", dir.toString(), "-c", command).stdout();
  }

  /** SIGKILL to every daemon of this FRR (a director's death: no BGP notification, no BFD down message). */
  public void kill() {
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
