package io.lbkit.harness.etcd;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * A TCP relay on 127.0.0.1 to a target port, which a test can {@link #cut()} (every
 * connection closed, new ones closed at once) and {@link #restore()}: one client loses
 * etcd while the test's own client still reaches it. Threads are daemons; {@link #close()}
 * ends them.
 */
public final class TcpCutter implements AutoCloseable {
  private final ServerSocket server;
  private final int target;
  private final List<Socket> open = new ArrayList<>();
  private volatile boolean cut;

  private TcpCutter(int target) throws IOException {
    this.target = target;
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::accept, "lbkit-tcp-cutter-" + server.getLocalPort());
    t.setDaemon(true);
    t.start();
  }

  /** A relay to 127.0.0.1:{@code targetPort}. */
  public static TcpCutter to(int targetPort) {
    try {
      return new TcpCutter(targetPort);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The relay's own URL, {@code http://127.0.0.1:PORT}. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  /** Closes every relayed connection and refuses new ones until {@link #restore()}. */
  public synchronized void cut() {
    cut = true;
    open.forEach(TcpCutter::quietly);
    open.clear();
  }

  /** Relays again. */
  public synchronized void restore() {
    cut = false;
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket in = server.accept();
        synchronized (this) {
          if (cut) {
            quietly(in);
            continue;
          }
          Socket out = new Socket();
          out.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target), 2000);
          open.add(in);
          open.add(out);
          pump(in, out);
          pump(out, in);
        }
      } catch (IOException e) {
        // the server closed, or the target refused this one connection
      }
    }
  }

  private static void pump(Socket from, Socket to) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[16384];
      try (InputStream i = from.getInputStream(); OutputStream o = to.getOutputStream()) {
        for (int n; (n = i.read(buf)) > 0; ) {
          o.write(buf, 0, n);
        }
      } catch (IOException e) {
        // closed
      } finally {
        quietly(from);
        quietly(to);
      }
    }, "lbkit-tcp-pump");
    t.setDaemon(true);
    t.start();
  }

  private static void quietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // closing
    }
  }

  /** Stops relaying and closes everything. */
  @Override
  public void close() {
    cut();
    try {
      server.close();
    } catch (IOException e) {
      // closing
    }
  }
}
