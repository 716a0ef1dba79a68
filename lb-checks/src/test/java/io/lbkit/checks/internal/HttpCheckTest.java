package io.lbkit.checks.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.check.CheckTiming;
import io.lbkit.api.check.HttpCheck;
import io.lbkit.checks.CheckResult;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** HTTP_GET against real servers on 127.0.0.1, one failure mode per test. */
class HttpCheckTest {
  static final ProbeHarness H = new ProbeHarness();
  /** For checks that expect a timeout. */
  static final CheckTiming FAST = CheckTiming.DEFAULT.connectTimeout(Duration.ofMillis(400));
  /**
   * For checks that must time out while reading a body: the server writes the header at once, but
   * on a loaded machine (or in a GC pause of this JVM, which runs both ends) its thread can be late
   * by more than 400 ms, and the checker would then time out still waiting for the response.
   */
  static final CheckTiming BODY = CheckTiming.DEFAULT.connectTimeout(Duration.ofSeconds(2));
  /** For checks that expect an answer: generous, so a loaded machine does not turn it into a timeout. */
  static final CheckTiming ANSWER = CheckTiming.DEFAULT.connectTimeout(Duration.ofSeconds(5));

  @AfterAll
  static void close() {
    H.close();
  }

  static String md5(String s) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.ISO_8859_1)));
  }

  @Test
  void status200_isUp_andRequestIsKeepalivedsBytes() throws Exception {
    LocalServer[] s = new LocalServer[1];
    try (LocalServer srv = s[0] = LocalServer.start(LocalServer.http(s, 200, "ok"))) {
      CheckResult r = H.run(HttpCheck.get("/health"), srv.port());
      assertThat(r.up()).as(r.reason()).isTrue();
      assertThat(srv.requests).containsExactly("GET /health HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\nHost: 127.0.0.1:"
          + srv.port() + "\r\n\r\n");
    }
  }

  @Test
  void http11WithVirtualHost_sendsConnectionCloseAndHost() throws Exception {
    LocalServer[] s = new LocalServer[1];
    try (LocalServer srv = s[0] = LocalServer.start(LocalServer.http(s, 200, "ok"))) {
      HttpCheck c = new HttpCheck(false, HttpCheck.get("/").urls(), "www.example.com", "1.1", null, null, ANSWER,
          io.lbkit.api.check.CheckTarget.REAL_SERVER);
      assertThat(H.run(c, srv.port()).up()).isTrue();
      assertThat(srv.requests.get(0)).isEqualTo(
          "GET / HTTP/1.1\r\nUser-Agent: KeepAliveClient\r\nConnection: close\r\nHost: www.example.com\r\n\r\n");
    }
  }

  @Test
  void wrongStatus_isDownWithStatus() throws Exception {
    LocalServer[] s = new LocalServer[1];
    try (LocalServer srv = s[0] = LocalServer.start(LocalServer.http(s, 503, "busy"))) {
      CheckResult r = H.run(HttpCheck.get("/"), srv.port());
      assertThat(r.up()).isFalse();
      assertThat(r.reason()).isEqualTo("status 503 on /");
    }
  }

  @Test
  void statusRange_acceptsConfiguredCodeOnly() throws Exception {
    LocalServer[] s = new LocalServer[1];
    try (LocalServer srv = s[0] = LocalServer.start(LocalServer.http(s, 302, ""))) {
      assertThat(H.run(HttpCheck.get("/").status(300, 399).timing(ANSWER), srv.port()).up()).isTrue();
      assertThat(H.run(HttpCheck.get("/").timing(ANSWER), srv.port()).reason()).isEqualTo("status 302 on /");
    }
  }

  private static HttpCheck withUrl(HttpCheck.Url u) {
    return new HttpCheck(false, java.util.List.of(u), null, "1.0", null, null, ANSWER,
        io.lbkit.api.check.CheckTarget.REAL_SERVER);
  }

  @Test
  void digest_matchIsUp_mismatchIsDown() throws Exception {
    LocalServer[] s = new LocalServer[1];
    try (LocalServer srv = s[0] = LocalServer.start(LocalServer.http(s, 200, "hello\n"))) {
      assertThat(H.run(withUrl(HttpCheck.Url.of("/").digest(md5("hello\n"))), srv.port()).up()).isTrue();
      CheckResult bad = H.run(withUrl(HttpCheck.Url.of("/").digest(md5("other"))), srv.port());
      assertThat(bad.up()).isFalse();
      assertThat(bad.reason()).startsWith("digest mismatch on /: got " + md5("hello\n"));
    }
  }

  @Test
  void regex_missIsDown_noMatchInverts() throws Exception {
    LocalServer[] s = new LocalServer[1];
    try (LocalServer srv = s[0] = LocalServer.start(LocalServer.http(s, 200, "status: green"))) {
      assertThat(H.run(withUrl(HttpCheck.Url.of("/").regex("gre+n", false)), srv.port()).up()).isTrue();
      CheckResult miss = H.run(withUrl(HttpCheck.Url.of("/").regex("red", false)), srv.port());
      assertThat(miss.reason()).isEqualTo("regex not matched on /: red");
      assertThat(H.run(withUrl(HttpCheck.Url.of("/").regex("green", true)), srv.port()).reason())
          .isEqualTo("regex matched on /: green");
      assertThat(H.run(withUrl(HttpCheck.Url.of("/").regex("red", true)), srv.port()).up()).isTrue();
    }
  }

  @Test
  void secondUrlFailing_makesCheckDown() throws Exception {
    LocalServer[] s = new LocalServer[1];
    try (LocalServer srv = s[0] = LocalServer.start(LocalServer.http(s, 200, "x"))) {
      HttpCheck c = withUrl(HttpCheck.Url.of("/a")).url(HttpCheck.Url.of("/b").status(201));
      CheckResult r = H.run(c, srv.port());
      assertThat(r.up()).isFalse();
      assertThat(r.reason()).isEqualTo("status 200 on /b");
      assertThat(srv.requests).hasSize(2);
    }
  }

  @Test
  void refused_isDownConnectionRefused() throws Exception {
    CheckResult r = H.run(HttpCheck.get("/").timing(ANSWER), LocalServer.closedPort());
    assertThat(r.up()).isFalse();
    assertThat(r.reason()).isEqualTo("connection refused");
  }

  @Test
  void acceptThenSilence_timesOutWaitingForResponse() throws Exception {
    try (LocalServer srv = LocalServer.start(LocalServer.silentUntilClosed())) {
      long t0 = System.nanoTime();
      CheckResult r = H.run(HttpCheck.get("/x").timing(FAST), srv.port());
      assertThat(r.reason()).isEqualTo("timeout after 400 ms (waiting for the response to /x)");
      // the deadline is the configured one, not one ten times longer (a unit slip): a loose
      // bound, so that a loaded machine's late timer does not fail it
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    }
  }

  @Test
  void slowBodyPastTimeout_timesOutReadingBody() throws Exception {
    try (LocalServer srv = LocalServer.start((sock, in, out) -> {
      out.write("HTTP/1.0 200 OK\r\nContent-Length: 100\r\n\r\nabc".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      LocalServer.holdUntilClosed(sock, in); // the rest never comes, however late the checker is
    })) {
      CheckResult r = H.run(HttpCheck.get("/slow").timing(BODY), srv.port());
      assertThat(r.reason()).isEqualTo("timeout after 2000 ms (reading body of /slow)");
    }
  }

  /**
   * A 1 TiB body arriving as fast as loopback carries it (the director chaos run's "huge"
   * backend): the socket is readable at every turn, yet the deadline still ends the attempt, and
   * with a regex (whose text is kept, up to 1 MiB) or a digest (hashed as it streams) alike. (It
   * was 1 GiB once; a fast machine read that whole in under the 400 ms timeout. The timeout is
   * 2 s now, see {@link #BODY}: 1 TiB at loopback speed still takes minutes.)
   */
  @Test
  void hugeBodyFlowingFast_isCutOffAtTheTimeout_notReadToItsEnd() throws Exception {
    java.util.concurrent.LinkedBlockingQueue<String> sent = new java.util.concurrent.LinkedBlockingQueue<>();
    try (LocalServer srv = LocalServer.start((sock, in, out) -> {
      out.write("HTTP/1.0 200 OK\r\nContent-Length: 1099511627776\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      byte[] chunk = new byte[65536];
      long end = System.nanoTime() + 20_000_000_000L;
      String how = "the sender's 20 s ran out";
      try {
        while (System.nanoTime() < end) {
          out.write(chunk);
        }
      } catch (java.io.IOException closedByTheChecker) {
        how = "closed by the checker";
      } finally {
        sent.add(how);
      }
    })) {
      for (HttpCheck.Url u : java.util.List.of(HttpCheck.Url.of("/big"), HttpCheck.Url.of("/big").regex("never", false),
          HttpCheck.Url.of("/big").digest("0123456789abcdef0123456789abcdef"))) {
        CheckResult r = H.run(withUrl(u).timing(BODY), srv.port());
        assertThat(r.reason()).as(u.toString()).isEqualTo("timeout after 2000 ms (reading body of /big)");
        assertThat(sent.poll(20, java.util.concurrent.TimeUnit.SECONDS)).as("how the server's sending ended")
            .isEqualTo("closed by the checker");
      }
    }
  }

  /**
   * The server reads the request before it answers and resets: had it reset first, a checker
   * still not done sending its request (a loaded machine, 100 ms late) would see the reset on
   * that write, "after 0 bytes (waiting for the response)", not while reading the body.
   */
  @Test
  void resetMidResponse_isDownConnectionReset() throws Exception {
    LocalServer[] s = new LocalServer[1];
    try (LocalServer srv = s[0] = LocalServer.start((sock, in, out) -> {
      s[0].readRequest(in);
      out.write("HTTP/1.0 200 OK\r\nContent-Length: 100\r\n\r\nabc".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      Thread.sleep(100); // either order of the checker's read and the reset gives the same verdict now
      rst(sock);
    })) {
      CheckResult r = H.run(HttpCheck.get("/").timing(ANSWER), srv.port());
      assertThat(r.up()).isFalse();
      assertThat(r.reason()).startsWith("connection reset after ").contains("reading body of /");
    }
  }

  @Test
  void closeBeforeHeader_isDown() throws Exception {
    try (LocalServer srv = LocalServer.start((sock, in, out) -> out.write("HTTP/1.0 20".getBytes(
        StandardCharsets.US_ASCII)))) {
      assertThat(H.run(HttpCheck.get("/").timing(ANSWER), srv.port()).reason())
          .isEqualTo("connection closed before the response header");
    }
  }

  @Test
  void shortBody_isDownTruncated() throws Exception {
    try (LocalServer srv = LocalServer.start((sock, in, out) -> out.write(
        "HTTP/1.0 200 OK\r\nContent-Length: 10\r\n\r\nabc".getBytes(StandardCharsets.US_ASCII)))) {
      assertThat(H.run(HttpCheck.get("/").timing(ANSWER), srv.port()).reason()).isEqualTo("body truncated at 3 of 10 bytes");
    }
  }

  static void rst(Socket s) throws Exception {
    s.setSoLinger(true, 0);
    s.close();
  }
}
