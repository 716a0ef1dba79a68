package io.lbkit.checks.internal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.lbkit.api.check.HttpCheck;
import io.lbkit.checks.CheckResult;
import java.nio.ByteBuffer;

/**
 * Coverage-guided fuzzing of the checkers' pure response parsers: whatever a backend
 * sends, the HTTP and SMTP dialogs end in a verdict with a reason (a down verdict for
 * garbage) and the DNS codec gives a verdict or "not my reply"; nothing throws, nothing
 * hangs. For the dialogs the first input byte is the read size (1 to 256 bytes), the rest
 * is what the server sends, then EOF. No sockets: the I/O engine is not fuzzed here. A
 * normal build replays the committed inputs under {@code DialogFuzzTestInputs/}; with
 * {@code JAZZER_FUZZ=1} it fuzzes (lb-bench/scripts/fuzz.sh).
 */
class DialogFuzzTest {
  private static final HttpDialog.Plan HTTP = new HttpDialog.Plan(
      HttpCheck.Url.of("/").digest("5d41402abc4b2a76b9719d911017c592").regex("hel+o", false), "h:80", "1.1");

  @FuzzTest(maxDuration = "60s")
  void http_anyResponse_endsInAVerdict(byte[] input) {
    verdict(new HttpDialog(HTTP), input);
  }

  @FuzzTest(maxDuration = "60s")
  void smtp_anyReplies_endInAVerdict(byte[] input) {
    verdict(new SmtpDialog("lbkit.test"), input);
  }

  @FuzzTest(maxDuration = "60s")
  void dns_anyReply_isAVerdictOrNotOurs(byte[] input) {
    CheckResult r = DnsCodec.verdict(ByteBuffer.wrap(input), 7);
    if (r != null && (r.reason() == null || r.reason().isBlank())) {
      throw new AssertionError("a DNS verdict without a reason: " + r);
    }
  }

  private static void verdict(Dialog d, byte[] input) {
    if (input.length == 0) {
      return;
    }
    int chunk = (input[0] & 0xff) + 1;
    d.onOpen();
    CheckResult r = null;
    for (int i = 1; i < input.length && r == null; i += chunk) {
      r = d.onData(ByteBuffer.wrap(input, i, Math.min(chunk, input.length - i)).slice());
      d.pendingOutput();
    }
    if (r == null) {
      r = d.onEof();
    }
    if (r == null || r.reason() == null || r.reason().isBlank()) {
      throw new AssertionError("no verdict with a reason after EOF in phase " + d.phase() + ": " + r);
    }
  }
}
