package io.lbkit.api.check;

import java.net.InetAddress;

/**
 * Where a check connects, when not to the real server itself.
 *
 * @param connectIp connect_ip, or null for the real server's address
 * @param connectPort connect_port, or 0 for the real server's port
 * @param bindTo bindto: local source address, or null
 * @param bindPort bind_port: local source port, or 0
 * @param bindInterface bind_if, or null
 * @param fwmark fwmark to set on the check's packets, or 0
 */
public record CheckTarget(InetAddress connectIp, int connectPort, InetAddress bindTo, int bindPort,
    String bindInterface, int fwmark) {

  /** The real server itself. */
  public static final CheckTarget REAL_SERVER = new CheckTarget(null, 0, null, 0, null, 0);

  /** Validates. */
  public CheckTarget {
    if (connectPort < 0 || connectPort > 65535 || bindPort < 0 || bindPort > 65535) {
      throw new IllegalArgumentException("check port out of range 0-65535: " + connectPort + "/" + bindPort);
    }
  }

  /** With connect_port. */
  public CheckTarget port(int p) {
    return new CheckTarget(connectIp, p, bindTo, bindPort, bindInterface, fwmark);
  }

  /** With connect_ip. */
  public CheckTarget ip(InetAddress a) {
    return new CheckTarget(a, connectPort, bindTo, bindPort, bindInterface, fwmark);
  }
}
