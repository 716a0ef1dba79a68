package io.lbkit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.lbkit.api.LoadBalancerStatus;
import io.lbkit.api.Protocol;
import io.lbkit.api.RealServerKey;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.ServiceView;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** lbctl run's control socket against clients that misbehave and files in its way. */
class ControlSocketTest {
  private InProcessLbctl lbctl;
  @TempDir Path dir;

  @BeforeEach
  void lbctl() {
    lbctl = new InProcessLbctl(dir);
  }

  /** A status whose answer (about 1 MB) is far larger than a unix socket's buffer. */
  static LoadBalancerStatus large() {
    try {
      ServiceKey vs = ServiceKey.of(Protocol.TCP, InetAddress.getByName("192.168.0.200"), 80);
      List<ServiceView.RealView> reals = new ArrayList<>();
      for (int i = 0; i < 6000; i++) {
        reals.add(new ServiceView.RealView(RealServerKey.of("10." + (i >> 8 & 255) + "." + (i & 255) + ".1", 8080),
            true, 1, "HTTP 200 after a long and detailed check"));
      }
      return new LoadBalancerStatus(Map.of(), List.of(new ServiceView(vs, true, 6000, false, reals)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** lbctl status with a 10 s deadline: a server stuck on a mute client would never answer (2 s ran out at load 44). */
  int status(Path socket) {
    return lbctl.run("status", "--socket", socket.toString(), "--timeout", "10", "--json");
  }

  static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void serve_clientThatConnectsAndNeverReads_othersStillAnswered() throws Exception {
    Path p = dir.resolve("big.sock");
    LoadBalancerStatus big = large();
    try (ControlSocket s = ControlSocket.open(p, () -> big);
        SocketChannel mute = SocketChannel.open(UnixDomainSocketAddress.of(p))) {
      assertThat(mute.isConnected()).isTrue(); // never reads: its answer fills the socket buffer
      assertThat(status(p)).as(lbctl.err()).isZero();
      assertThat(lbctl.out()).startsWith("{").endsWith("}\n");
    }
  }

  @Test
  void open_setsItsOwnModes_socket0600_createdDirectories0700() throws Exception {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx")); // not lbctl's to change
    Path p = dir.resolve("a/b/x.sock");
    try (ControlSocket s = ControlSocket.open(p, StatusCommandTest::fixed)) {
      assertThat(mode(p)).isEqualTo("rw-------");
      assertThat(mode(dir.resolve("a"))).isEqualTo("rwx------");
      assertThat(mode(dir.resolve("a/b"))).isEqualTo("rwx------");
      assertThat(Files.getOwner(p)).isEqualTo(Files.getOwner(dir));
      assertThat(mode(dir)).isEqualTo("rwxrwxrwx");
    }
  }

  @Test
  void open_regularFileAtPath_refusedNamingIt_fileUntouched() throws Exception {
    Path p = Files.writeString(dir.resolve("x.sock"), "precious\n");
    Throwable t = catchThrowable(() -> ControlSocket.open(p, StatusCommandTest::fixed));
    assertThat(t).hasMessage(p + ": is a regular file, not a socket; not replaced (remove it, or give another "
        + "--control PATH)");
    assertThat(Files.readString(p)).isEqualTo("precious\n");
  }

  @Test
  void open_symlinkAtPath_refused_notFollowed() throws Exception {
    Path victim = Files.writeString(dir.resolve("victim"), "precious\n");
    Path p = Files.createSymbolicLink(dir.resolve("x.sock"), victim);
    Throwable t = catchThrowable(() -> ControlSocket.open(p, StatusCommandTest::fixed));
    assertThat(t).hasMessageContaining(p + ": is a symbolic link, not a socket; not replaced");
    assertThat(Files.isSymbolicLink(p)).isTrue();
    assertThat(Files.readString(victim)).isEqualTo("precious\n");
  }

  @Test
  void open_liveSocket_refusedAsServedByAnother_staleOneReplaced() throws Exception {
    Path p = dir.resolve("x.sock");
    try (ServerSocketChannel old = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      old.bind(UnixDomainSocketAddress.of(p));
    } // closed: the file stays, nobody listens
    try (ControlSocket s = ControlSocket.open(p, StatusCommandTest::fixed)) {
      assertThat(catchThrowable(() -> ControlSocket.open(p, StatusCommandTest::fixed)))
          .hasMessage("another lbctl run serves " + p);
      assertThat(status(p)).isZero();
    }
  }
}
