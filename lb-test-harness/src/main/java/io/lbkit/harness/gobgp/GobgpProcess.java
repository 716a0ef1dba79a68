package io.lbkit.harness.gobgp;

import io.lbkit.harness.netns.NetNs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One gobgpd of a test's own in a namespace the test created: its TOML configuration and log in a directory of the
 * test, its gRPC API on {@code 127.0.0.1:PORT} of that namespace (pprof off). Stopped through the process it
 * started, never by name.
 */
public final class GobgpProcess implements AutoCloseable {
  private static final long READY_NANOS = 20_000_000_000L;

  private final NetNs ns;
  private final Path dir;
  private final int apiPort;
  private Process process;

  private GobgpProcess(NetNs ns, Path dir, int apiPort) {
    this.ns = ns;
    this.dir = dir;
    this.apiPort = apiPort;
  }

  /**
   * A gobgpd configuration: the global AS and router id, BGP not listened for ({@code port = -1}: gobgpd connects to
   * its neighbors), and one eBGP neighbor for IPv4 and IPv6 unicast with short timers (keepalive 1 s, hold 3 s,
   * connect retry 1 s).
   */
  public static String config(long as, String routerId, String neighbor, long peerAs) {
    return "[global.config]\n  as = " + as + "\n  router-id = \"" + routerId + "\"\n  port = -1\n\n"
        + "[[neighbors]]\n  [neighbors.config]\n    neighbor-address = \"" + neighbor + "\"\n    peer-as = " + peerAs
        + "\n  [neighbors.timers.config]\n    connect-retry = 1\n    hold-time = 3\n    keepalive-interval = 1\n"
        + "  [[neighbors.afi-safis]]\n    [neighbors.afi-safis.config]\n      afi-safi-name = \"ipv4-unicast\"\n"
        + "  [[neighbors.afi-safis]]\n    [neighbors.afi-safis.config]\n      afi-safi-name = \"ipv6-unicast\"\n";
  }

  /**
   * Starts gobgpd in {@code ns}, its files in {@code dir}.
   *
   * @param toml the configuration (e.g. {@link #config})
   * @param apiPort the gRPC port on the namespace's loopback
   * @return the running gobgpd, ready when {@code gobgp global} answers (20 s at most)
   */
  public static GobgpProcess start(NetNs ns, Path dir, String toml, int apiPort) {
    GobgpProcess g = new GobgpProcess(ns, dir, apiPort);
    try {
      Files.createDirectories(dir);
      Path conf = dir.resolve("gobgpd.toml");
      Files.writeString(conf, toml);
      g.process = ns.start(dir.resolve("gobgpd.log"), "gobgpd", "-f", conf.toString(), "-p", "--pprof-disable",
          "--api-hosts", "127.0.0.1:" + apiPort);
      g.awaitReady();
      return g;
    } catch (IOException | RuntimeException e) {
      g.close();
      if (e instanceof IOException io) {
        throw new UncheckedIOException(io);
      }
      throw (RuntimeException) e;
    }
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + READY_NANOS;
    while (!ns.exec("gobgp", "-p", String.valueOf(apiPort), "global").ok()) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException("gobgpd did not answer on port " + apiPort + " within 20 s (alive: "
            + process.isAlive() + ", log in " + dir + ")");
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for gobgpd", e);
      }
    }
  }

  /** @return the directory of this gobgpd's configuration and log */
  public Path dir() {
    return dir;
  }

  /** @return the gobgp client for this gobgpd, run inside its namespace on its gRPC port */
  public List<String> gobgp() {
    return List.of("ip", "netns", "exec", ns.name(), "gobgp", "-p", String.valueOf(apiPort));
  }

  /**
   * Runs one gobgp client command.
   *
   * @param args e.g. {@code global rib -a ipv4}
   * @return its output
   */
  public String show(String... args) {
    String[] argv = new String[args.length + 3];
    argv[0] = "gobgp";
    argv[1] = "-p";
    argv[2] = String.valueOf(apiPort);
    System.arraycopy(args, 0, argv, 3, args.length);
    return ns.run(argv);
  }

  /** SIGKILL to gobgpd (a director's death: no BGP notification). */
  public void kill() {
    if (process != null) {
      process.destroyForcibly();
    }
  }

  /** Stops the process this object started (SIGTERM, then SIGKILL after 5 s). */
  @Override
  public void close() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }
}
