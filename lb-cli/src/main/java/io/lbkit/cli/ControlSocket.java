package io.lbkit.cli;

import io.lbkit.api.LoadBalancerStatus;
import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Set;
import java.util.function.Supplier;

/**
 * lbctl run's control socket (a unix socket, {@code /run/lbkit/NAME.sock} by default):
 * each connection is answered with the running load balancer's state and closed. The
 * answer is the status as one line of JSON, then the same as a table
 * ({@link StatusTable}); {@code lbctl status} prints one or the other. The server reads
 * nothing, so a client cannot make it wait.
 *
 * <p>Clients are served together by one thread with non-blocking writes: a client that
 * connects and never reads holds only its own answer, and is dropped after
 * {@link #WRITE_DEADLINE}; at most {@link #MAX_CLIENTS} are served at once (more are
 * closed at once). The socket is mode 0600 and each directory created for it 0700,
 * whatever the umask: it is bound in a private directory, its mode set, then renamed into
 * place. A file at the path is replaced only if it is a socket nobody answers on (left by
 * a dead lbctl run); anything else there is refused and left alone.
 */
final class ControlSocket implements AutoCloseable {
  /** Where {@code lbctl run} and {@code lbctl status} meet by default. */
  static final Path DIR = Path.of("/run/lbkit");
  /** How long a client has to read its whole answer. */
  static final Duration WRITE_DEADLINE = Duration.ofSeconds(5);
  /** Clients served at once; more are closed without an answer. */
  static final int MAX_CLIENTS = 64;
  private static final Set<PosixFilePermission> SOCKET_MODE = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");

  private final Path path;
  private final ServerSocketChannel server;
  private final Selector selector;
  private final Thread acceptor;

  private ControlSocket(Path path, ServerSocketChannel server, Supplier<LoadBalancerStatus> status)
      throws IOException {
    this.path = path;
    this.server = server;
    this.selector = Selector.open();
    server.configureBlocking(false);
    server.register(selector, SelectionKey.OP_ACCEPT);
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
   * Listens on {@code path}, mode 0600 (missing directories created 0700). A socket file
   * left by a dead process is replaced; one a live process answers on is not, nor is
   * anything that is not a socket.
   *
   * @throws IOException if another lbctl run serves there, something else is at {@code path}, or binding fails
   */
  static ControlSocket open(Path path, Supplier<LoadBalancerStatus> status) throws IOException {
    path = path.toAbsolutePath();
    clearStale(path);
    Path parent = path.getParent();
    createPrivateDirectories(parent);
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      bindPrivately(server, path);
      return new ControlSocket(path, server, status);
    } catch (IOException e) {
      server.close();
      throw e.getMessage() != null && e.getMessage().startsWith(path.toString()) ? e
          : new IOException(path + ": " + e.getMessage(), e);
    }
  }

  /** Deletes a socket nobody answers on at {@code path}; refuses anything else there. */
  static void clearStale(Path path) throws IOException {
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException absent) {
      return;
    }
    String kind = a.isRegularFile() ? "a regular file" : StatusFile.kind(path, a);
    if (!kind.equals("a socket")) {
      throw new IOException(path + ": is " + kind + ", not a socket; not replaced (remove it, or give another "
          + "--control PATH)");
    }
    try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
      throw new IOException("another lbctl run serves " + path);
    } catch (ConnectException | NoSuchFileException dead) {
      Files.deleteIfExists(path); // left by a process that is gone
    }
  }

  /** Creates the missing directories above the socket, each 0700 whatever the umask. */
  static void createPrivateDirectories(Path dir) throws IOException {
    if (dir == null || Files.isDirectory(dir)) {
      return;
    }
    createPrivateDirectories(dir.getParent());
    try {
      Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIR_MODE));
    } catch (FileAlreadyExistsException raced) {
      return; // made by someone else meanwhile: not ours to change
    }
    Files.getFileAttributeView(dir, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setPermissions(DIR_MODE);
  }

  /**
   * Binds in a new 0700 directory next to {@code path}, sets the socket 0600, renames it
   * to {@code path}: no moment where the umask's mode lets others connect.
   */
  static void bindPrivately(ServerSocketChannel server, Path path) throws IOException {
    Path parent = path.getParent();
    Path tmpDir = Files.createTempDirectory(parent, ".lbctl"); // 0700
    Path tmp = tmpDir.resolve("s");
    try {
      if (tmp.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length >= 100) {
        server.bind(UnixDomainSocketAddress.of(path)); // too long for sun_path: bind in place, chmod at once
        Files.setPosixFilePermissions(path, SOCKET_MODE);
        return;
      }
      server.bind(UnixDomainSocketAddress.of(tmp));
      Files.setPosixFilePermissions(tmp, SOCKET_MODE);
      Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
      Files.deleteIfExists(tmpDir);
    }
  }

  /** The socket's path. */
  Path path() {
    return path;
  }

  /** One client being answered: what is left to write, and until when. */
  private record Client(ByteBuffer answer, long deadline) {}

  private void serve(Supplier<LoadBalancerStatus> status) {
    try {
      while (server.isOpen()) {
        long now = System.nanoTime();
        long next = Long.MAX_VALUE;
        for (SelectionKey k : selector.keys()) {
          if (k.attachment() instanceof Client c) {
            if (c.deadline() - now <= 0) {
              close(k); // never read its answer: dropped, nobody else waited for it
            } else {
              next = Math.min(next, c.deadline() - now);
            }
          }
        }
        selector.select(next == Long.MAX_VALUE ? 0 : Math.max(1, next / 1_000_000L + 1));
        for (SelectionKey k : selector.selectedKeys()) {
          if (!k.isValid()) {
            continue;
          }
          if (k.isAcceptable()) {
            accept(status);
          } else if (k.isWritable()) {
            write(k);
          }
        }
        selector.selectedKeys().clear();
      }
    } catch (IOException | RuntimeException e) {
      if (server.isOpen()) {
        System.err.println("lbctl run: control socket " + path + " stopped: " + e.getMessage());
      }
    } finally {
      for (SelectionKey k : selector.keys()) {
        close(k);
      }
    }
  }

  private void accept(Supplier<LoadBalancerStatus> status) throws IOException {
    SocketChannel c;
    while ((c = server.accept()) != null) {
      if (selector.keys().size() > MAX_CLIENTS) {
        c.close();
        continue;
      }
      LoadBalancerStatus s = status.get();
      String answer = s.toJson() + "\n" + StatusTable.render(s);
      c.configureBlocking(false);
      c.register(selector, SelectionKey.OP_WRITE, new Client(ByteBuffer.wrap(answer.getBytes(StandardCharsets.UTF_8)),
          System.nanoTime() + WRITE_DEADLINE.toNanos()));
    }
  }

  private static void write(SelectionKey k) {
    Client c = (Client) k.attachment();
    try {
      ((SocketChannel) k.channel()).write(c.answer());
      if (!c.answer().hasRemaining()) {
        close(k);
      }
    } catch (IOException gone) {
      close(k); // the client went away: its loss
    }
  }

  private static void close(SelectionKey k) {
    k.cancel();
    try {
      k.channel().close();
    } catch (IOException ignored) {
      // closing a socket we are done with: nothing to do about it
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
    shutDown(server, selector, acceptor, path);
  }

  /**
   * Closes a socket server that one thread serves through {@code selector}: stops accepting,
   * waits up to 2 s for the thread, and removes the socket file if it is still a socket (ours;
   * whatever replaced it meanwhile is not).
   */
  static void shutDown(ServerSocketChannel server, Selector selector, Thread thread, Path path)
      throws IOException {
    server.close();
    selector.wakeup();
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    selector.close();
    try {
      BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (StatusFile.kind(path, a).equals("a socket")) {
        Files.delete(path);
      }
    } catch (NoSuchFileException gone) {
      // removed already
    }
  }
}
