package io.lbkit.cli;

import io.lbkit.api.LoadBalancerStatus;
import io.lbkit.api.ServiceView;
import io.lbkit.api.vrrp.Failover;
import java.util.Map;
import java.util.TreeMap;

/** {@code lbctl status}'s table: VRRP instances, then each virtual service's real servers. */
final class StatusTable {
  private StatusTable() {}

  static String render(LoadBalancerStatus s) {
    StringBuilder sb = new StringBuilder(256);
    if (!s.vrrp().isEmpty()) {
      sb.append(String.format("%-20s %-8s %s%n", "VRRP INSTANCE", "STATE", "PRIORITY"));
      for (Map.Entry<String, Failover.InstanceStatus> e : new TreeMap<>(s.vrrp()).entrySet()) {
        sb.append(String.format("%-20s %-8s %d%n", e.getKey(), e.getValue().state(), e.getValue().priority()));
        if (!e.getValue().drops().isEmpty()) {
          sb.append("  dropped adverts: ").append(new TreeMap<>(e.getValue().drops())).append('\n');
        }
      }
      s.vrrpUnmatchedDrops().forEach((iface, d) -> sb.append("  dropped on ").append(iface)
          .append(" (no instance): ").append(new TreeMap<>(d)).append('\n'));
    }
    for (ServiceView v : s.services()) {
      if (sb.length() > 0) {
        sb.append('\n');
      }
      sb.append(v.key()).append(v.quorumUp() ? "  quorum up" : "  QUORUM DOWN").append(", live weight ")
          .append(v.liveWeight()).append(v.sorryServerActive() ? ", sorry server active" : "").append('\n');
      sb.append(String.format("  %-24s %-6s %-6s %s%n", "REAL SERVER", "HEALTH", "WEIGHT", "LAST CHECK"));
      for (ServiceView.RealView r : v.reals()) {
        // the reason of the last verdict that changed its health (lb-checks reports changes only)
        String last = r.reason().isEmpty() ? "(no change since start)" : r.reason();
        sb.append(String.format("  %-24s %-6s %-6s %s%n", r.key(), r.up() ? "UP" : "DOWN",
            r.weight() < 0 ? "-" : Integer.toString(r.weight()), last));
      }
    }
    return sb.length() == 0 ? "nothing configured\n" : sb.toString();
  }
}
