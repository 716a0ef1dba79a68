package io.lbkit.api.check;

/**
 * keepalived's TCP_CHECK: up when a TCP connection opens within the timeout.
 *
 * @param timing timing
 * @param target target
 */
public record TcpCheck(CheckTiming timing, CheckTarget target) implements CheckSpec {
  /** A TCP check with keepalived's defaults. */
  public static TcpCheck create() {
    return new TcpCheck(CheckTiming.DEFAULT, CheckTarget.REAL_SERVER);
  }

  @Override
  public String type() {
    return "TCP_CHECK";
  }
}
