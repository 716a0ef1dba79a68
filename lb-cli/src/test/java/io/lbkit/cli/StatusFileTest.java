package io.lbkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** lbctl run --status-file: what a local user who can write its directory cannot make root do. */
class StatusFileTest {
  @TempDir Path dir;
  final ByteArrayOutputStream err = new ByteArrayOutputStream();
  final PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);

  String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  static void mkfifo(Path p) throws Exception {
    Process mk = new ProcessBuilder("mkfifo", p.toString()).redirectErrorStream(true).start();
    assertThat(mk.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(mk.exitValue()).as(new String(mk.getInputStream().readAllBytes())).isZero();
  }

  /** Runs writeNow on another thread; false if it did not return within 5 s (then the FIFO is opened to free it). */
  boolean returnsInTime(StatusFile s, Path fifo) throws Exception {
    CompletableFuture<Void> f = CompletableFuture.runAsync(s::writeNow);
    try {
      f.get(5, TimeUnit.SECONDS);
      return true;
    } catch (TimeoutException hung) {
      try (FileInputStream drain = new FileInputStream(fifo.toFile())) {
        byte[] b = new byte[4096];
        while (drain.read(b) >= 0) {
          // frees the writer blocked in open(), then reads what it wrote
        }
      }
      return false;
    }
  }

  @Test
  void write_symlinkPlantedAtTmp_victimUntouched() throws Exception {
    Path victim = Files.writeString(dir.resolve("victim"), "root's file\n");
    Path status = dir.resolve("status.json");
    Files.createSymbolicLink(dir.resolve("status.json.tmp"), victim);
    try (StatusFile s = new StatusFile(status, () -> "{\"ok\":1}\n", errStream)) {
      s.writeNow();
    }
    assertThat(Files.readString(victim)).isEqualTo("root's file\n");
    assertThat(Files.readString(status)).isEqualTo("{\"ok\":1}\n");
  }

  @Test
  void write_fifoPlantedAtTmp_doesNotBlock() throws Exception {
    Path status = dir.resolve("status.json");
    Path fifo = dir.resolve("status.json.tmp");
    mkfifo(fifo);
    try (StatusFile s = new StatusFile(status, () -> "{\"ok\":1}\n", errStream)) {
      assertThat(returnsInTime(s, fifo)).as("writing the status with a FIFO at PATH.tmp returns").isTrue();
    }
    assertThat(Files.readString(status)).isEqualTo("{\"ok\":1}\n");
  }

  @Test
  void write_fifoAtPath_refusedWithOneMessage_noHang() throws Exception {
    Path status = dir.resolve("status.json");
    mkfifo(status);
    try (StatusFile s = new StatusFile(status, () -> "{\"ok\":1}\n", errStream)) {
      for (int i = 0; i < 3; i++) {
        assertThat(returnsInTime(s, status)).isTrue();
      }
    }
    assertThat(Files.isRegularFile(status, LinkOption.NOFOLLOW_LINKS)).as("the FIFO is left in place").isFalse();
    assertThat(err().lines().toList()).containsExactly("lbctl run: cannot write status to " + status
        + ": it is a FIFO, not a regular file; not replaced");
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void write_symlinkAtPath_refused_linkAndVictimUntouched() throws Exception {
    Path victim = Files.writeString(dir.resolve("victim"), "root's file\n");
    Path status = dir.resolve("status.json");
    Files.createSymbolicLink(status, victim);
    try (StatusFile s = new StatusFile(status, () -> "{\"ok\":1}\n", errStream)) {
      s.writeNow();
    }
    assertThat(Files.isSymbolicLink(status)).isTrue();
    assertThat(Files.readString(victim)).isEqualTo("root's file\n");
    assertThat(err()).contains(status + ": it is a symbolic link, not a regular file; not replaced");
  }

  @Test
  void write_isMode0600_replacesTheOldFile_leavesNoTemporaryFile() throws Exception {
    Path status = Files.writeString(dir.resolve("status.json"), "old\n");
    Files.setPosixFilePermissions(status, PosixFilePermissions.fromString("rw-rw-rw-"));
    try (StatusFile s = new StatusFile(status, () -> "{\"ok\":2}\n", errStream)) {
      s.writeNow();
    }
    assertThat(Files.readString(status)).isEqualTo("{\"ok\":2}\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(status))).isEqualTo("rw-------");
    assertThat(leftovers()).isEmpty();
    assertThat(err()).isEmpty();
  }

  @Test
  void changed_whileAWriteIsStuck_returnsAtOnce_andLaterChangesAreOneWrite() throws Exception {
    Path status = dir.resolve("status.json");
    CountDownLatch firstStarted = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger version = new AtomicInteger();
    AtomicInteger calls = new AtomicInteger();
    StatusFile s = new StatusFile(status, () -> {
      if (calls.incrementAndGet() == 1) {
        firstStarted.countDown();
        try {
          release.await(10, TimeUnit.SECONDS); // a write stuck (e.g. on a slow disk)
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return "{\"v\":" + version.get() + "}\n";
    }, errStream);
    try {
      s.changed();
      assertThat(firstStarted.await(5, TimeUnit.SECONDS)).isTrue();
      for (int i = 1; i <= 100; i++) {
        version.set(i);
        s.changed(); // what the VRRP timer thread calls: must never wait for the writer
      }
      release.countDown();
    } finally {
      s.close(); // finishes the pending write
    }
    assertThat(Files.readString(status)).isEqualTo("{\"v\":100}\n");
    assertThat(calls.get()).as("100 changes during one stuck write are written once after it").isEqualTo(2);
  }

  private List<Path> leftovers() throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
    }
  }
}
