package io.lbkit.nftables.internal;

import io.lbkit.api.Family;
import io.lbkit.api.RealServerKey;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.ipvs.IpvsDest;
import io.lbkit.api.kernel.Errno;
import io.lbkit.api.kernel.KernelException;
import io.lbkit.api.kernel.KernelException.Subject;
import io.lbkit.nftables.internal.TableModel.Svc;

/** What a direct-routing real server must satisfy on the nftables dataplane. Pure code. Internal. */
final class DrRules {
  private DrRules() {}

  /** Refusal of a NAT real server in a persistent service (or persistence on a NAT service). */
  static KernelException natPersistence(String name) {
    return KernelException.of(Subject.OTHER, name, Errno.EOPNOTSUPP, "persistence of NAT services is not "
        + "implemented by the nftables dataplane yet (direct-routing services have it)");
  }

  /** Null when the nftables dataplane can hold the service's persistence, else why not. */
  static KernelException persistence(io.lbkit.api.ipvs.IpvsService s, String name) {
    io.lbkit.api.Persistence p = s.persistence();
    if (p.engine() != null) {
      return KernelException.of(Subject.OTHER, name, Errno.EOPNOTSUPP, "persistence engine " + p.engine()
          + " is not implemented by the nftables dataplane");
    }
    if (p.prefixFor(s.key().family()) != s.key().family().bits()) {
      return KernelException.of(Subject.OTHER, name, Errno.EOPNOTSUPP, "persistence granularity /"
          + p.prefixLength() + " is not implemented by the nftables dataplane (per client only)");
    }
    return null;
  }

  /** True when the service has real servers other than {@code d}'s. */
  static boolean others(Svc s, IpvsDest d) {
    return s.weights().size() > 1 || (s.weights().size() == 1 && !s.weights().containsKey(d.key()));
  }

  /**
   * Null when {@code d} may be a direct-routing real server of {@code s} reached through
   * {@code device}, else the error naming the change ({@code name}) and the reason.
   */
  /** Why an mh service with mh-port cannot take a direct-routing real server. */
  static final String MH_PORT_DR = "mh-port (hashing the client's port) is not implemented for direct-routing "
      + "services by the nftables dataplane (mh hashes the client address there)";

  static KernelException check(ServiceKey key, Svc s, IpvsDest d, String device, String name) {
    if (key.family() != Family.INET) {
      return KernelException.of(Subject.OTHER, name, Errno.EOPNOTSUPP, "direct routing of IPv6 services is not "
          + "implemented by the nftables dataplane yet (IPv4 only)");
    }
    if (s.flags().contains(io.lbkit.api.SchedulerFlag.MH_PORT)) {
      return KernelException.of(Subject.OTHER, name, Errno.EOPNOTSUPP, MH_PORT_DR);
    }
    if (device == null) {
      return KernelException.of(Subject.DEST, name, Errno.ENETUNREACH, "no interface reaches the real server");
    }
    boolean others = others(s, d);
    if (others && !s.isDr()) {
      return KernelException.of(Subject.OTHER, name, Errno.EOPNOTSUPP, "a service's real servers must share one "
          + "forwarding method on the nftables dataplane (this service's others are NAT)");
    }
    if (others && !s.dev().equals(device)) {
      return KernelException.of(Subject.DEST, name, Errno.EINVAL, "the real servers of a direct-routing service "
          + "must be reached through one interface on the nftables dataplane: this one is on " + device
          + ", the others on " + s.dev());
    }
    for (RealServerKey r : s.weights().keySet()) {
      if (!r.equals(d.key()) && r.address().equals(d.key().address())) {
        return KernelException.of(Subject.DEST, name, Errno.EEXIST, "direct routing forwards by address: "
            + r + " is already a real server of this service");
      }
    }
    return null;
  }
}
