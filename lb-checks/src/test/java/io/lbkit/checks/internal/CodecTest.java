package io.lbkit.checks.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.check.HttpCheck;
import io.lbkit.checks.CheckResult;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The pure halves of the checkers, on byte vectors: HTTP response parsing, DNS, SMTP. */
class CodecTest {
  static final String CHUNKED = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n";

  static CheckResult feed(HttpDialog d, String response, int chunk) {
    byte[] b = response.getBytes(StandardCharsets.ISO_8859_1);
    for (int i = 0; i < b.length; i += chunk) {
      ByteBuffer in = ByteBuffer.wrap(b, i, Math.min(chunk, b.length - i)).slice();
      CheckResult r = d.onData(in);
      if (r != null) {
        return r;
      }
    }
    return d.onEof();
  }

  static HttpDialog dialog(HttpCheck.Url url) {
    return new HttpDialog(url, "h:80", "1.0");
  }

  @Property(tries = 50)
  void http_sameVerdictHowEverTheBytesAreSplit(@ForAll @IntRange(min = 1, max = 80) int chunk) {
    // genhash hashes the raw body, chunk framing included: 79e9489e... is md5("5\r\nhello\r\n0\r\n\r\n")
    HttpCheck.Url url = HttpCheck.Url.of("/").digest("79e9489e3bd3f0cb0158215341de046d");
    assertThat(feed(dialog(url), CHUNKED, chunk)).isEqualTo(CheckResult.up("status 200 on /"));
  }

  @Test
  void http_contentLength_endsTheBodyWithoutWaitingForClose() {
    HttpDialog d = dialog(HttpCheck.Url.of("/").digest("5d41402abc4b2a76b9719d911017c592"));
    CheckResult r = d.onData(ByteBuffer.wrap("HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nhelloEXTRA".getBytes(
        StandardCharsets.US_ASCII)));
    assertThat(r).isEqualTo(CheckResult.up("status 200 on /"));
  }

  @Test
  void http_malformedStatusLine_isDownQuotingIt() {
    assertThat(feed(dialog(HttpCheck.Url.of("/")), "SSH-2.0-OpenSSH_9.2\r\n\r\n", 100).reason())
        .isEqualTo("malformed status line: \"SSH-2.0-OpenSSH_9.2\"");
  }

  @Test
  void http_endlessHeader_isDownAtTheLimit() {
    String huge = "HTTP/1.0 200 OK\r\nX: " + "a".repeat(HttpDialog.MAX_HEADER) + "\r\n\r\n";
    assertThat(feed(dialog(HttpCheck.Url.of("/")), huge, 4096).reason())
        .isEqualTo("response header longer than " + HttpDialog.MAX_HEADER + " bytes");
  }

  @Test
  void http_badContentLength_isDown() {
    assertThat(feed(dialog(HttpCheck.Url.of("/")), "HTTP/1.0 200 OK\r\nContent-Length: x\r\n\r\n", 100).reason())
        .isEqualTo("bad Content-Length: \"Content-Length: x\"");
  }

  @Test
  void http_request_isKeepalivedsForEachProtocol() {
    assertThat(HttpDialog.request("/p", "h:1", "1.0"))
        .isEqualTo("GET /p HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\nHost: h:1\r\n\r\n");
    assertThat(HttpDialog.request("/p", "h:1", "1.0c"))
        .isEqualTo("GET /p HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\nConnection: close\r\nHost: h:1\r\n\r\n");
    assertThat(HttpDialog.request("/p", "h", "1.1"))
        .isEqualTo("GET /p HTTP/1.1\r\nUser-Agent: KeepAliveClient\r\nConnection: close\r\nHost: h\r\n\r\n");
  }

  @Test
  void dns_query_encodesRootAndNames() {
    byte[] root = DnsCodec.query(0x1234, ".", DnsCodec.type("SOA"));
    assertThat(root).containsExactly(0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 6, 0, 1);
  }

  @Test
  void dns_verdict_ignoresOtherIdsAndQueries_rejectsTruncated() {
    byte[] q = DnsCodec.query(7, "a.test", 1);
    assertThat(DnsCodec.verdict(ByteBuffer.wrap(q), 7)).as("a query (QR=0) is not a reply").isNull();
    byte[] reply = OtherCheckersTest.dnsReply(q, 0, 1);
    assertThat(DnsCodec.verdict(ByteBuffer.wrap(reply), 8)).as("another id").isNull();
    assertThat(DnsCodec.verdict(ByteBuffer.wrap(reply), 7).up()).isTrue();
    assertThat(DnsCodec.verdict(ByteBuffer.wrap(reply, 0, 5).slice(), 7).reason())
        .isEqualTo("DNS reply shorter than a header (5 bytes)");
    assertThat(DnsCodec.verdict(ByteBuffer.wrap(OtherCheckersTest.dnsReply(q, 2, 0)), 7).reason())
        .isEqualTo("DNS SERVFAIL");
  }

  @Test
  void dns_unknownType_isRejectedNamingIt() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> DnsCodec.type("BOGUS"))
        .hasMessageContaining("\"BOGUS\"");
  }

  @Test
  void smtp_garbage_isDownQuotingIt() {
    SmtpDialog d = new SmtpDialog("x");
    assertThat(d.onData(ByteBuffer.wrap("hello there\r\n".getBytes(StandardCharsets.US_ASCII))).reason())
        .isEqualTo("malformed SMTP reply: \"hello there\"");
  }

  @Test
  void misc_exitCodes_followKeepalived() {
    assertThat(List.of(BlockingRunner.verdict(0, true), BlockingRunner.verdict(1, true), BlockingRunner.verdict(2, true),
        BlockingRunner.verdict(255, true), BlockingRunner.verdict(2, false))).containsExactly(
        CheckResult.up("exit 0"), CheckResult.down("exit 1"), CheckResult.upWithWeight(0, "exit 2: weight 0"),
        CheckResult.upWithWeight(253, "exit 255: weight 253"), CheckResult.down("exit 2"));
  }
}
