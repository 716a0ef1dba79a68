package io.lbkit.harness.etcd;

import io.lbkit.harness.Tiers;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One etcd server of the test's own: {@code etcd} (Debian's etcd-server) on 127.0.0.1,
 * free client and peer ports, a temporary data directory. {@link #stop()} ends the very
 * process it started (never one found by name) and {@link #start()} starts it again on
 * the same ports and data, for outage tests; {@link #close()} stops it and deletes the data.
 *
 * <pre>{@code
 * @BeforeAll static void etcd() { Tiers.requireProgram("etcd"); etcd = EtcdProcess.launch(); }
 * }</pre>
 */
public final class EtcdProcess implements AutoCloseable {
  private static final Duration READY = Duration.ofSeconds(20);
  private final Path dir;
  private final int clientPort;
  private final int peerPort;
  private Process process;

  private EtcdProcess(Path dir, int clientPort, int peerPort) {
    this.dir = dir;
    this.clientPort = clientPort;
    this.peerPort = peerPort;
  }

  /** Starts a new etcd (skips locally, fails under CI, if there is no {@code etcd} program). */
  public static EtcdProcess launch() {
    Tiers.requireProgram("etcd");
    try {
      int[] ports = twoFreePorts();
      EtcdProcess e = new EtcdProcess(Files.createTempDirectory("lbkit-etcd-"), ports[0], ports[1]);
      e.start();
      return e;
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  /**
   * Two distinct free ports: both sockets are held open while the second is chosen (one
   * closed before the other was bound could hand out the same port twice, and etcd would
   * then fail to bind its peer port).
   */
  private static int[] twoFreePorts() throws IOException {
    try (ServerSocket a = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        ServerSocket b = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return new int[] {a.getLocalPort(), b.getLocalPort()};
    }
  }

  /** The client URL, {@code http://127.0.0.1:PORT}. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + clientPort);
  }

  /** The client port. */
  public int clientPort() {
    return clientPort;
  }

  /** Starts the process (again) on the same ports and data, and waits until it answers /health (20 s at most). */
  public synchronized void start() {
    if (process != null && process.isAlive()) {
      return;
    }
    String peer = "http://127.0.0.1:" + peerPort;
    try {
      process = new ProcessBuilder(List.of("etcd", "--name", "lbkit-test", "--data-dir", dir.resolve("data").toString(),
          "--listen-client-urls", endpoint().toString(), "--advertise-client-urls", endpoint().toString(),
          "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
          "--initial-cluster", "lbkit-test=" + peer, "--initial-cluster-state", "new",
          "--log-outputs", "stderr", "--logger", "zap"))
          .redirectErrorStream(true).redirectOutput(dir.resolve("etcd.log").toFile()).start();
    } catch (IOException e) {
      throw new UncheckedIOException("starting etcd", e);
    }
    long deadline = System.nanoTime() + READY.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("etcd exited " + process.exitValue() + ": " + log());
      }
      if (healthy()) {
        return;
      }
      sleep(100);
    }
    stop();
    throw new IllegalStateException("etcd not healthy within " + READY.toSeconds() + " s: " + log());
  }

  private boolean healthy() {
    try {
      HttpURLConnection c = (HttpURLConnection) endpoint().resolve("/health").toURL().openConnection();
      c.setConnectTimeout(500);
      c.setReadTimeout(1000);
      try (InputStream in = c.getInputStream()) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8).contains("\"health\":\"true\"");
      } finally {
        c.disconnect();
      }
    } catch (IOException e) {
      return false;
    }
  }

  /** Stops the process this object started (SIGTERM, then SIGKILL after 10 s); the data stays. */
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  /** The server's log so far (its last 4 KiB). */
  public String log() {
    try {
      String s = Files.readString(dir.resolve("etcd.log"));
      return s.length() > 4096 ? s.substring(s.length() - 4096) : s;
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** Stops it and deletes its data directory. */
  @Override
  public void close() {
    stop();
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory left behind is not a test failure
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
