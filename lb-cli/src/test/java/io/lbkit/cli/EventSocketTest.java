package io.lbkit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lbkit.api.vrrp.VrrpState;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The event socket and {@code lbctl events}: JSON lines in order, the control socket's file rules, slow readers. */
class EventSocketTest {
  final EventHub hub = new EventHub(() -> Instant.parse("2026-12-06T12:00:00Z"));
  @TempDir Path dir;

  @Test
  void lbctlEvents_printsEachEventAsAJsonLine_inOrder() throws Exception {
    Path path = dir.resolve("run/x.events");
    try (EventSocket s = EventSocket.open(path, hub)) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).isEqualTo("rw-------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path.getParent()))).isEqualTo("rwx------");
      InProcessLbctl lbctl = new InProcessLbctl();
      CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> lbctl.run("events",
          "--socket", path.toString(), "--count", "2"));
      assertThat(RunPair.await(20_000, () -> hub.subscribers() == 1)).isTrue();
      hub.vrrpStateChanged("VI_1", VrrpState.BACKUP, VrrpState.MASTER, "master down timer expired");
      hub.reloadFailed(new IOException("x"));
      assertThat(exit.get(10, TimeUnit.SECONDS)).isZero();
      assertThat(lbctl.out().lines()).containsExactly(
          "{\"seq\":1,\"time\":\"2026-12-06T12:00:00Z\",\"type\":\"vrrp\",\"instance\":\"VI_1\",\"from\":\"BACKUP\","
              + "\"to\":\"MASTER\",\"reason\":\"master down timer expired\"}",
          "{\"seq\":2,\"time\":\"2026-12-06T12:00:00Z\",\"type\":\"reload\",\"result\":\"failure\"}");
    }
    assertThat(path).doesNotExist();
  }

  @Test
  void open_somethingElseAtThePath_refusedAndLeftAlone() throws Exception {
    Path path = Files.writeString(dir.resolve("x.events"), "mine");
    assertThatThrownBy(() -> EventSocket.open(path, hub)).isInstanceOf(IOException.class)
        .hasMessageContaining("not a socket");
    assertThat(Files.readString(path)).isEqualTo("mine");
  }

  @Test
  void readerThatNeverReads_isDropped_publisherNeverWaits() throws Exception {
    Path path = dir.resolve("x.events");
    try (EventSocket s = EventSocket.open(path, hub); SocketChannel stuck = SocketChannel.open(
        UnixDomainSocketAddress.of(path))) {
      assertThat(RunPair.await(20_000, () -> hub.subscribers() == 1)).isTrue();
      String reason = "x".repeat(8192);
      for (int i = 0; i < 2 * EventHub.BACKLOG; i++) {
        hub.vrrpStateChanged("VI_1", VrrpState.BACKUP, VrrpState.MASTER, reason);
      }
      assertThat(RunPair.await(ControlSocket.WRITE_DEADLINE.toMillis() + 5000, () -> hub.subscribers() == 0))
          .as("dropped").isTrue();
    }
  }

  @Test
  void lbctlEvents_nothingListening_exit1NamingTheSocket() {
    InProcessLbctl lbctl = new InProcessLbctl();
    int code = lbctl.run("events", "--socket", dir.resolve("none.events").toString());
    assertThat(code).isEqualTo(1);
    assertThat(lbctl.err()).contains("none.events");
  }
}
