package io.lbkit.api.net;

import io.lbkit.api.net.Inet;
import java.net.InetAddress;
import java.util.Objects;

/**
 * A route, as keepalived's static_routes and virtual_routes describe them.
 *
 * @param destination destination network address
 * @param prefixLength its prefix length
 * @param gateway next hop, or null for a device route
 * @param interfaceName output device, or null
 * @param source preferred source address, or null
 * @param metric priority (0 = default)
 * @param table routing table (254 = main)
 * @param scope RT_SCOPE_* (0 universe, 253 link)
 */
public record Route(InetAddress destination, int prefixLength, InetAddress gateway, String interfaceName,
    InetAddress source, int metric, int table, int scope) {

  /** The main routing table. */
  public static final int TABLE_MAIN = 254;

  /** Validates. */
  public Route {
    Objects.requireNonNull(destination, "destination");
    if (gateway == null && interfaceName == null) {
      throw new IllegalArgumentException("route to " + Inet.format(destination) + " needs a gateway or a device");
    }
    if (table < 1 || metric < 0) {
      throw new IllegalArgumentException("invalid route table/metric: " + table + "/" + metric);
    }
  }

  /** A main-table route via a gateway. */
  public static Route via(String cidr, String gateway) {
    IfAddress d = IfAddress.parse(cidr);
    return new Route(d.address(), d.prefixLength(), Inet.parse(gateway), null, null, 0, TABLE_MAIN, 0);
  }

  /** A main-table device route. */
  public static Route dev(String cidr, String interfaceName) {
    IfAddress d = IfAddress.parse(cidr);
    return new Route(d.address(), d.prefixLength(), null, interfaceName, null, 0, TABLE_MAIN, 253);
  }
}
