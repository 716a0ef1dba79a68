package io.lbkit.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * {@code lbctl run --http ADDR:PORT}: the JDK's HTTP server ({@code com.sun.net.httpserver})
 * serving {@code /metrics} (Prometheus text), {@code /status} (the JSON of
 * {@code lbctl status --json}), {@code /table} (the dataplane as JSON, for the page),
 * {@code /events} (server-sent events from the {@link EventHub}) and {@code /} (the
 * status page: HTML, CSS and JavaScript from lbctl's own resources).
 *
 * <p>Bounded: {@link #THREADS} threads, of which at most {@link #MAX_STREAMS} follow
 * {@code /events} (more are answered 503); a queue of {@link #QUEUE} requests beyond.
 * Every response has a write deadline: a watchdog interrupts (which closes the
 * connection of) a handler whose write has been stuck for {@link #WRITE_DEADLINE}, so a
 * client that stops reading holds one thread for that long at most; the daemon itself
 * never waits on a client (events reach a stream through its bounded backlog).
 */
final class HttpEndpoint implements AutoCloseable {
  static final int MAX_STREAMS = 16;
  static final int THREADS = MAX_STREAMS + 4;
  static final int QUEUE = 64;
  static final Duration WRITE_DEADLINE = Duration.ofSeconds(5);
  /** A comment line on idle streams, so that a dead client is noticed and proxies keep the stream. */
  static final Duration KEEPALIVE = Duration.ofSeconds(15);
  /** The most written to a response in one call. */
  private static final int CHUNK = 8192;

  private final HttpServer server;
  private final ThreadPoolExecutor pool;
  private final ScheduledExecutorService watchdog;
  private final Map<Thread, Long> writing = new ConcurrentHashMap<>();
  private final Semaphore streams = new Semaphore(MAX_STREAMS);
  private final EventHub hub;
  private volatile boolean closing;

  /** What the endpoint serves. */
  record Sources(Supplier<Body> metrics, Supplier<String> status, Supplier<String> table) {}

  /**
   * A response body: the first {@code length} bytes of {@code bytes}, whose buffer may be
   * reused once sent ({@code sent} runs then, sent or not).
   */
  record Body(byte[] bytes, int length, Runnable sent) {
    /** All of {@code bytes}, nothing to hand back. */
    static Body of(byte[] bytes) {
      return new Body(bytes, bytes.length, () -> {});
    }
  }

  private HttpEndpoint(HttpServer server, EventHub hub, Sources sources) {
    this.server = server;
    this.hub = hub;
    AtomicInteger n = new AtomicInteger();
    pool = new ThreadPoolExecutor(THREADS, THREADS, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
      Thread t = new Thread(r, "lbctl-http-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    }, new ThreadPoolExecutor.DiscardPolicy());
    watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "lbctl-http-watchdog");
      t.setDaemon(true);
      return t;
    });
    watchdog.scheduleWithFixedDelay(this::interruptStuckWrites, 200, 200, TimeUnit.MILLISECONDS);
    server.setExecutor(pool);
    server.createContext("/", guarded(this::page));
    server.createContext("/metrics", guarded(x -> {
      Body b = sources.metrics().get();
      try {
        send(x, 200, "text/plain; version=0.0.4; charset=utf-8", b.bytes(), b.length());
      } finally {
        b.sent().run();
      }
    }));
    server.createContext("/status", guarded(x -> send(x, 200, "application/json", sources.status().get() + "\n")));
    server.createContext("/table", guarded(x -> send(x, 200, "application/json", sources.table().get() + "\n")));
    server.createContext("/events", guarded(this::events));
    server.start();
  }

  /**
   * Serves on {@code address}; a non-loopback address only with {@code allowRemote}.
   *
   * @throws IllegalArgumentException for a non-loopback address without {@code allowRemote}
   * @throws IOException if the address cannot be bound
   */
  static HttpEndpoint start(InetSocketAddress address, boolean allowRemote, EventHub hub, Sources sources)
      throws IOException {
    InetAddress a = address.getAddress();
    if (a == null) {
      throw new IllegalArgumentException(address.getHostString() + ": unknown host");
    }
    if (!a.isLoopbackAddress() && !allowRemote) {
      throw new IllegalArgumentException(a.getHostAddress() + " is not a loopback address: the status page and "
          + "/metrics would be open to the network; add --http-allow-remote to mean it");
    }
    HttpServer s = HttpServer.create(address, 64);
    return new HttpEndpoint(s, hub, sources);
  }

  /** The bound address (the port when 0 was asked). */
  InetSocketAddress address() {
    return server.getAddress();
  }

  private interface Handler {
    void handle(HttpExchange x) throws IOException;
  }

  private HttpHandler guarded(Handler h) {
    return x -> {
      try (x) {
        if (!x.getRequestMethod().equals("GET") && !x.getRequestMethod().equals("HEAD")) {
          send(x, 405, "text/plain", "only GET\n");
          return;
        }
        h.handle(x);
      } catch (IOException | RuntimeException e) {
        // the client went away, or its write deadline passed: its loss, nobody else's
      } finally {
        writing.remove(Thread.currentThread());
        Thread.interrupted(); // a pool thread starts its next request uninterrupted
      }
    };
  }

  private void page(HttpExchange x) throws IOException {
    String path = x.getRequestURI().getPath();
    String name = switch (path) {
      case "/", "/index.html" -> "index.html";
      case "/style.css" -> "style.css";
      case "/app.js" -> "app.js";
      default -> null;
    };
    if (name == null) {
      send(x, 404, "text/plain", "not found\n");
      return;
    }
    String type = name.endsWith(".html") ? "text/html; charset=utf-8" : name.endsWith(".css")
        ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8";
    try (InputStream in = HttpEndpoint.class.getResourceAsStream("web/" + name)) {
      if (in == null) {
        send(x, 500, "text/plain", "status page missing from lbctl's resources\n");
        return;
      }
      send(x, 200, type, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  private void events(HttpExchange x) throws IOException {
    if (!streams.tryAcquire()) {
      send(x, 503, "text/plain", "too many event streams (" + MAX_STREAMS + ")\n");
      return;
    }
    try (EventHub.Subscriber sub = hub.subscribe()) {
      x.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
      x.getResponseHeaders().set("Cache-Control", "no-store");
      x.sendResponseHeaders(200, 0);
      OutputStream out = x.getResponseBody();
      write(out, ": lbkit events\nretry: 1000\n\n");
      long lastWrite = System.nanoTime();
      while (!closing && !sub.isCut()) {
        String e = sub.poll(250);
        if (e != null) {
          StringBuilder batch = new StringBuilder();
          do {
            batch.append("id: ").append(seqOf(e)).append("\ndata: ").append(e).append("\n\n");
          } while ((e = sub.poll()) != null && batch.length() < 64 * 1024);
          write(out, batch.toString());
          lastWrite = System.nanoTime();
        } else if (System.nanoTime() - lastWrite > KEEPALIVE.toNanos()) {
          write(out, ": keepalive\n\n");
          lastWrite = System.nanoTime();
        }
      }
    } catch (InterruptedException e) {
      // the write deadline passed or the endpoint closes: the stream ends
    } finally {
      streams.release();
    }
  }

  private static String seqOf(String event) {
    int i = event.indexOf(',');
    return event.substring("{\"seq\":".length(), i);
  }

  private void write(OutputStream out, String s) throws IOException {
    writing.put(Thread.currentThread(), System.nanoTime());
    try {
      out.write(s.getBytes(StandardCharsets.UTF_8));
      out.flush();
    } finally {
      writing.remove(Thread.currentThread());
    }
  }

  private void send(HttpExchange x, int code, String type, String body) throws IOException {
    send(x, code, type, body.getBytes(StandardCharsets.UTF_8));
  }

  private void send(HttpExchange x, int code, String type, byte[] b) throws IOException {
    send(x, code, type, b, b.length);
  }

  private void send(HttpExchange x, int code, String type, byte[] b, int length) throws IOException {
    x.getResponseHeaders().set("Content-Type", type);
    x.getResponseHeaders().set("Cache-Control", "no-store");
    x.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    x.getResponseHeaders().set("Content-Security-Policy", "default-src 'self'");
    if (x.getRequestMethod().equals("HEAD")) {
      x.sendResponseHeaders(code, -1);
      return;
    }
    x.sendResponseHeaders(code, length);
    writing.put(Thread.currentThread(), System.nanoTime());
    try {
      OutputStream out = x.getResponseBody();
      for (int off = 0; off < length; off += CHUNK) { // one write of a few MB: the JDK's server copies it into a new
        out.write(b, off, Math.min(CHUNK, length - off)); // buffer twice its size, per response
      }
    } finally {
      writing.remove(Thread.currentThread());
    }
  }

  /** A write blocked past the deadline: interrupting the thread closes its channel, and so the connection. */
  private void interruptStuckWrites() {
    long now = System.nanoTime();
    writing.forEach((t, since) -> {
      if (now - since > WRITE_DEADLINE.toNanos()) {
        writing.remove(t, since);
        t.interrupt();
      }
    });
  }

  /** Stops serving: open streams end, the port is released. */
  @Override
  public void close() {
    closing = true;
    server.stop(0);
    watchdog.shutdownNow();
    pool.shutdownNow();
  }
}
