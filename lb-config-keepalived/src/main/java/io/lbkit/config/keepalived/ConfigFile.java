package io.lbkit.config.keepalived;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reading one configuration file (the top one or an included one) so that it cannot
 * hurt the reader: only a regular file is opened (a directory, device, FIFO or socket
 * is refused before any open, so {@code /dev/zero} or a FIFO never blocks or fills
 * memory), at most {@link #MAX_BYTES} are read, within {@link #READ_TIMEOUT}, and a
 * binary file (a NUL byte, or mostly control bytes or invalid UTF-8 in its first KiB)
 * is refused as such. Each refusal is an {@link IOException} whose message says what
 * the file is, without its path (the caller names it).
 */
final class ConfigFile {
  /** The largest configuration file read: 16 MiB. */
  static final long MAX_BYTES = 16L << 20;
  /** How long reading one file may take. */
  static final Duration READ_TIMEOUT = Duration.ofSeconds(10);
  /** How much of the start is looked at to tell text from binary. */
  static final int SNIFF_BYTES = 1024;
  /** Control bytes or invalid UTF-8 sequences in the first KiB beyond which a file counts as binary. */
  static final int MAX_ODD_BYTES = 8;

  private ConfigFile() {}

  /** The text of {@code f}, if it is a regular text file of at most 16 MiB read within 10 s. */
  static String read(Path f) throws IOException {
    return read(f, READ_TIMEOUT);
  }

  static String read(Path f, Duration timeout) throws IOException {
    BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
    if (!a.isRegularFile()) {
      throw new IOException(kind(f, a) + ", not a regular file");
    }
    if (a.size() > MAX_BYTES) {
      throw new IOException(tooLarge(a.size()));
    }
    byte[] b = readWithin(f, timeout);
    String binary = binary(b);
    if (binary != null) {
      throw new IOException(binary);
    }
    return new String(b, StandardCharsets.UTF_8);
  }

  private static String tooLarge(long size) {
    return "larger than 16 MiB" + (size > 0 ? " (" + size + " bytes)" : "") + ", not a configuration file";
  }

  /** What a non-regular file is: "is a directory", "is a FIFO", "is a character device"... */
  static String kind(Path f, BasicFileAttributes a) {
    if (a.isDirectory()) {
      return "is a directory";
    }
    try {
      int type = ((Integer) Files.getAttribute(f, "unix:mode")) & 0170000;
      switch (type) {
        case 0010000: return "is a FIFO";
        case 0020000: return "is a character device";
        case 0060000: return "is a block device";
        case 0140000: return "is a socket";
        default: break;
      }
    } catch (UnsupportedOperationException | IllegalArgumentException | IOException | ClassCastException e) {
      // no unix view here: say less
    }
    return "is a special file";
  }

  /** {@link #readWithin} without the file type check, for the deadline's test. */
  static byte[] readWithinForTest(Path f, Duration timeout) throws IOException {
    return readWithin(f, timeout);
  }

  /**
   * Reads on a helper thread so that a file that blocks (a FIFO swapped in after the
   * check, a hung network file system, a /proc file that waits) costs at most
   * {@code timeout}; the helper is interrupted, which closes its channel.
   */
  private static byte[] readWithin(Path f, Duration timeout) throws IOException {
    FutureTask<byte[]> task = new FutureTask<>(() -> readCapped(f));
    Thread t = new Thread(task, "lbkit-config-read");
    t.setDaemon(true);
    t.start();
    try {
      return task.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      t.interrupt();
      throw new IOException("not read within " + timeout.toMillis() + " ms (a file that blocks is not a "
          + "configuration file)");
    } catch (InterruptedException e) {
      t.interrupt();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while reading");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException(String.valueOf(e.getCause().getMessage()), e.getCause());
    }
  }

  /**
   * Reads into one array of the file's size, in 64 KiB steps; it grows only if the file grows
   * while it is read: a large file is not copied from buffer to buffer.
   */
  private static byte[] readCapped(Path f) throws IOException {
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
      byte[] all = new byte[(int) Math.min(Math.max(ch.size(), 0), MAX_BYTES + 1)];
      int n = 0;
      boolean sniffed = false;
      ByteBuffer one = ByteBuffer.allocate(1);
      while (true) {
        if (n > MAX_BYTES) {
          throw new IOException(tooLarge(0));
        }
        if (!sniffed && n >= SNIFF_BYTES) {
          sniffed = true;
          String binary = binary(all);
          if (binary != null) {
            throw new IOException(binary); // do not read the rest of a binary file
          }
        }
        if (n == all.length) { // the end, or the file grew
          one.clear();
          if (ch.read(one) < 0) {
            break;
          }
          if (one.position() == 0) {
            continue;
          }
          all = Arrays.copyOf(all, (int) Math.min(Math.max(2L * n, 64 * 1024), MAX_BYTES + 1));
          all[n++] = one.get(0);
          continue;
        }
        int r = ch.read(ByteBuffer.wrap(all, n, Math.min(all.length - n, 64 * 1024)));
        if (r < 0) {
          break;
        }
        n += r;
      }
      return n == all.length ? all : Arrays.copyOf(all, n);
    }
  }

  /** Why the start of {@code b} is not configuration text, or null if it may be. */
  static String binary(byte[] b) {
    int n = Math.min(b.length, SNIFF_BYTES);
    int odd = 0;
    int i = 0;
    while (i < n) {
      int c = b[i] & 0xff;
      if (c == 0) {
        return "binary file (NUL byte at offset " + i + "), not a configuration file";
      }
      if (c < 0x80) {
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x0b) || c == 0x7f) {
          odd++;
        }
        i++;
        continue;
      }
      int len = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c <= 0xdf ? 2 : 0;
      if (len == 0 || c > 0xf4) {
        odd++;
        i++;
        continue;
      }
      int j = 1;
      while (j < len && i + j < n && (b[i + j] & 0xc0) == 0x80) {
        j++;
      }
      if (j < len && i + j < n) {
        odd++; // a sequence cut short inside the sniffed part
      }
      i += j;
    }
    return odd > MAX_ODD_BYTES ? "binary file (control bytes or invalid UTF-8 in its first KiB), not a configuration "
        + "file" : null;
  }
}
