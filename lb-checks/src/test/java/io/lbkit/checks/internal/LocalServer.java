package io.lbkit.checks.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;

/**
 * A real TCP (or TLS) server on 127.0.0.1 for checker tests: each connection runs
 * {@code behaviour} on its own daemon thread; closing stops everything.
 */
final class LocalServer implements AutoCloseable {
  interface Behaviour {
    void serve(Socket s, InputStream in, OutputStream out) throws Exception;
  }

  final ServerSocket server;
  final List<String> requests = new CopyOnWriteArrayList<>();
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  private LocalServer(ServerSocket server, Behaviour behaviour) {
    this.server = server;
    acceptor = new Thread(() -> {
      while (!server.isClosed()) {
        try {
          Socket s = server.accept();
          open.add(s);
          Thread t = new Thread(() -> {
            try (s) {
              s.setSoTimeout(10_000);
              behaviour.serve(s, s.getInputStream(), s.getOutputStream());
            } catch (Exception e) {
              // the client went away or the test closed the server: nothing to report
            }
          }, "local-server-conn");
          t.setDaemon(true);
          t.start();
        } catch (IOException e) {
          return;
        }
      }
    }, "local-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  static LocalServer start(Behaviour b) throws IOException {
    return new LocalServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), b);
  }

  static LocalServer startTls(SSLContext ctx, Behaviour b) throws IOException {
    return new LocalServer(ctx.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress()), b);
  }

  int port() {
    return server.getLocalPort();
  }

  InetSocketAddress address() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), port());
  }

  /** Reads an HTTP request head (to the blank line) and records it. */
  String readRequest(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    while (!sb.toString().endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        break;
      }
      sb.append((char) c);
    }
    requests.add(sb.toString());
    return sb.toString();
  }

  /** An HTTP server answering every request with {@code status} and {@code body}. */
  static Behaviour http(LocalServer[] self, int status, String body) {
    return (s, in, out) -> {
      self[0].readRequest(in);
      byte[] b = body.getBytes(StandardCharsets.ISO_8859_1);
      out.write(("HTTP/1.0 " + status + " X\r\nContent-Length: " + b.length + "\r\n\r\n").getBytes(
          StandardCharsets.ISO_8859_1));
      out.write(b);
      out.flush();
    };
  }

  /**
   * Silent until the client closes (or 30 s pass): for checks that must time out. A fixed
   * sleep instead would race the checker's timeout on a slow or loaded machine, where the
   * server could end the connection first and the checker report that instead.
   */
  static Behaviour silentUntilClosed() {
    return (s, in, out) -> holdUntilClosed(s, in);
  }

  /** Reads (and drops) what the client sends until it closes or resets, at most 30 s. */
  static void holdUntilClosed(Socket s, InputStream in) throws IOException {
    s.setSoTimeout(30_000);
    byte[] b = new byte[4096];
    while (in.read(b) >= 0) {
      // the client's bytes (a request, a TLS hello) are not what this server answers
    }
  }

  /** A port on 127.0.0.1 where nothing listens (bound, then closed). */
  static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : open) {
      s.close();
    }
  }
}
