package io.lbkit.api.ipvs;

/**
 * Connection timeouts in seconds (ipvsadm --set tcp tcpfin udp). In a set request
 * 0 means "leave unchanged".
 *
 * @param tcp established TCP
 * @param tcpFin TCP after FIN
 * @param udp UDP
 */
public record IpvsTimeouts(int tcp, int tcpFin, int udp) {
  /** Linux's defaults: 900 120 300. */
  public static final IpvsTimeouts LINUX_DEFAULT = new IpvsTimeouts(900, 120, 300);

  /** Validates. */
  public IpvsTimeouts {
    if (tcp < 0 || tcpFin < 0 || udp < 0) {
      throw new IllegalArgumentException("timeouts must not be negative: " + tcp + " " + tcpFin + " " + udp);
    }
  }
}
