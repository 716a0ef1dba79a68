package io.lbkit.api;

import io.lbkit.api.ipvs.IpvsTimeouts;
import io.lbkit.api.ipvs.SyncDaemon;
import java.util.Map;

/**
 * keepalived's global_defs, the parts lbkit acts on.
 *
 * @param routerId router_id, or null for the host name
 * @param lvsFlush lvs_flush: flush IPVS at start
 * @param lvsFlushOnStop lvs_flush_on_stop: flush IPVS at stop
 * @param timeouts lvs_timeouts, or null to leave the kernel's
 * @param syncDaemon lvs_sync_daemon (its role is not used: the instance's state picks it), or null
 * @param enableScriptSecurity enable_script_security
 * @param scriptUser script_user, or null
 * @param other every other keyword with its raw value, kept for export
 * @param syncDaemonInstance lvs_sync_daemon's VRRP instance, whose state picks the daemon's role, or null for both
 *     roles at once; lb-runtime's {@code LoadBalancerRuntime} runs the daemons as keepalived does (the backup daemon
 *     while the instance starts and is BACKUP or FAULT, the master daemon while it is MASTER, both stopped at a
 *     graceful stop; none on the nftables dataplane, which it reports)
 * @param lvsFlushOnStopVs {@code lvs_flush_on_stop VS}: remove only the virtual servers at stop (the kernel drops
 *     their real servers); carried for export
 * @param scriptGroup script_user's group, or null (the user's own group)
 */
public record GlobalDefs(String routerId, boolean lvsFlush, boolean lvsFlushOnStop, IpvsTimeouts timeouts,
    SyncDaemon syncDaemon, boolean enableScriptSecurity, String scriptUser, Map<String, String> other,
    String syncDaemonInstance, boolean lvsFlushOnStopVs, String scriptGroup) {

  /** Nothing set. */
  public static final GlobalDefs DEFAULT = new GlobalDefs(null, false, false, null, null, false, null, Map.of());

  /** Copies and validates. */
  public GlobalDefs {
    other = Map.copyOf(other);
    if (syncDaemonInstance != null && syncDaemon == null) {
      throw new IllegalArgumentException("lvs_sync_daemon instance " + syncDaemonInstance + " without a sync daemon");
    }
    if (lvsFlushOnStopVs && !lvsFlushOnStop) {
      throw new IllegalArgumentException("lvs_flush_on_stop VS without lvs_flush_on_stop");
    }
    if (scriptGroup != null && scriptUser == null) {
      throw new IllegalArgumentException("script_user group " + scriptGroup + " without a user");
    }
  }

  /** Without the sync daemon's instance, {@code lvs_flush_on_stop VS} and script_user's group. */
  public GlobalDefs(String routerId, boolean lvsFlush, boolean lvsFlushOnStop, IpvsTimeouts timeouts,
      SyncDaemon syncDaemon, boolean enableScriptSecurity, String scriptUser, Map<String, String> other) {
    this(routerId, lvsFlush, lvsFlushOnStop, timeouts, syncDaemon, enableScriptSecurity, scriptUser, other, null,
        false, null);
  }
}
