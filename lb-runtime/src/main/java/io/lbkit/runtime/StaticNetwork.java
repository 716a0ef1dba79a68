package io.lbkit.runtime;

import io.lbkit.api.LoadBalancerSpec;
import io.lbkit.api.net.IfAddress;
import io.lbkit.api.net.Inet;
import io.lbkit.api.net.Route;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * keepalived's static_ipaddress and static_routes: added at start whatever the VRRP
 * states, changed by a reload to the new lists (what is gone is removed, what is new
 * added), removed at stop as keepalived does. One that fails is reported and not
 * counted as held, so the next reload tries it again.
 */
final class StaticNetwork {
  private static final Logger LOG = LoggerFactory.getLogger(StaticNetwork.class);

  /** One static address on its interface. */
  private record Held(String iface, IfAddress address) {
    @Override
    public String toString() {
      return "static_ipaddress " + address + " dev " + iface;
    }
  }

  private final Adapters adapters;
  private final Set<Held> addresses = new LinkedHashSet<>();
  private final Set<Route> routes = new LinkedHashSet<>();

  StaticNetwork(Adapters adapters) {
    this.adapters = adapters;
  }

  /** Changes what is held to what {@code spec} names; reports into {@code changes} and {@code failures}. */
  void apply(LoadBalancerSpec spec, List<String> changes, List<String> failures) {
    Set<Held> wantAddresses = new LinkedHashSet<>();
    for (Map.Entry<String, List<IfAddress>> e : spec.staticAddresses().entrySet()) {
      e.getValue().forEach(a -> wantAddresses.add(new Held(e.getKey(), a)));
    }
    Set<Route> wantRoutes = new LinkedHashSet<>(spec.staticRoutes());
    // routes may go through static addresses: routes out first, addresses in first
    for (Route r : List.copyOf(routes)) {
      if (!wantRoutes.contains(r) && removeRoute(r, failures)) {
        changes.add(describe(r) + " removed");
      }
    }
    for (Held h : List.copyOf(addresses)) {
      if (!wantAddresses.contains(h) && removeAddress(h, failures)) {
        changes.add(h + " removed");
      }
    }
    for (Held h : wantAddresses) {
      if (!addresses.contains(h)) {
        try {
          adapters.addresses().add(h.iface(), h.address());
          addresses.add(h);
          changes.add(h + " added");
        } catch (IOException | RuntimeException e) {
          fail(failures, h + ": not added: " + e.getMessage());
        }
      }
    }
    for (Route r : wantRoutes) {
      if (!routes.contains(r)) {
        try {
          adapters.routes().add(r);
          routes.add(r);
          changes.add(describe(r) + " added");
        } catch (IOException | RuntimeException e) {
          fail(failures, describe(r) + ": not added: " + e.getMessage());
        }
      }
    }
  }

  /** Removes everything held (at stop). */
  void removeAll(List<String> failures) {
    for (Route r : List.copyOf(routes)) {
      removeRoute(r, failures);
    }
    for (Held h : List.copyOf(addresses)) {
      removeAddress(h, failures);
    }
  }

  private boolean removeRoute(Route r, List<String> failures) {
    try {
      adapters.routes().remove(r);
      routes.remove(r);
      return true;
    } catch (IOException | RuntimeException e) {
      fail(failures, describe(r) + ": not removed: " + e.getMessage());
      return false;
    }
  }

  private boolean removeAddress(Held h, List<String> failures) {
    try {
      adapters.addresses().remove(h.iface(), h.address());
      addresses.remove(h);
      return true;
    } catch (IOException | RuntimeException e) {
      fail(failures, h + ": not removed: " + e.getMessage());
      return false;
    }
  }

  private static void fail(List<String> failures, String what) {
    LOG.warn("{}", what);
    failures.add(what);
  }

  /** {@code static_routes 10.1.0.0/16 via 10.0.0.254 dev eth0 table 100 metric 5}. */
  static String describe(Route r) {
    StringBuilder sb = new StringBuilder("static_routes ").append(Inet.format(r.destination())).append('/')
        .append(r.prefixLength());
    if (r.gateway() != null) {
      sb.append(" via ").append(Inet.format(r.gateway()));
    }
    if (r.interfaceName() != null) {
      sb.append(" dev ").append(r.interfaceName());
    }
    if (r.source() != null) {
      sb.append(" src ").append(Inet.format(r.source()));
    }
    if (r.table() != Route.TABLE_MAIN) {
      sb.append(" table ").append(r.table());
    }
    if (r.metric() != 0) {
      sb.append(" metric ").append(r.metric());
    }
    return sb.toString();
  }
}
