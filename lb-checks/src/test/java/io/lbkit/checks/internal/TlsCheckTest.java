package io.lbkit.checks.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.check.CheckTarget;
import io.lbkit.api.check.CheckTiming;
import io.lbkit.api.check.HttpCheck;
import io.lbkit.checks.CheckResult;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SSL_GET against an HTTPS server whose self-signed certificate keytool makes at test time. */
class TlsCheckTest {
  static final ProbeHarness H = new ProbeHarness();
  /**
   * For checks that expect an answer: a handshake on a cold JVM of a loaded machine can take
   * seconds, and a timeout would then hide the verdict the test is about.
   */
  static final CheckTiming ANSWER = CheckTiming.DEFAULT.connectTimeout(Duration.ofSeconds(10));
  @TempDir
  static Path dir;
  static SSLContext server;
  static Path ownCa;
  static Path otherCa;

  @BeforeAll
  static void certificates() throws Exception {
    server = serverContext(keytool("srv"));
    ownCa = exportPem("srv");
    keytool("other");
    otherCa = exportPem("other");
  }

  @AfterAll
  static void close() {
    H.close();
  }

  static Path keytool(String alias) throws Exception {
    Path ks = dir.resolve(alias + ".p12");
    exec("keytool", "-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
        "CN=localhost", "-validity", "2", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-keystore", ks.toString(),
        "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit");
    return ks;
  }

  static Path exportPem(String alias) throws Exception {
    Path pem = dir.resolve(alias + ".pem");
    exec("keytool", "-exportcert", "-rfc", "-alias", alias, "-keystore", dir.resolve(alias + ".p12").toString(),
        "-storepass", "changeit", "-file", pem.toString());
    return pem;
  }

  static void exec(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("keytool finished").isTrue();
    assertThat(p.exitValue()).as(out).isZero();
  }

  static SSLContext serverContext(Path p12) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(p12)) {
      ks.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "changeit".toCharArray());
    SSLContext c = SSLContext.getInstance("TLS");
    c.init(kmf.getKeyManagers(), null, null);
    return c;
  }

  static HttpCheck ssl(HttpCheck.Url url, String sni, String ca) {
    return new HttpCheck(true, List.of(url), null, "1.0", sni, ca, ANSWER, CheckTarget.REAL_SERVER);
  }

  @Test
  void selfSigned_withoutVerification_isUp_andSendsSni() throws Exception {
    List<String> sni = new CopyOnWriteArrayList<>();
    LocalServer[] s = new LocalServer[1];
    LocalServer.Behaviour http = LocalServer.http(s, 200, "secure\n");
    try (LocalServer srv = s[0] = LocalServer.startTls(server, (sock, in, out) -> {
      ((SSLSocket) sock).startHandshake();
      ((ExtendedSSLSession) ((SSLSocket) sock).getSession()).getRequestedServerNames()
          .forEach(n -> sni.add(new String(n.getEncoded(), StandardCharsets.US_ASCII)));
      http.serve(sock, in, out);
    })) {
      CheckResult r = H.run(ssl(HttpCheck.Url.of("/").digest(HttpCheckTest.md5("secure\n")), "www.example.com", null),
          srv.port());
      assertThat(r.up()).as(r.reason()).isTrue();
      assertThat(sni).containsExactly("www.example.com");
    }
  }

  @Test
  void verifiedAgainstItsCa_isUp() throws Exception {
    LocalServer[] s = new LocalServer[1];
    try (LocalServer srv = s[0] = LocalServer.startTls(server, LocalServer.http(s, 200, "ok"))) {
      CheckResult r = H.run(ssl(HttpCheck.Url.of("/"), null, ownCa.toString()), srv.port());
      assertThat(r.up()).as(r.reason()).isTrue();
    }
  }

  @Test
  void wrongCa_isDownTlsHandshakeFailed() throws Exception {
    LocalServer[] s = new LocalServer[1];
    try (LocalServer srv = s[0] = LocalServer.startTls(server, LocalServer.http(s, 200, "ok"))) {
      CheckResult r = H.run(ssl(HttpCheck.Url.of("/"), null, otherCa.toString()), srv.port());
      assertThat(r.up()).isFalse();
      assertThat(r.reason()).startsWith("TLS handshake failed: ").contains("PKIX");
    }
  }

  @Test
  void plainHttpServer_isDownTlsHandshakeFailed() throws Exception {
    try (LocalServer srv = LocalServer.start((sock, in, out) -> {
      out.write("HTTP/1.0 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      LocalServer.holdUntilClosed(sock, in); // still open when a late checker reads the answer
    })) {
      CheckResult r = H.run(ssl(HttpCheck.Url.of("/"), null, null), srv.port());
      assertThat(r.up()).isFalse();
      assertThat(r.reason()).startsWith("TLS handshake failed: ");
    }
  }

  @Test
  void silentServer_timesOutInHandshake() throws Exception {
    try (LocalServer srv = LocalServer.start(LocalServer.silentUntilClosed())) {
      HttpCheck c = ssl(HttpCheck.Url.of("/"), null, null).timing(ANSWER.connectTimeout(Duration.ofMillis(300)));
      assertThat(H.run(c, srv.port()).reason()).isEqualTo("timeout after 300 ms (TLS handshake)");
    }
  }

  @Test
  void wrongStatusOverTls_isDown() throws Exception {
    LocalServer[] s = new LocalServer[1];
    try (LocalServer srv = s[0] = LocalServer.startTls(server, LocalServer.http(s, 500, "err"))) {
      assertThat(H.run(ssl(HttpCheck.Url.of("/"), null, null), srv.port()).reason()).isEqualTo("status 500 on /");
    }
  }
}
