package io.lbkit.api.ipvs;

import io.lbkit.api.ServiceKey;
import java.util.List;

/**
 * One service of a kernel dump, with its counters and destinations in the order
 * the kernel returned them.
 *
 * @param service the service's configuration
 * @param stats its counters
 * @param dests its destinations
 */
public record ServiceSnapshot(IpvsService service, IpvsStats stats, List<DestSnapshot> dests) {
  /** Copies the list. */
  public ServiceSnapshot {
    dests = List.copyOf(dests);
  }

  /** The service's key. */
  public ServiceKey key() {
    return service.key();
  }

  /**
   * One destination of a dump.
   *
   * @param dest the destination's configuration
   * @param activeConns active connections
   * @param inactiveConns inactive connections
   * @param persistentConns persistent connection templates
   * @param stats its counters
   */
  public record DestSnapshot(IpvsDest dest, long activeConns, long inactiveConns, long persistentConns,
      IpvsStats stats) {
    /** A destination with zero counters. */
    public static DestSnapshot idle(IpvsDest dest) {
      return new DestSnapshot(dest, 0, 0, 0, IpvsStats.ZERO);
    }
  }
}
