package io.lbkit.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * {@code lbctl run --status-file PATH}: the status written to PATH on every change, the
 * way a root daemon must write into a directory others may write to. Each write goes to
 * a new file with a random name in PATH's directory, created exclusively (O_CREAT|O_EXCL,
 * which follows no symbolic link and opens no FIFO planted there) with mode 0600, synced,
 * then renamed over PATH. A PATH that exists and is not a regular file (a symbolic link,
 * a FIFO, a directory...) is not replaced; that is said once, not on every change.
 *
 * <p>Writes happen on a thread of their own ("lbctl-status"): {@link #changed} only marks
 * the status dirty and never waits, so a slow or stuck disk cannot delay the VRRP timer
 * or the health checks that report changes; changes made while a write is under way are
 * written once after it.
 */
final class StatusFile implements AutoCloseable {
  private static final Set<PosixFilePermission> OWNER_RW = PosixFilePermissions.fromString("rw-------");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path file;
  private final Supplier<String> content;
  private final PrintStream err;
  private final AtomicBoolean pending = new AtomicBoolean();
  private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "lbctl-status");
    t.setDaemon(true);
    return t;
  });
  private String lastError;

  /** Writes {@code content} to {@code file} when told it {@link #changed}; failures are printed to {@code err}. */
  StatusFile(Path file, Supplier<String> content, PrintStream err) {
    this.file = Objects.requireNonNull(file, "file").toAbsolutePath();
    this.content = Objects.requireNonNull(content, "content");
    this.err = Objects.requireNonNull(err, "err");
  }

  /** The status changed: it is written soon, on the writer thread. Never blocks. */
  void changed() {
    if (pending.compareAndSet(false, true)) {
      try {
        writer.execute(() -> {
          pending.set(false); // a change from now on needs another write
          writeNow();
        });
      } catch (RejectedExecutionException closed) {
        // lbctl is stopping: the status file no longer matters
      }
    }
  }

  /** Writes the status now, on the caller's thread; a failure is printed (once while it stays the same). */
  void writeNow() {
    try {
      write(file, content.get());
      synchronized (this) {
        lastError = null;
      }
    } catch (IOException | RuntimeException e) {
      String m = "lbctl run: cannot write status to " + Text.safe(file.toString()) + ": "
          + Text.safe(String.valueOf(e.getMessage()));
      synchronized (this) {
        if (m.equals(lastError)) {
          return;
        }
        lastError = m;
      }
      err.println(m);
    }
  }

  /**
   * Writes {@code text} to {@code file}: a new 0600 file with a random name next to it,
   * synced, renamed over {@code file}. Refuses if {@code file} exists and is not a regular
   * file.
   */
  static void write(Path file, String text) throws IOException {
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (!a.isRegularFile()) {
        throw new IOException("it is " + kind(file, a) + ", not a regular file; not replaced");
      }
    } catch (NoSuchFileException absent) {
      // the first write
    }
    byte[] name = new byte[8];
    RANDOM.nextBytes(name);
    Path tmp = file.resolveSibling("." + file.getFileName() + "." + HexFormat.of().formatHex(name) + ".tmp");
    boolean moved = false;
    try {
      Set<OpenOption> open = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
      try (FileChannel ch = FileChannel.open(tmp, open, PosixFilePermissions.asFileAttribute(OWNER_RW))) {
        ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
          ch.write(b);
        }
        ch.force(true);
      }
      // the umask may have taken bits away; set them exactly (without following a link put there since)
      Files.getFileAttributeView(tmp, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setPermissions(OWNER_RW);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE); // rename(2): replaces the entry, follows nothing
      moved = true;
    } finally {
      if (!moved) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  /** "a symbolic link", "a FIFO", "a directory"... */
  static String kind(Path f, BasicFileAttributes a) {
    if (a.isSymbolicLink()) {
      return "a symbolic link";
    }
    if (a.isDirectory()) {
      return "a directory";
    }
    try {
      int type = ((Integer) Files.getAttribute(f, "unix:mode", LinkOption.NOFOLLOW_LINKS)) & 0170000;
      switch (type) {
        case 0010000: return "a FIFO";
        case 0020000: return "a character device";
        case 0060000: return "a block device";
        case 0140000: return "a socket";
        default: break;
      }
    } catch (UnsupportedOperationException | IllegalArgumentException | IOException | ClassCastException e) {
      // no unix view: say less
    }
    return "a special file";
  }

  /** Writes what is pending (waiting 5 s at most), then stops the writer. */
  @Override
  public void close() {
    writer.shutdown();
    try {
      if (!writer.awaitTermination(5, TimeUnit.SECONDS)) {
        writer.shutdownNow();
      }
    } catch (InterruptedException e) {
      writer.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
