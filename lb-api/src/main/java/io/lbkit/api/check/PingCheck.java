package io.lbkit.api.check;

/**
 * keepalived's PING_CHECK: an ICMP (or ICMPv6) echo must be answered.
 *
 * @param timing timing
 * @param target target
 */
public record PingCheck(CheckTiming timing, CheckTarget target) implements CheckSpec {
  @Override
  public String type() {
    return "PING_CHECK";
  }
}
