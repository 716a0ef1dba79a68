package io.lbkit.netlink;

import io.lbkit.api.Family;
import io.lbkit.api.kernel.Errno;
import io.lbkit.api.net.AddressManager.Change;
import io.lbkit.api.net.Inet;
import io.lbkit.api.net.Route;
import io.lbkit.api.net.RouteManager;
import io.lbkit.netlink.internal.NetlinkSocket;
import io.lbkit.netlink.rtnl.RouteCodec;
import io.lbkit.netlink.rtnl.Rtnl;
import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/**
 * lb-api's {@link RouteManager} over rtnetlink: keepalived's {@code static_routes} and
 * {@code virtual_routes}. Routes are added with protocol {@code keepalived} (as keepalived
 * does, so {@code ip route} shows {@code proto keepalived}); adding an existing route
 * (EEXIST) or deleting a missing one (ESRCH) is {@link Change#ALREADY}.
 *
 * <pre>{@code
 * try (NetlinkRouteManager routes = NetlinkRouteManager.open()) {
 *   routes.add(Route.via("10.1.0.0/16", "192.168.0.254"));
 *   routes.add(Route.dev("10.2.0.0/16", "eth1"));
 * }
 * }</pre>
 *
 * <p>Thread-safe: calls are serialised on one socket.
 */
public final class NetlinkRouteManager implements RouteManager, Closeable {
  private final RtnlClient client;

  private NetlinkRouteManager(RtnlClient client) {
    this.client = client;
  }

  /** Opens one in the current network namespace. */
  public static NetlinkRouteManager open() throws IOException {
    return open(null);
  }

  /** Opens one in the named network namespace ({@code /run/netns/NAME}); null: the current one. */
  public static NetlinkRouteManager open(String netns) throws IOException {
    return new NetlinkRouteManager(RtnlClient.open(netns));
  }

  /** One over an already open NETLINK_ROUTE socket (a fake kernel in tests). */
  static NetlinkRouteManager over(NetlinkSocket socket) {
    return new NetlinkRouteManager(RtnlClient.over(socket));
  }

  @Override
  public synchronized Change add(Route route) throws IOException {
    int oif = oif(route);
    return client.change(w -> RouteCodec.newRoute(w, route, oif), "rtnetlink add route " + describe(route),
        Errno.EEXIST);
  }

  @Override
  public synchronized Change remove(Route route) throws IOException {
    int oif = oif(route);
    return client.change(w -> RouteCodec.deleteRoute(w, route, oif), "rtnetlink delete route " + describe(route),
        Errno.ESRCH);
  }

  /** The routes of {@code family} in every table, as the kernel lists them (output interfaces by index). */
  public synchronized List<RouteCodec.RouteEntry> routes(Family family) throws IOException {
    return client.dump(w -> RouteCodec.dumpRoutes(w, family), "rtnetlink dump routes",
        (b, off, len) -> (b.getShort(off + 4) & 0xffff) == Rtnl.RTM_NEWROUTE ? RouteCodec.decode(b, off, len) : null);
  }

  private int oif(Route r) throws IOException {
    return r.interfaceName() == null ? 0 : client.link(r.interfaceName()).index();
  }

  /** {@code 10.1.0.0/16 via 192.168.0.254 dev eth0 table 254}. */
  static String describe(Route r) {
    return Inet.format(r.destination()) + "/" + r.prefixLength()
        + (r.gateway() != null ? " via " + Inet.format(r.gateway()) : "")
        + (r.interfaceName() != null ? " dev " + r.interfaceName() : "")
        + (r.table() != Route.TABLE_MAIN ? " table " + r.table() : "");
  }

  /** Closes the socket. */
  @Override
  public synchronized void close() throws IOException {
    client.close();
  }
}
