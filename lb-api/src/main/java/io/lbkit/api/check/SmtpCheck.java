package io.lbkit.api.check;

/**
 * keepalived's SMTP_CHECK: read a 2xx banner, send HELO, expect 2xx.
 *
 * @param heloName the HELO name (keepalived default: the host name)
 * @param timing timing
 * @param target target
 */
public record SmtpCheck(String heloName, CheckTiming timing, CheckTarget target) implements CheckSpec {
  @Override
  public String type() {
    return "SMTP_CHECK";
  }
}
