package io.lbkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.LoadBalancerStatus;
import io.lbkit.api.Protocol;
import io.lbkit.api.RealServerKey;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.ServiceView;
import io.lbkit.api.vrrp.Failover;
import io.lbkit.api.vrrp.VrrpState;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** lbctl status against a real control socket served in this JVM (no root needed). */
class StatusCommandTest {
  private InProcessLbctl lbctl;
  @TempDir Path dir;

  @BeforeEach
  void lbctl() {
    lbctl = new InProcessLbctl(dir);
  }

  static LoadBalancerStatus seedStatus(VrrpState state, boolean rs1Up) throws Exception {
    ServiceKey vs = ServiceKey.of(Protocol.TCP, InetAddress.getByName("192.168.0.200"), 80);
    return new LoadBalancerStatus(Map.of("V_W", new Failover.InstanceStatus(state, 101)),
        List.of(new ServiceView(vs, true, rs1Up ? 2 : 1, false, List.of(
            new ServiceView.RealView(RealServerKey.of("192.168.0.61", 80), rs1Up, rs1Up ? 1 : 0,
                rs1Up ? "HTTP 200" : "connection refused"),
            new ServiceView.RealView(RealServerKey.of("192.168.0.62", 80), true, 1, "HTTP 200")))));
  }

  static LoadBalancerStatus fixed() {
    try {
      return seedStatus(VrrpState.BACKUP, true);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  int status(String... args) throws Exception {
    String[] all = new String[args.length + 1];
    all[0] = "status";
    System.arraycopy(args, 0, all, 1, args.length);
    return lbctl.run(all);
  }

  @Test
  void status_onlySocket_printsVrrpStateAndEachRealServersHealthWeightAndLastCheck() throws Exception {
    try (ControlSocket s = ControlSocket.open(dir.resolve("dir1.sock"), () -> {
      try {
        return seedStatus(VrrpState.MASTER, false);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    })) {
      assertThat(status()).as(lbctl.err()).isZero();
    }
    assertThat(lbctl.out()).contains("V_W", "MASTER", "101", "TCP 192.168.0.200:80  quorum up, live weight 1")
        .containsPattern("192\\.168\\.0\\.61:80 +DOWN +0 +connection refused")
        .containsPattern("192\\.168\\.0\\.62:80 +UP +1 +HTTP 200");
  }

  @Test
  void status_json_isTheStatusJsonOfTheRunningLoadBalancer_andFollowsItsChanges() throws Exception {
    AtomicReference<LoadBalancerStatus> now = new AtomicReference<>(seedStatus(VrrpState.BACKUP, true));
    try (ControlSocket s = ControlSocket.open(dir.resolve("dir1.sock"), now::get)) {
      assertThat(status("dir1", "--json")).isZero();
      assertThat(lbctl.out()).isEqualTo(seedStatus(VrrpState.BACKUP, true).toJson() + "\n");
      lbctl.reset();
      now.set(seedStatus(VrrpState.MASTER, false));
      assertThat(status("--socket", s.path().toString(), "--json")).isZero();
      assertThat(lbctl.out()).contains("\"state\":\"MASTER\"", "\"up\":false,\"weight\":0,\"reason\":\"connection refused\"");
    }
    assertThat(dir.resolve("dir1.sock")).as("socket removed on close").doesNotExist();
  }

  @Test
  void status_noSocket_saysNoLbctlRunListening_exit1() throws Exception {
    assertThat(status()).isEqualTo(1);
    assertThat(lbctl.err()).isEqualTo("lbctl status: no lbctl run is listening in " + dir + " (no *.sock there): is `lbctl "
        + "run` running? (with --control PATH, ask it with --socket PATH)\n");
  }

  @Test
  void status_twoSockets_namesThem_exit1() throws Exception {
    try (ControlSocket a = ControlSocket.open(dir.resolve("dir1.sock"), StatusCommandTest::fixed);
        ControlSocket b = ControlSocket.open(dir.resolve("dir2.sock"), StatusCommandTest::fixed)) {
      assertThat(status()).isEqualTo(1);
    }
    assertThat(lbctl.err()).contains("2 lbctl runs listen in", "(dir1, dir2); name one");
  }

  @Test
  void status_unknownName_saysNoSuchSocket() throws Exception {
    assertThat(status("nope")).isEqualTo(1);
    assertThat(lbctl.err()).isEqualTo("lbctl status: no lbctl run is serving " + dir.resolve("nope.sock")
        + " (no such socket): is `lbctl run` running with nope.conf?\n");
  }

  @Test
  void status_socketLeftByADeadRun_namesItAndSaysConnectionRefused_exit1() throws Exception {
    Path p = dir.resolve("keepalived.sock");
    try (ServerSocketChannel old = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      old.bind(UnixDomainSocketAddress.of(p));
    } // closed: the file stays, nobody listens
    assertThat(status("keepalived")).isEqualTo(1);
    assertThat(lbctl.err()).isEqualTo("lbctl status: no lbctl run is serving " + p
        + " (connection refused): is `lbctl run` running with keepalived.conf?\n");
  }

  @Test
  void status_nameThatIsAPath_isAUsageError() throws Exception {
    assertThat(status("../etc/x")).isEqualTo(2);
    assertThat(lbctl.err()).contains("not a path").contains("--socket PATH");
  }

  @Test
  void status_listenerThatNeverAnswers_timesOutWithDeadline() throws Exception {
    Path p = dir.resolve("mute.sock");
    try (ServerSocketChannel mute = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      mute.bind(UnixDomainSocketAddress.of(p)); // accepts into the backlog, never writes
      assertThat(status("mute", "--timeout", "0.2")).isEqualTo(1);
    }
    assertThat(lbctl.err()).contains("mute.sock: no answer within 200 ms");
  }

  @Test
  void status_badTimeout_usage2() throws Exception {
    assertThat(status("--timeout", "soon")).isEqualTo(2);
    assertThat(lbctl.err()).contains("Invalid value for option '--timeout': 'soon' is not a double");
    lbctl.reset();
    assertThat(status("--timeout=0")).isEqualTo(2);
    assertThat(lbctl.err()).contains("--timeout 0.0: not a number of seconds in (0, 3600]");
  }

  @Test
  void open_staleSocketFile_isReplaced_liveOneIsRefused() throws Exception {
    Path p = dir.resolve("x.sock");
    try (ServerSocketChannel old = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      old.bind(UnixDomainSocketAddress.of(p));
    } // closed: the file stays, nobody listens
    assertThat(Files.exists(p)).isTrue();
    try (ControlSocket s = ControlSocket.open(p, StatusCommandTest::fixed)) {
      assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> ControlSocket.open(p, StatusCommandTest::fixed)))
          .hasMessage("another lbctl run serves " + p);
    }
  }

  @Test
  void defaultFor_isRunLbkitNameSock() {
    assertThat(ControlSocket.defaultFor("/etc/keepalived/keepalived.conf"))
        .isEqualTo(Path.of("/run/lbkit/keepalived.sock"));
  }
}
