package io.lbkit.checks.internal;

import io.lbkit.checks.CheckResult;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * SMTP_CHECK as keepalived does it: a 2xx banner, {@code HELO name} answered 2xx, then
 * {@code QUIT}. Multi-line replies ({@code 250-...}) are read to their last line. Pure.
 */
final class SmtpDialog implements Dialog {
  private static final int MAX_LINE = 4096;

  private enum State { BANNER, HELO, QUIT }

  private final String heloName;
  private final StringBuilder line = new StringBuilder();
  private State state = State.BANNER;
  private ByteBuffer out;

  SmtpDialog(String heloName) {
    this.heloName = heloName;
  }

  @Override
  public ByteBuffer onOpen() {
    return null;
  }

  @Override
  public CheckResult onData(ByteBuffer data) {
    while (data.hasRemaining()) {
      char c = (char) (data.get() & 0xff);
      if (c != '\n') {
        if (line.length() >= MAX_LINE) {
          return CheckResult.down("SMTP reply line longer than " + MAX_LINE + " bytes");
        }
        line.append(c);
        continue;
      }
      String l = line.toString().strip();
      line.setLength(0);
      if (l.length() < 3 || !l.substring(0, 3).matches("\\d{3}")) {
        return CheckResult.down("malformed SMTP reply: \"" + l + "\"");
      }
      if (l.length() > 3 && l.charAt(3) == '-') {
        continue; // a continuation line: the last line carries the verdict
      }
      CheckResult r = reply(l);
      if (r != null) {
        return r;
      }
    }
    return null;
  }

  private CheckResult reply(String l) {
    boolean ok = l.charAt(0) == '2';
    switch (state) {
      case BANNER -> {
        if (!ok) {
          return CheckResult.down("SMTP banner " + l);
        }
        state = State.HELO;
        out = ByteBuffer.wrap(("HELO " + heloName + "\r\n").getBytes(StandardCharsets.US_ASCII));
        return null;
      }
      case HELO -> {
        if (!ok) {
          return CheckResult.down("SMTP HELO answered " + l);
        }
        state = State.QUIT;
        out = ByteBuffer.wrap("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
        return null;
      }
      default -> {
        return CheckResult.up("SMTP HELO accepted");
      }
    }
  }

  @Override
  public ByteBuffer pendingOutput() {
    ByteBuffer o = out;
    out = null;
    return o;
  }

  @Override
  public CheckResult onEof() {
    return state == State.QUIT ? CheckResult.up("SMTP HELO accepted")
        : CheckResult.down("connection closed " + phase());
  }

  @Override
  public String phase() {
    return switch (state) {
      case BANNER -> "waiting for the SMTP banner";
      case HELO -> "waiting for the HELO reply";
      case QUIT -> "waiting for the QUIT reply";
    };
  }
}
