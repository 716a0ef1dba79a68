package io.lbkit.bench.checks;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Many tiny HTTP backends on 127.0.0.x, all served by one selector thread: each
 * answers {@code 200} with a short body and closes, or (after {@link #hang}) accepts and
 * stays silent, or (after {@link #kill}) refuses. Loopback only.
 */
final class Backends implements Servers {
  private static final ByteBuffer RESPONSE = ByteBuffer.wrap(
      "HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\nok\n".getBytes(StandardCharsets.US_ASCII)).asReadOnlyBuffer();

  private final Selector selector = Selector.open();
  private final List<ServerSocketChannel> listeners = new ArrayList<>();
  private final List<InetSocketAddress> addresses = new ArrayList<>();
  private final boolean[] hanging;
  private final Thread thread;
  private final java.util.concurrent.ConcurrentLinkedQueue<Runnable> tasks = new java.util.concurrent.ConcurrentLinkedQueue<>();
  private volatile boolean running = true;
  volatile long served;
  private final java.util.Map<Integer, Long> applied = new java.util.concurrent.ConcurrentHashMap<>();

  Backends(int count) throws IOException {
    hanging = new boolean[count];
    for (int i = 0; i < count; i++) {
      ServerSocketChannel s = ServerSocketChannel.open();
      InetAddress a = InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) (1 + i % 8)});
      s.bind(new InetSocketAddress(a, 0), 1024);
      s.configureBlocking(false);
      s.register(selector, SelectionKey.OP_ACCEPT, i);
      listeners.add(s);
      addresses.add((InetSocketAddress) s.getLocalAddress());
    }
    thread = new Thread(this::loop, "bench-backends");
    thread.setDaemon(true);
    thread.start();
  }

  boolean alive() {
    return thread.isAlive();
  }

  @Override
  public long appliedAt(int i) {
    return applied.getOrDefault(i, -1L);
  }

  @Override
  public long served() {
    return served;
  }

  @Override
  public String describe() {
    return "in-process Java NIO server (shares this JVM's CPU)";
  }

  @Override
  public List<InetSocketAddress> addresses() {
    return addresses;
  }

  @Override
  public void kill(int i) {
    tasks.add(() -> {
      try {
        listeners.get(i).close();
        applied.put(i, System.nanoTime());
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    selector.wakeup();
  }

  @Override
  public void hang(int i) {
    tasks.add(() -> {
      hanging[i] = true;
      applied.put(i, System.nanoTime());
    });
    selector.wakeup();
  }

  private void loop() {
    try {
      serveLoop();
    } catch (RuntimeException e) {
      e.printStackTrace();
    }
  }

  private void serveLoop() {
    ByteBuffer in = ByteBuffer.allocate(4096);
    long deadline = System.nanoTime() + 600_000_000_000L; // bounded: never serve longer than 10 minutes
    while (running && System.nanoTime() < deadline) {
      try {
        selector.select(100);
        Runnable r;
        while ((r = tasks.poll()) != null) {
          r.run();
        }
        for (SelectionKey k : selector.selectedKeys()) {
          try {
            serve(k, in);
          } catch (IOException e) {
            k.channel().close(); // a client reset (after its own timeout): drop that connection only
          }
        }
        selector.selectedKeys().clear();
      } catch (IOException e) {
        System.err.println("backend error: " + e);
      }
    }
  }

  private void serve(SelectionKey k, ByteBuffer in) throws IOException {
    if (!k.isValid()) {
      return;
    }
    if (k.isAcceptable()) {
      SocketChannel c;
      while ((c = ((ServerSocketChannel) k.channel()).accept()) != null) {
        c.configureBlocking(false);
        c.register(selector, SelectionKey.OP_READ, k.attachment());
      }
    } else if (k.isReadable()) {
      SocketChannel c = (SocketChannel) k.channel();
      in.clear();
      int n = c.read(in);
      if (n < 0) {
        c.close();
      } else if (n > 0 && !hanging[(Integer) k.attachment()]) {
        c.write(RESPONSE.duplicate());
        c.close();
        served++;
      }
    }
  }

  @Override
  public void close() throws IOException {
    running = false;
    selector.wakeup();
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (SelectionKey k : selector.keys()) {
      k.channel().close();
    }
    selector.close();
  }
}
