package io.lbkit.fleet;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Set;

/**
 * Announces a director's VIPs to its routers, e.g. {@link FrrAnnouncer} (FRR's bgpd,
 * driven through {@code vtysh}) or {@link GobgpAnnouncer} (GoBGP's gobgpd, through its
 * {@code gobgp} client). A {@link FleetDirector} calls it from one thread with
 * the whole set each time the set changes: a VIP is in it only while the director's
 * dataplane holds the newest valid revision and at least one real server of the VIP is
 * up; the empty set on a graceful stop.
 */
public interface VipAnnouncer extends AutoCloseable {
  /**
   * Makes exactly these VIPs announced (/32 for IPv4, /128 for IPv6), withdrawing the others.
   *
   * @throws IOException if the daemon refused; the director retries at its next change or probe
   */
  void announce(Set<InetAddress> vips) throws IOException;

  /** Releases what the announcer holds (not the daemon itself). */
  @Override
  default void close() throws IOException {}

  /** An announcer that announces nothing (a director without BGP, e.g. behind a static route). */
  static VipAnnouncer none() {
    return vips -> { };
  }
}
