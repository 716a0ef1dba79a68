package io.lbkit.cli;

import io.lbkit.api.LoadBalancerStatus;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * lbctl run's control socket (a unix socket, {@code /run/lbkit/NAME.sock} by default):
 * each connection is answered with the running load balancer's state and closed. The
 * answer is the status as one line of JSON, then the same as a table
 * ({@link StatusTable}); {@code lbctl status} prints one or the other. The server reads
 * nothing, so a client cannot make it wait.
 */
final class ControlSocket implements AutoCloseable {
  /** Where {@code lbctl run} and {@code lbctl status} meet by default. */
  static final Path DIR = Path.of("/run/lbkit");

  private final Path path;
  private final ServerSocketChannel server;
  private final Thread acceptor;

  private ControlSocket(Path path, ServerSocketChannel server, Supplier<LoadBalancerStatus> status) {
    this.path = path;
    this.server = server;
    this.acceptor = new Thread(() -> serve(status), "lbctl-control");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** The default socket of a config file: /run/lbkit/ plus its name without ".conf". */
  static Path defaultFor(String configFile) {
    String name = Path.of(configFile).getFileName().toString();
    return DIR.resolve((name.endsWith(".conf") ? name.substring(0, name.length() - 5) : name) + ".sock");
  }

  /**
   * Listens on {@code path}. A socket file left by a dead process is replaced; one a
   * live process answers on is not.
   *
   * @throws IOException if another lbctl run answers there, or binding fails
   */
  static ControlSocket open(Path path, Supplier<LoadBalancerStatus> status) throws IOException {
    if (Files.exists(path)) {
      boolean live;
      try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
        live = true;
      } catch (IOException dead) {
        live = false;
      }
      if (live) {
        throw new IOException(path + ": another lbctl run is listening there");
      }
      Files.delete(path);
    }
    if (path.getParent() != null) {
      Files.createDirectories(path.getParent());
    }
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      server.bind(UnixDomainSocketAddress.of(path));
    } catch (IOException e) {
      server.close();
      throw new IOException(path + ": " + e.getMessage(), e);
    }
    return new ControlSocket(path, server, status);
  }

  /** The socket's path. */
  Path path() {
    return path;
  }

  private void serve(Supplier<LoadBalancerStatus> status) {
    while (server.isOpen()) {
      try (SocketChannel c = server.accept()) {
        LoadBalancerStatus s = status.get();
        String answer = s.toJson() + "\n" + StatusTable.render(s);
        ByteBuffer b = ByteBuffer.wrap(answer.getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
          c.write(b);
        }
      } catch (IOException | RuntimeException e) {
        if (!server.isOpen()) {
          return;
        }
        System.err.println("lbctl run: control socket " + path + ": " + e.getMessage());
      }
    }
  }

  /**
   * Asks the lbctl run listening on {@code path}; gives its whole answer.
   *
   * @throws IOException if nothing listens there, or it does not answer within {@code timeoutMillis}
   */
  static String query(Path path, long timeoutMillis) throws IOException {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
    StringBuilder text = new StringBuilder();
    try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(path));
        Selector selector = Selector.open()) {
      c.configureBlocking(false);
      c.register(selector, SelectionKey.OP_READ);
      ByteBuffer b = ByteBuffer.allocate(64 * 1024);
      java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
      while (true) {
        long left = (deadline - System.nanoTime()) / 1_000_000L;
        if (left <= 0) {
          throw new IOException(path + ": no answer within " + timeoutMillis + " ms");
        }
        selector.select(left);
        selector.selectedKeys().clear();
        int n = c.read(b);
        if (n < 0) {
          break;
        }
        all.write(b.array(), 0, b.position());
        b.clear();
        if (all.size() > 16 * 1024 * 1024) {
          throw new IOException(path + ": answer larger than 16 MiB");
        }
      }
      text.append(all.toString(StandardCharsets.UTF_8));
    }
    return text.toString();
  }

  /** Stops answering and removes the socket file. */
  @Override
  public void close() throws IOException {
    server.close();
    try {
      acceptor.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Files.deleteIfExists(path);
  }
}
