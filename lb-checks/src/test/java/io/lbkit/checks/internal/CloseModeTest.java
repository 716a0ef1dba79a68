package io.lbkit.checks.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.check.CheckTiming;
import io.lbkit.api.check.HttpCheck;
import io.lbkit.api.check.TcpCheck;
import io.lbkit.checks.CheckResult;
import java.io.InputStream;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * How a check connection ends, seen from a real server on 127.0.0.1 that keeps its side
 * open after answering: a reset (the default) or a FIN (closeWithReset(false), keepalived's
 * way) after a good answer, and a reset after a failure either way.
 */
class CloseModeTest {
  static final CheckTiming ANSWER = CheckTiming.DEFAULT.connectTimeout(Duration.ofSeconds(5));

  /** What the server read after its answer: "eof" (FIN) or "reset" (RST). */
  private static String afterAnswer(boolean resetOnClose, String response, boolean tcpOnly) throws Exception {
    CompletableFuture<String> seen = new CompletableFuture<>();
    try (ProbeHarness h = new ProbeHarness(resetOnClose);
        LocalServer srv = LocalServer.start((sock, in, out) -> {
          if (!tcpOnly) {
            readHead(in);
            out.write(response.getBytes(StandardCharsets.US_ASCII));
            out.flush();
          }
          try {
            seen.complete(in.read() < 0 ? "eof" : "data");
          } catch (SocketException e) {
            seen.complete("reset");
          }
        })) {
      CheckResult r = h.run(tcpOnly ? TcpCheck.create() : HttpCheck.get("/").timing(ANSWER), srv.port());
      String how = seen.get(10, TimeUnit.SECONDS);
      return (r.up() ? "up " : "down ") + how;
    }
  }

  private static void readHead(InputStream in) throws Exception {
    int matched = 0;
    for (int i = 0; i < 64 * 1024 && matched < 4; i++) {
      int c = in.read();
      if (c < 0) {
        return;
      }
      matched = c == "\r\n\r\n".charAt(matched) ? matched + 1 : c == '\r' ? 1 : 0;
    }
  }

  @Test
  void goodAnswer_default_closesWithReset() throws Exception {
    assertThat(afterAnswer(true, "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok", false)).isEqualTo("up reset");
  }

  @Test
  void goodAnswer_withoutReset_closesWithFin() throws Exception {
    assertThat(afterAnswer(false, "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok", false)).isEqualTo("up eof");
  }

  @Test
  void failedAnswer_withoutReset_stillResets() throws Exception {
    assertThat(afterAnswer(false, "HTTP/1.0 503 Busy\r\nContent-Length: 2\r\n\r\nno", false)).isEqualTo("down reset");
  }

  @Test
  void tcpCheck_default_resetsRightAfterConnect() throws Exception {
    assertThat(afterAnswer(true, null, true)).isEqualTo("up reset");
  }

  @Test
  void tcpCheck_withoutReset_closesWithFin() throws Exception {
    assertThat(afterAnswer(false, null, true)).isEqualTo("up eof");
  }
}
