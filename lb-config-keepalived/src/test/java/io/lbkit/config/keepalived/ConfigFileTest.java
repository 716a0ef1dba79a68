package io.lbkit.config.keepalived;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files that would hang or flood a naive reader are refused at once, top-level and
 * included. The timeouts are hang guards, not speed tests.
 */
class ConfigFileTest {
  static final Duration HANG_GUARD = Duration.ofSeconds(30);
  @TempDir Path dir;

  static Path fifo(Path p) throws Exception {
    Process mk = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
    assertThat(mk.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(mk.exitValue()).isZero();
    return p;
  }

  static IOException refusal(Path p) {
    return assertTimeoutPreemptively(HANG_GUARD, () -> {
      try {
        KeepalivedConfig.parse(p);
      } catch (IOException e) {
        return e;
      }
      throw new AssertionError("parsed " + p);
    });
  }

  @Test
  void devZero_isRefusedAsACharacterDevice_unread() {
    assertThat(refusal(Path.of("/dev/zero"))).hasMessage("is a character device, not a regular file");
  }

  @Test
  void fifo_isRefusedWithoutOpeningIt() throws Exception {
    assertThat(refusal(fifo(dir.resolve("pipe.conf")))).hasMessage("is a FIFO, not a regular file");
  }

  @Test
  void directory_isRefused() {
    assertThat(refusal(dir)).hasMessage("is a directory, not a regular file");
  }

  @Test
  void binaryFile_isRefusedAsBinary_withoutReadingItAll() throws Exception {
    byte[] b = new byte[5 << 20];
    new java.util.Random(7).nextBytes(b);
    b[100] = 0;
    Path p = Files.write(dir.resolve("blob.conf"), b);
    assertThat(refusal(p)).hasMessageStartingWith("binary file (NUL byte at offset");
  }

  @Test
  void controlBytesWithoutNul_areBinaryToo() throws Exception {
    Path p = Files.write(dir.resolve("ctl.conf"), "\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000e\u000f"
        .repeat(3).getBytes(StandardCharsets.US_ASCII));
    assertThat(refusal(p)).hasMessageContaining("control bytes or invalid UTF-8");
  }

  @Test
  void latin1Comment_isStillText() throws Exception {
    Path p = Files.write(dir.resolve("l1.conf"),
        "# caf\u00e9 r\u00e9seau\nvirtual_server 10.0.0.1 80 {\n lvs_sched rr\n}\n".getBytes(StandardCharsets.ISO_8859_1));
    assertThat(KeepalivedConfig.parse(p).spec().virtualServices()).hasSize(1);
  }

  @Test
  void fileOver16MiB_isRefusedBySize() throws Exception {
    Path p = dir.resolve("big.conf");
    try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
      f.setLength(ConfigFile.MAX_BYTES + 1); // sparse: no 16 MiB written
    }
    assertThat(refusal(p)).hasMessageStartingWith("larger than 16 MiB");
  }

  @Test
  void includeOfAFifoOrDevZero_isSkippedWithAWarning_likeKeepalived() throws Exception {
    fifo(dir.resolve("pipe.inc"));
    Path main = Files.writeString(dir.resolve("main.conf"),
        "include pipe.inc\ninclude /dev/zero\nvirtual_server 10.0.0.1 80 {\n lvs_sched rr\n}\n");
    KeepalivedConfig c = assertTimeoutPreemptively(HANG_GUARD, () -> KeepalivedConfig.parse(main));
    assertThat(c.diagnostics()).filteredOn(d -> !d.message().contains("has no real_server"))
        .extracting(Diagnostic::format).containsExactly(
        main + ":1: warning: cannot read included file " + dir.resolve("pipe.inc") + ": is a FIFO, not a regular file",
        main + ":2: warning: cannot read included file /dev/zero: is a character device, not a regular file");
    assertThat(c.spec().virtualServices()).hasSize(1);
  }

  @Test
  void strictIncludeOfAFifo_isAnError() throws Exception {
    fifo(dir.resolve("pipe.inc"));
    KeepalivedConfig c = assertTimeoutPreemptively(HANG_GUARD,
        () -> KeepalivedConfig.parse("includea pipe.inc\n", "x.conf", dir, KeepalivedConfig.Options.defaults()));
    assertThat(c.hasErrors()).isTrue();
  }

  @Test
  void aFileThatBlocks_costsTheReadDeadline_notAHang() throws Exception {
    // reading a FIFO nobody writes blocks in open(): the deadline gives up on it
    Path p = fifo(dir.resolve("stuck"));
    try {
      assertThatThrownBy(() -> assertTimeoutPreemptively(HANG_GUARD,
          () -> ConfigFile.readWithinForTest(p, Duration.ofMillis(200))))
          .isInstanceOf(IOException.class).hasMessageContaining("not read within 200 ms");
    } finally {
      // let the abandoned reader go: a writer opens and closes the FIFO, the reader sees EOF
      new RandomAccessFile(p.toFile(), "rw").close();
    }
  }
}
