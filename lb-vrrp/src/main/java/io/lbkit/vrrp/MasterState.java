package io.lbkit.vrrp;

import io.lbkit.api.net.AddressManager;
import io.lbkit.api.net.Inet;
import io.lbkit.api.net.Route;
import io.lbkit.api.net.RouteManager;
import io.lbkit.api.vrrp.VirtualAddress;
import io.lbkit.api.vrrp.VrrpInstanceSpec;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a master holds in the kernel: its virtual_ipaddress and
 * virtual_ipaddress_excluded addresses and its virtual_routes. Installed in
 * keepalived's order (addresses, then routes, which may need them) and removed in
 * the reverse one; a live change applies only the difference. Failures are logged
 * with the operation and the kernel's error, never thrown: the protocol goes on.
 */
final class MasterState {
  private static final Logger LOG = LoggerFactory.getLogger(MasterState.class);

  private final AddressManager addresses;
  private final RouteManager routes;

  /** {@code routes} may be null: then virtual_routes are skipped with a warning. */
  MasterState(AddressManager addresses, RouteManager routes) {
    this.addresses = addresses;
    this.routes = routes;
  }

  /**
   * Lists the addresses of each interface these instances put VIPs on, once, read-only:
   * a process's first takeover should not be the one to load and link the address
   * manager's code (for netlink tens of milliseconds on a cold JVM, all while the new
   * master's next advert waits). Failures are only logged: the takeover reports its own.
   */
  void warmUp(List<VrrpInstanceSpec> specs) {
    Set<String> devs = new java.util.LinkedHashSet<>();
    for (VrrpInstanceSpec s : specs) {
      s.virtualAddresses().forEach(va -> devs.add(va.interfaceName() != null ? va.interfaceName() : s.interfaceName()));
    }
    for (String dev : devs) {
      try {
        addresses.addresses(dev);
      } catch (IOException e) {
        LOG.debug("listing the addresses of {} (warm-up) failed: {}", dev, e.getMessage());
      }
    }
  }

  /** Adds an instance's addresses and routes (plain loops: a takeover links no lambdas). */
  void install(VrrpInstanceSpec s) {
    for (VirtualAddress va : s.virtualAddresses()) {
      address(s, true, va);
    }
    for (VirtualAddress va : s.excludedAddresses()) {
      address(s, true, va);
    }
    for (Route r : s.virtualRoutes()) {
      route(s, true, r);
    }
  }

  void uninstall(VrrpInstanceSpec s) {
    s.virtualRoutes().forEach(r -> route(s, false, r));
    s.virtualAddresses().forEach(va -> address(s, false, va));
    s.excludedAddresses().forEach(va -> address(s, false, va));
  }

  /** Applies the difference between two specs of one master; returns the VIPs it added (to announce). */
  List<VirtualAddress> change(VrrpInstanceSpec old, VrrpInstanceSpec next) {
    minus(old.virtualRoutes(), next.virtualRoutes()).forEach(r -> route(next, false, r));
    minus(old.virtualAddresses(), next.virtualAddresses()).forEach(va -> address(next, false, va));
    minus(old.excludedAddresses(), next.excludedAddresses()).forEach(va -> address(next, false, va));
    List<VirtualAddress> added = minus(next.virtualAddresses(), old.virtualAddresses());
    added.forEach(va -> address(next, true, va));
    minus(next.excludedAddresses(), old.excludedAddresses()).forEach(va -> address(next, true, va));
    minus(next.virtualRoutes(), old.virtualRoutes()).forEach(r -> route(next, true, r));
    return added;
  }

  private static <T> List<T> minus(List<T> a, List<T> b) {
    Set<T> drop = new HashSet<>(b);
    return a.stream().filter(x -> !drop.contains(x)).toList();
  }

  private void address(VrrpInstanceSpec s, boolean add, VirtualAddress va) {
    String dev = va.interfaceName() != null ? va.interfaceName() : s.interfaceName();
    try {
      AddressManager.Change c = add ? addresses.add(dev, va.address()) : addresses.remove(dev, va.address());
      if (c == AddressManager.Change.ALREADY) {
        LOG.info("VRRP instance {}: {} {} on {}: already {}", s.name(), add ? "adding" : "removing", va.address(),
            dev, add ? "present" : "absent");
      }
    } catch (IOException e) {
      LOG.error("VRRP instance {}: {} {} on {} failed: {}", s.name(), add ? "adding" : "removing", va.address(),
          dev, e.getMessage());
    }
  }

  private void route(VrrpInstanceSpec s, boolean add, Route r) {
    String what = Inet.format(r.destination()) + "/" + r.prefixLength();
    if (routes == null) {
      if (add) {
        LOG.warn("VRRP instance {}: virtual route {} not added: this router has no RouteManager", s.name(), what);
      }
      return;
    }
    try {
      AddressManager.Change c = add ? routes.add(r) : routes.remove(r);
      if (c == AddressManager.Change.ALREADY) {
        LOG.info("VRRP instance {}: {} route {}: already {}", s.name(), add ? "adding" : "removing", what,
            add ? "present" : "absent");
      }
    } catch (IOException e) {
      LOG.error("VRRP instance {}: {} route {} failed: {}", s.name(), add ? "adding" : "removing", what,
          e.getMessage());
    }
  }
}
