package io.lbkit.cli;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * lbctl run's event socket ({@code /run/lbkit/NAME.events} beside the control socket
 * {@code NAME.sock}): each client receives the {@link EventHub}'s events as JSON lines
 * from the moment it connects until it or lbctl run closes. The control socket's
 * guarantees hold here too: mode 0600 in a 0700 directory, bound privately then renamed,
 * a stale socket replaced and anything else refused ({@link ControlSocket#open}); the
 * server reads nothing; one thread serves every client with non-blocking writes; a
 * client whose pending bytes are not taken within {@link ControlSocket#WRITE_DEADLINE},
 * or that falls {@link EventHub#BACKLOG} events behind, is dropped; at most
 * {@link ControlSocket#MAX_CLIENTS} at once.
 */
final class EventSocket implements AutoCloseable {
  private final Path path;
  private final ServerSocketChannel server;
  private final Selector selector;
  private final EventHub hub;
  private final Thread thread;

  /** One follower: its subscription, the bytes not yet written, and since when they wait. */
  private static final class Client {
    final EventHub.Subscriber sub;
    ByteBuffer pending;
    long since;

    Client(EventHub.Subscriber sub) {
      this.sub = sub;
    }
  }

  private EventSocket(Path path, ServerSocketChannel server, EventHub hub) throws IOException {
    this.path = path;
    this.server = server;
    this.hub = hub;
    this.selector = Selector.open();
    server.configureBlocking(false);
    server.register(selector, SelectionKey.OP_ACCEPT);
    thread = new Thread(this::serve, "lbctl-events");
    thread.setDaemon(true);
    thread.start();
  }

  /** The event socket beside a control socket: NAME.sock gives NAME.events. */
  static Path besides(Path controlSocket) {
    String f = controlSocket.getFileName().toString();
    return controlSocket.resolveSibling((f.endsWith(".sock") ? f.substring(0, f.length() - 5) : f) + ".events");
  }

  /**
   * Listens on {@code path} with the control socket's rules.
   *
   * @throws IOException if another lbctl run serves there, something else is at {@code path}, or binding fails
   */
  static EventSocket open(Path path, EventHub hub) throws IOException {
    path = path.toAbsolutePath();
    ControlSocket.clearStale(path);
    ControlSocket.createPrivateDirectories(path.getParent());
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      ControlSocket.bindPrivately(server, path);
      return new EventSocket(path, server, hub);
    } catch (IOException e) {
      server.close();
      throw e.getMessage() != null && e.getMessage().startsWith(path.toString()) ? e
          : new IOException(path + ": " + e.getMessage(), e);
    }
  }

  private void serve() {
    try {
      while (server.isOpen()) {
        selector.select(200);
        for (SelectionKey k : selector.selectedKeys()) {
          if (k.isValid() && k.isAcceptable()) {
            accept();
          }
        }
        selector.selectedKeys().clear();
        long now = System.nanoTime();
        for (SelectionKey k : selector.keys()) {
          if (k.isValid() && k.attachment() instanceof Client c) {
            flush(k, c, now);
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      if (server.isOpen()) {
        System.err.println("lbctl run: event socket " + path + " stopped: " + e.getMessage());
      }
    } finally {
      for (SelectionKey k : selector.keys()) {
        close(k);
      }
    }
  }

  private void accept() throws IOException {
    SocketChannel c;
    while ((c = server.accept()) != null) {
      if (selector.keys().size() > ControlSocket.MAX_CLIENTS) {
        c.close();
        continue;
      }
      c.configureBlocking(false);
      EventHub.Subscriber sub = hub.subscribe();
      sub.onEvent(selector::wakeup);
      c.register(selector, 0, new Client(sub));
    }
  }

  private void flush(SelectionKey k, Client c, long now) {
    try {
      while (true) {
        if (c.pending == null || !c.pending.hasRemaining()) {
          String e = c.sub.poll();
          if (e == null) {
            break;
          }
          c.pending = ByteBuffer.wrap((e + "\n").getBytes(StandardCharsets.UTF_8));
          c.since = now;
        }
        ((SocketChannel) k.channel()).write(c.pending);
        if (c.pending.hasRemaining()) {
          break; // the client's buffer is full: try again at the next wakeup
        }
      }
      boolean waiting = c.pending != null && c.pending.hasRemaining();
      if (c.sub.isCut() || waiting && now - c.since > ControlSocket.WRITE_DEADLINE.toNanos()) {
        close(k); // too slow: dropped, nobody else waited for it
        return;
      }
      k.interestOps(waiting ? SelectionKey.OP_WRITE : 0);
    } catch (IOException gone) {
      close(k);
    }
  }

  private static void close(SelectionKey k) {
    if (k.attachment() instanceof Client c) {
      c.sub.close();
    }
    k.cancel();
    try {
      k.channel().close();
    } catch (IOException ignored) {
      // closing a socket we are done with: nothing to do about it
    }
  }

  /** The socket's path. */
  Path path() {
    return path;
  }

  /** Stops serving (followers see the stream end) and removes the socket file. */
  @Override
  public void close() throws IOException {
    ControlSocket.shutDown(server, selector, thread, path);
  }
}
