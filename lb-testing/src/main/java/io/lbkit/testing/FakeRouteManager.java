package io.lbkit.testing;

import io.lbkit.api.Family;
import io.lbkit.api.kernel.Errno;
import io.lbkit.api.kernel.KernelException;
import io.lbkit.api.net.AddressManager.Change;
import io.lbkit.api.net.IfAddress;
import io.lbkit.api.net.Inet;
import io.lbkit.api.net.Route;
import io.lbkit.api.net.RouteManager;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An in-memory {@link RouteManager} with the kernel's semantics, as lb-netlink's
 * {@code NetlinkRouteManager} sees them (it passes {@link RouteManagerContract} too):
 * <ul>
 *   <li>a route is keyed by destination (host bits cleared), table and metric (IPv6's 0
 *       is 1024): adding another with the same key, whatever its gateway, is EEXIST, so
 *       {@link Change#ALREADY}, and the first route stays;
 *   <li>a delete matches the destination and table, and the gateway, device, source and
 *       metric only where it gives them; no match is ESRCH, so {@link Change#ALREADY};
 *   <li>a gateway must be on a link: inside an address's subnet or a device route
 *       (ENETUNREACH for IPv4, EHOSTUNREACH for IPv6); an IPv6 link-local gateway needs a
 *       device (EINVAL); a preferred source must be a local address (EINVAL);
 *   <li>interfaces must exist (ENODEV); they are always up.
 * </ul>
 *
 * <pre>{@code
 * FakeRouteManager routes = new FakeRouteManager("eth0").addAddress("eth0", "192.168.0.10/24");
 * routes.add(Route.via("10.1.0.0/16", "192.168.0.254"));   // DONE
 * routes.add(Route.via("10.1.0.0/16", "192.168.0.253"));   // ALREADY: same destination, table and metric
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class FakeRouteManager implements RouteManager {
  private final Map<String, List<IfAddress>> interfaces = new LinkedHashMap<>();
  private final List<Entry> routes = new ArrayList<>();
  private final List<String> log = new ArrayList<>();

  /** A route as the kernel holds it: masked destination, effective metric, resolved device. */
  private record Entry(Route route, byte[] dst, int metric, String dev) {}

  /** A fake with these interfaces, up and without addresses. */
  public FakeRouteManager(String... interfaceNames) {
    for (String n : interfaceNames) {
      addInterface(n);
    }
  }

  /** Adds an interface (up, without addresses). */
  public synchronized FakeRouteManager addInterface(String name) {
    interfaces.putIfAbsent(name, new ArrayList<>());
    return this;
  }

  /**
   * Puts an address on an interface ({@code ip addr add 192.0.2.1/24 dev eth0}): it is local
   * (a valid preferred source) and its subnet is on the link (gateways in it are reachable).
   */
  public synchronized FakeRouteManager addAddress(String interfaceName, String cidr) {
    List<IfAddress> l = interfaces.get(interfaceName);
    if (l == null) {
      throw new IllegalArgumentException("no interface " + interfaceName + " in this FakeRouteManager");
    }
    l.add(IfAddress.parse(cidr));
    return this;
  }

  /** The routes added through this manager and not removed, in the order added. */
  public synchronized List<Route> routes() {
    return routes.stream().map(Entry::route).toList();
  }

  /** Every change made, as {@code "add 10.1.0.0/16 via 192.168.0.254"} / {@code "del ..."}. */
  public synchronized List<String> log() {
    return List.copyOf(log);
  }

  @Override
  public synchronized Change add(Route r) throws KernelException {
    String op = "rtnetlink add route " + describe(r);
    Family f = Family.of(r.destination());
    checkDevice(r);
    String dev = r.gateway() != null ? gatewayDevice(r, f, op) : r.interfaceName();
    if (r.source() != null && !isLocal(r.source())) {
      throw KernelException.of(KernelException.Subject.OTHER, op, Errno.EINVAL, "Invalid prefsrc address");
    }
    Entry e = new Entry(r, masked(r.destination(), r.prefixLength()), metric(r.metric(), f), dev);
    for (Entry x : routes) {
      if (x.route().table() == r.table() && x.route().prefixLength() == r.prefixLength()
          && Arrays.equals(x.dst(), e.dst()) && x.metric() == e.metric()) {
        return Change.ALREADY; // EEXIST
      }
    }
    routes.add(e);
    log.add("add " + describe(r));
    return Change.DONE;
  }

  @Override
  public synchronized Change remove(Route r) throws KernelException {
    checkDevice(r);
    byte[] dst = masked(r.destination(), r.prefixLength());
    for (int i = 0; i < routes.size(); i++) {
      Entry x = routes.get(i);
      Route have = x.route();
      if (have.table() == r.table() && have.prefixLength() == r.prefixLength() && Arrays.equals(x.dst(), dst)
          && (r.gateway() == null || r.gateway().equals(have.gateway()))
          && (r.interfaceName() == null || r.interfaceName().equals(x.dev()))
          && (r.source() == null || r.source().equals(have.source()))
          && (r.metric() == 0 || metric(r.metric(), Family.of(r.destination())) == x.metric())) {
        routes.remove(i);
        log.add("del " + describe(r));
        return Change.DONE;
      }
    }
    return Change.ALREADY; // ESRCH
  }

  /** NetlinkRouteManager resolves the device first: a missing one fails as its link lookup does. */
  private void checkDevice(Route r) throws KernelException {
    if (r.interfaceName() != null && !interfaces.containsKey(r.interfaceName())) {
      throw KernelException.of(KernelException.Subject.OTHER, "rtnetlink get link " + r.interfaceName(),
          Errno.ENODEV, null);
    }
  }

  /** The device a gateway is reached on, or the kernel's error. */
  private String gatewayDevice(Route r, Family f, String op) throws KernelException {
    InetAddress gw = r.gateway();
    if (Family.of(gw) != f) {
      throw new IllegalArgumentException("route to " + Inet.format(r.destination()) + " via " + Inet.format(gw)
          + ": gateway of another family");
    }
    if (gw.isLinkLocalAddress()) {
      if (r.interfaceName() == null) {
        throw KernelException.of(KernelException.Subject.OTHER, op, Errno.EINVAL, "Egress device not specified");
      }
      return r.interfaceName();
    }
    String best = null;
    int bestLen = -1;
    for (Map.Entry<String, List<IfAddress>> i : interfaces.entrySet()) {
      for (IfAddress a : i.getValue()) {
        if (covers(a.address(), a.prefixLength(), gw) && a.prefixLength() > bestLen
            && (r.interfaceName() == null || r.interfaceName().equals(i.getKey()))) {
          best = i.getKey();
          bestLen = a.prefixLength();
        }
      }
    }
    for (Entry x : routes) {
      Route d = x.route();
      if (d.gateway() == null && d.scope() >= IfAddress.SCOPE_LINK && covers(d.destination(), d.prefixLength(), gw)
          && d.prefixLength() > bestLen && (r.interfaceName() == null || r.interfaceName().equals(x.dev()))) {
        best = x.dev();
        bestLen = d.prefixLength();
      }
    }
    if (best == null) {
      throw f == Family.INET
          ? KernelException.of(KernelException.Subject.OTHER, op, Errno.ENETUNREACH, "Nexthop has invalid gateway")
          : KernelException.of(KernelException.Subject.OTHER, op, Errno.EHOSTUNREACH, null);
    }
    return best;
  }

  private boolean isLocal(InetAddress a) {
    return interfaces.values().stream().flatMap(List::stream).anyMatch(x -> x.address().equals(a));
  }

  private static boolean covers(InetAddress net, int prefix, InetAddress a) {
    return Family.of(net) == Family.of(a) && Arrays.equals(masked(net, prefix), masked(a, prefix));
  }

  /** IPv6 routes added with metric 0 get the kernel's IP6_RT_PRIO_USER, 1024. */
  private static int metric(int m, Family f) {
    return m == 0 && f == Family.INET6 ? 1024 : m;
  }

  private static byte[] masked(InetAddress a, int prefix) {
    byte[] b = a.getAddress();
    for (int i = 0; i < b.length; i++) {
      int keep = Math.max(0, Math.min(8, prefix - 8 * i));
      b[i] &= (byte) (0xff << (8 - keep));
    }
    return b;
  }

  /** As NetlinkRouteManager names a route: {@code 10.1.0.0/16 via 192.168.0.254 dev eth0 table 100}. */
  private static String describe(Route r) {
    return Inet.format(r.destination()) + "/" + r.prefixLength()
        + (r.gateway() != null ? " via " + Inet.format(r.gateway()) : "")
        + (r.interfaceName() != null ? " dev " + r.interfaceName() : "")
        + (r.table() != Route.TABLE_MAIN ? " table " + r.table() : "");
  }
}
