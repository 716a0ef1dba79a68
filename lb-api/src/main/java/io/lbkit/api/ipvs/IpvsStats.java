package io.lbkit.api.ipvs;

/**
 * Traffic counters and rates of a service or destination (IPVS_STATS_ATTR_* /
 * stats64).
 *
 * @param conns connections scheduled
 * @param inPackets packets in
 * @param outPackets packets out
 * @param inBytes bytes in
 * @param outBytes bytes out
 * @param cps connections per second
 * @param inPps packets in per second
 * @param outPps packets out per second
 * @param inBps bytes in per second
 * @param outBps bytes out per second
 */
public record IpvsStats(long conns, long inPackets, long outPackets, long inBytes, long outBytes, long cps,
    long inPps, long outPps, long inBps, long outBps) {
  /** All zero. */
  public static final IpvsStats ZERO = new IpvsStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}
