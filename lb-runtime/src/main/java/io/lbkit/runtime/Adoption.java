package io.lbkit.runtime;

import io.lbkit.api.LoadBalancerSpec;
import io.lbkit.api.net.AddressManager;
import io.lbkit.api.net.IfAddress;
import io.lbkit.api.vrrp.VirtualAddress;
import io.lbkit.api.vrrp.VrrpInstanceSpec;
import io.lbkit.api.vrrp.VrrpState;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restart adoption: a VRRP instance whose every VIP is already on its interface when the
 * runtime starts (left there by a previous run that was killed: SIGKILL removes nothing)
 * starts as MASTER and advertises at once, instead of waiting its master-down interval as
 * BACKUP while the backups' own timers run out. The backups then hear a master again within
 * their interval and never take over. Only with preemption (with nopreempt the instance does
 * not claim MASTER back) and only at start, never on reload. If another router became master
 * meanwhile, VRRP settles it at the next advert: the higher priority stays MASTER.
 */
final class Adoption {
  private static final Logger LOG = LoggerFactory.getLogger(Adoption.class);

  private Adoption() {}

  static LoadBalancerSpec adopt(LoadBalancerSpec spec, AddressManager addresses) {
    List<VrrpInstanceSpec> out = new ArrayList<>();
    boolean any = false;
    for (VrrpInstanceSpec v : spec.vrrpInstances()) {
      if (v.initialState() != VrrpState.MASTER && v.preempt() && !v.virtualAddresses().isEmpty()
          && allPresent(v, addresses)) {
        LOG.info("VRRP instance {}: its {} VIP(s) are already on {} (a previous run's): starting as MASTER "
            + "(restart adoption)", v.name(), v.virtualAddresses().size(), v.interfaceName());
        out.add(v.toBuilder().initialState(VrrpState.MASTER).build());
        any = true;
      } else {
        out.add(v);
      }
    }
    return any ? spec.toBuilder().vrrpInstances(out).build() : spec;
  }

  private static boolean allPresent(VrrpInstanceSpec v, AddressManager addresses) {
    for (VirtualAddress a : v.virtualAddresses()) {
      String dev = a.interfaceName() != null ? a.interfaceName() : v.interfaceName();
      try {
        List<IfAddress> have = addresses.addresses(dev);
        if (have.stream().noneMatch(h -> Objects.equals(h.address(), a.address().address())
            && h.prefixLength() == a.address().prefixLength())) {
          return false;
        }
      } catch (IOException | RuntimeException e) {
        return false; // no such interface yet, or not readable: start as configured
      }
    }
    return true;
  }
}
