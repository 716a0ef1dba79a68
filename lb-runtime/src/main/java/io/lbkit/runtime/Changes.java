package io.lbkit.runtime;

import io.lbkit.api.ipvs.Reconciliation;
import java.util.List;
import java.util.Objects;

/**
 * What applying one configuration changed (a start, or a reload where only the
 * difference is applied).
 *
 * @param ipvs the IPVS changes made and those that failed ({@link Reconciliation#NONE} without virtual servers)
 * @param vrrp VRRP configuration changes, one line each: {@code "vrrp_instance VI_1 changed"},
 *     {@code "vrrp_script chk_nginx added"}, {@code "track_file prio removed"}, {@code "vrrp_sync_group G1 changed"}
 * @param network static addresses and routes added or removed, one line each:
 *     {@code "static_ipaddress 10.0.0.5/24 dev eth0 added"}, {@code "static_routes 10.1.0.0/16 via 10.0.0.254 removed"},
 *     and lvs_sync_daemon's IPVS sync daemons started or stopped:
 *     {@code "lvs_sync_daemon: backup sync daemon (mcast=eth1, syncid=51) started"}
 * @param failures static addresses or routes that could not be added or removed, and sync daemons that could not be
 *     started or stopped, with the kernel's reason (operation and errno; they are tried again at the next reload, a
 *     sync daemon also at its instance's next VRRP transition)
 */
public record Changes(Reconciliation ipvs, List<String> vrrp, List<String> network, List<String> failures) {
  /** Copies. */
  public Changes {
    Objects.requireNonNull(ipvs, "ipvs");
    vrrp = List.copyOf(vrrp);
    network = List.copyOf(network);
    failures = List.copyOf(failures);
  }

  /** True if nothing changed and nothing failed. */
  public boolean isEmpty() {
    return ipvs.applied().isEmpty() && ipvs.failed().isEmpty() && vrrp.isEmpty() && network.isEmpty()
        && failures.isEmpty();
  }
}
