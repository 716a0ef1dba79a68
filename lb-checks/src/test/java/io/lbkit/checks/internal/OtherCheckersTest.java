package io.lbkit.checks.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.check.CheckTarget;
import io.lbkit.api.check.CheckTiming;
import io.lbkit.api.check.DnsCheck;
import io.lbkit.api.check.SmtpCheck;
import io.lbkit.api.check.TcpCheck;
import io.lbkit.api.check.UdpCheck;
import io.lbkit.checks.CheckResult;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** TCP_CHECK, SMTP_CHECK, DNS_CHECK and UDP_CHECK against real responders on 127.0.0.1. */
class OtherCheckersTest {
  static final ProbeHarness H = new ProbeHarness();
  /** For checks that expect a timeout. */
  static final CheckTiming FAST = CheckTiming.DEFAULT.connectTimeout(Duration.ofMillis(400));
  /** For checks that expect an answer: generous, so a loaded machine does not turn it into a timeout. */
  static final CheckTiming ANSWER = CheckTiming.DEFAULT.connectTimeout(Duration.ofSeconds(5));

  @AfterAll
  static void close() {
    H.close();
  }

  @Test
  void tcp_listeningIsUp_closedIsRefused() throws Exception {
    try (LocalServer srv = LocalServer.start((s, in, out) -> in.read())) {
      assertThat(H.run(TcpCheck.create(), srv.port())).isEqualTo(CheckResult.up("connected"));
    }
    assertThat(H.run(new TcpCheck(ANSWER, CheckTarget.REAL_SERVER), LocalServer.closedPort()))
        .isEqualTo(CheckResult.down("connection refused"));
  }

  @Test
  void tcp_connectPortOverridesRealServerPort() throws Exception {
    try (LocalServer srv = LocalServer.start((s, in, out) -> in.read())) {
      TcpCheck c = new TcpCheck(ANSWER, CheckTarget.REAL_SERVER.port(srv.port()));
      assertThat(H.run(c, LocalServer.closedPort()).up()).isTrue();
    }
  }

  static LocalServer smtp(String banner, String heloReply, List<String> got) throws Exception {
    return LocalServer.start((s, in, out) -> {
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
      out.write(banner.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String l;
      while ((l = r.readLine()) != null) {
        got.add(l);
        out.write((l.startsWith("HELO") ? heloReply : "221 bye\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
      }
    });
  }

  @Test
  void smtp_multilineBannerAndHelo_isUp() throws Exception {
    List<String> got = new CopyOnWriteArrayList<>();
    try (LocalServer srv = smtp("220-mx.test ESMTP\r\n220 ready\r\n", "250 mx.test\r\n", got)) {
      CheckResult r = H.run(new SmtpCheck("checker.test", ANSWER, CheckTarget.REAL_SERVER), srv.port());
      assertThat(r).isEqualTo(CheckResult.up("SMTP HELO accepted"));
      assertThat(got.get(0)).isEqualTo("HELO checker.test");
    }
  }

  @Test
  void smtp_badBanner_isDown() throws Exception {
    try (LocalServer srv = smtp("554 no service\r\n", "250 ok\r\n", new CopyOnWriteArrayList<>())) {
      assertThat(H.run(new SmtpCheck("x", ANSWER, CheckTarget.REAL_SERVER), srv.port()).reason())
          .isEqualTo("SMTP banner 554 no service");
    }
  }

  @Test
  void smtp_heloRejected_isDown() throws Exception {
    try (LocalServer srv = smtp("220 ok\r\n", "501 bad helo\r\n", new CopyOnWriteArrayList<>())) {
      assertThat(H.run(new SmtpCheck("x", ANSWER, CheckTarget.REAL_SERVER), srv.port()).reason())
          .isEqualTo("SMTP HELO answered 501 bad helo");
    }
  }

  @Test
  void smtp_silentServer_timesOutWaitingForBanner() throws Exception {
    try (LocalServer srv = LocalServer.start(LocalServer.silentUntilClosed())) {
      assertThat(H.run(new SmtpCheck("x", FAST, CheckTarget.REAL_SERVER), srv.port()).reason())
          .isEqualTo("timeout after 400 ms (waiting for the SMTP banner)");
    }
  }

  /** A UDP responder on 127.0.0.1 answering each datagram with {@code reply(request)} (null = silence). */
  static final class Udp implements AutoCloseable {
    final DatagramSocket sock;
    final Thread thread;

    Udp(UnaryOperator<byte[]> reply) throws Exception {
      sock = new DatagramSocket(0, InetAddress.getLoopbackAddress());
      thread = new Thread(() -> {
        byte[] buf = new byte[2048];
        while (!sock.isClosed()) {
          try {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            sock.receive(p);
            byte[] req = java.util.Arrays.copyOf(p.getData(), p.getLength());
            byte[] out = reply.apply(req);
            if (out != null) {
              sock.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
            }
          } catch (java.io.IOException e) {
            return;
          }
        }
      });
      thread.setDaemon(true);
      thread.start();
    }

    int port() {
      return sock.getLocalPort();
    }

    @Override
    public void close() {
      sock.close();
    }
  }

  static int closedUdpPort() throws Exception {
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** A DNS responder: copies the question, sets QR and {@code rcode}, with {@code answers} answer count. */
  static byte[] dnsReply(byte[] q, int rcode, int answers) {
    ByteBuffer b = ByteBuffer.allocate(q.length + 32).put(q);
    b.putShort(2, (short) (0x8180 | rcode));
    b.putShort(6, (short) answers);
    if (answers > 0) {
      b.putShort((short) 0xc00c).putShort((short) 1).putShort((short) 1).putInt(60).putShort((short) 4)
          .put(new byte[] {127, 0, 0, 1});
    }
    return java.util.Arrays.copyOf(b.array(), b.position());
  }

  @Test
  void dns_answer_isUp_andQueryIsWellFormed() throws Exception {
    List<byte[]> got = new CopyOnWriteArrayList<>();
    try (Udp dns = new Udp(q -> {
      got.add(q);
      return dnsReply(q, 0, 1);
    })) {
      CheckResult r = H.run(new DnsCheck("A", "www.example.com", ANSWER, CheckTarget.REAL_SERVER), dns.port());
      assertThat(r).isEqualTo(CheckResult.up("DNS NOERROR with 1 answer(s)"));
      byte[] q = got.get(0);
      assertThat(java.util.Arrays.copyOfRange(q, 12, q.length)).containsExactly(
          3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0, 0, 1, 0, 1);
    }
  }

  @Test
  void dns_nxdomain_isDown() throws Exception {
    try (Udp dns = new Udp(q -> dnsReply(q, 3, 0))) {
      assertThat(H.run(new DnsCheck("SOA", ".", ANSWER, CheckTarget.REAL_SERVER), dns.port()))
          .isEqualTo(CheckResult.down("DNS NXDOMAIN"));
    }
  }

  @Test
  void dns_noAnswer_isDown() throws Exception {
    try (Udp dns = new Udp(q -> dnsReply(q, 0, 0))) {
      assertThat(H.run(new DnsCheck("AAAA", "x.test", ANSWER, CheckTarget.REAL_SERVER), dns.port()).reason())
          .isEqualTo("DNS reply has no answer");
    }
  }

  @Test
  void dns_silentServer_timesOut_closedPortIsUnreachable() throws Exception {
    try (Udp dns = new Udp(q -> null)) {
      assertThat(H.run(new DnsCheck("A", "x.test", FAST, CheckTarget.REAL_SERVER), dns.port()).reason())
          .isEqualTo("timeout after 400 ms (no reply)");
    }
    assertThat(H.run(new DnsCheck("A", "x.test", ANSWER, CheckTarget.REAL_SERVER), closedUdpPort()).reason())
        .isEqualTo("ICMP port unreachable");
  }

  @Test
  void udp_echoMatchingPatternWithWildcards_isUp_mismatchIsDown() throws Exception {
    try (Udp echo = new Udp(q -> q)) {
      byte[] payload = {(byte) 0xab, 0x12, 0x0f};
      assertThat(H.run(new UdpCheck(payload, true, "ab 1x", ANSWER, CheckTarget.REAL_SERVER), echo.port()).up()).isTrue();
      assertThat(H.run(new UdpCheck(payload, true, "ab 13", ANSWER, CheckTarget.REAL_SERVER), echo.port()).reason())
          .isEqualTo("reply does not match ab 13");
    }
  }

  @Test
  void udp_closedPort_isDownIcmpUnreachable() throws Exception {
    assertThat(H.run(new UdpCheck(new byte[] {1}, false, null, ANSWER, CheckTarget.REAL_SERVER), closedUdpPort()))
        .isEqualTo(CheckResult.down("ICMP port unreachable"));
  }

  @Test
  void udp_silence_isUpWithoutRequireReply_downWithIt() throws Exception {
    try (Udp quiet = new Udp(q -> null)) {
      assertThat(H.run(new UdpCheck(new byte[] {1}, false, null, FAST, CheckTarget.REAL_SERVER), quiet.port()))
          .isEqualTo(CheckResult.up("no ICMP error within 400 ms"));
      assertThat(H.run(new UdpCheck(new byte[] {1}, true, null, FAST, CheckTarget.REAL_SERVER), quiet.port()).reason())
          .isEqualTo("timeout after 400 ms (no reply)");
    }
  }

  @Test
  void hexPattern_parsesKeepalivedFreeFormat() {
    assertThat(HexPattern.parse("Ab12f 3 456 546443123").bytes()).containsExactly(
        0xab, 0x12, 0x0f, 0x03, 0x45, 0x06, 0x54, 0x64, 0x43, 0x12, 0x03);
  }
}
