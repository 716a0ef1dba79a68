package io.lbkit.examples.demo;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * One of the seed's web servers (shizune, tenten) as a real HTTP server on 127.0.0.1,
 * serving {@code /test.html} with its name; stopped and started again on the same
 * port so that the health checks see a real connection refused and a real recovery.
 */
final class DemoWebServer implements AutoCloseable {
  private static final long REBIND_DEADLINE_NANOS = 5_000_000_000L;

  private final String name;
  private final byte[] page;
  private int port;
  private HttpServer server;

  private DemoWebServer(String name) {
    this.name = name;
    this.page = ("<html> <body>\n" + name + " webserv\n</body> </html>\n").getBytes(StandardCharsets.UTF_8);
  }

  /** Starts {@code name}'s server on 127.0.0.1 at a port the OS picks. */
  static DemoWebServer start(String name) throws IOException {
    DemoWebServer s = new DemoWebServer(name);
    s.bind(0);
    return s;
  }

  String name() {
    return name;
  }

  InetAddress address() {
    return InetAddress.getLoopbackAddress();
  }

  int port() {
    return port;
  }

  synchronized boolean running() {
    return server != null;
  }

  /** Stops listening (new connections are refused). */
  synchronized void stop() {
    if (server != null) {
      server.stop(0);
      server = null;
    }
  }

  /** Listens again on the same port; retries a busy port for a bounded time. */
  synchronized void restart() throws IOException, InterruptedException {
    if (server != null) {
      return;
    }
    long end = System.nanoTime() + REBIND_DEADLINE_NANOS;
    while (true) {
      try {
        bind(port);
        return;
      } catch (BindException e) {
        if (System.nanoTime() > end) {
          throw new IOException("web server " + name + ": port 127.0.0.1:" + port + " still busy after 5 s", e);
        }
        Thread.sleep(50);
      }
    }
  }

  private void bind(int wanted) throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), wanted), 16);
    s.createContext("/test.html", exchange -> {
      try (exchange; OutputStream body = exchange.getResponseBody()) {
        exchange.getResponseHeaders().set("Content-Type", "text/html");
        exchange.sendResponseHeaders(200, page.length);
        body.write(page);
      }
    });
    s.start();
    server = s;
    port = s.getAddress().getPort();
  }

  /**
   * What {@code curl http://127.0.0.1:PORT/test.html} shows: the page's text on one line,
   * or why it failed. Connect and read each time out after 5 s.
   */
  String fetch() {
    try {
      HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/test.html").toURL()
          .openConnection(Proxy.NO_PROXY);
      c.setConnectTimeout(5000);
      c.setReadTimeout(5000);
      try (InputStream in = c.getInputStream()) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8).replaceAll("\\s+", " ").trim();
      } finally {
        c.disconnect();
      }
    } catch (IOException e) {
      return "failed: " + e;
    }
  }

  @Override
  public void close() {
    stop();
  }
}
