package io.lbkit.testing;

import io.lbkit.api.Family;
import io.lbkit.api.Forwarding;
import io.lbkit.api.RealServerKey;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.ipvs.IpvsDest;
import io.lbkit.api.kernel.Errno;
import io.lbkit.api.kernel.KernelException;
import io.lbkit.api.kernel.KernelException.Subject;
import java.util.Map;

/**
 * FakeNftables' rules for a real server's forwarding method, as NftablesIpvs applies them:
 * NAT or direct routing (IPv4), one method per service, one real server per address in a
 * direct-routing service; TUN and the rest refused. The fake has no routing table: every
 * IPv4 real server counts as on-link (NftablesIpvs refuses one that is not with ENETUNREACH).
 */
final class FakeNftablesDr {
  private FakeNftablesDr() {}

  /** True when {@code d} makes the service direct routing; throws the refusal otherwise. */
  static boolean check(ServiceKey key, Map<RealServerKey, Integer> weights, boolean dr, IpvsDest d, String op)
      throws KernelException {
    boolean others = weights.size() > 1 || (weights.size() == 1 && !weights.containsKey(d.key()));
    Forwarding.Method m = d.forwarding().method();
    if (m == Forwarding.Method.MASQ) {
      if (others && dr) {
        throw unsupported(op, "a service's real servers must share one forwarding method on the nftables dataplane"
            + " (this service's others are direct routing)");
      }
      return false;
    }
    if (m != Forwarding.Method.DROUTE) {
      throw unsupported(op, m.ipvsadmName() + " forwarding is not implemented by the nftables dataplane; it has "
          + "NAT (masquerading) and direct routing");
    }
    if (key.family() != Family.INET) {
      throw unsupported(op, "direct routing of IPv6 services is not implemented by the nftables dataplane yet "
          + "(IPv4 only)");
    }
    if (others && !dr) {
      throw unsupported(op, "a service's real servers must share one forwarding method on the nftables dataplane "
          + "(this service's others are NAT)");
    }
    for (RealServerKey r : weights.keySet()) {
      if (!r.equals(d.key()) && r.address().equals(d.key().address())) {
        throw KernelException.of(Subject.DEST, op, Errno.EEXIST, "direct routing forwards by address: " + r
            + " is already a real server of this service");
      }
    }
    return true;
  }

  /** Refusal of persistence on a NAT service. */
  static KernelException natPersistence(String op) {
    return unsupported(op, "persistence of NAT services is not implemented by the nftables dataplane yet "
        + "(direct-routing services have it)");
  }

  /** Refuses persistence the dataplane cannot hold: an engine, or a granularity coarser than one client. */
  static void persistence(io.lbkit.api.ipvs.IpvsService s, String op) throws KernelException {
    io.lbkit.api.Persistence p = s.persistence();
    if (p.engine() != null) {
      throw unsupported(op, "persistence engine " + p.engine() + " is not implemented by the nftables dataplane");
    }
    if (p.prefixFor(s.key().family()) != s.key().family().bits()) {
      throw unsupported(op, "persistence granularity /" + p.prefixLength() + " is not implemented by the nftables "
          + "dataplane (per client only)");
    }
  }

  private static KernelException unsupported(String op, String why) {
    return KernelException.of(Subject.OTHER, op, Errno.EOPNOTSUPP, why);
  }
}
