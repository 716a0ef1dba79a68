package io.lbkit.api;

import java.util.Map;

/**
 * keepalived's global_defs, the parts lbkit acts on.
 *
 * @param routerId router_id, or null for the host name
 * @param lvsFlush lvs_flush: flush IPVS at start
 * @param lvsFlushOnStop lvs_flush_onstop: flush IPVS at stop
 * @param timeouts lvs_timeouts, or null to leave the kernel's
 * @param syncDaemon lvs_sync_daemon, or null
 * @param enableScriptSecurity enable_script_security
 * @param scriptUser script_user, or null
 * @param other every other keyword with its raw value, kept for export
 */
public record GlobalDefs(String routerId, boolean lvsFlush, boolean lvsFlushOnStop, IpvsTimeouts timeouts,
    SyncDaemon syncDaemon, boolean enableScriptSecurity, String scriptUser, Map<String, String> other) {

  /** Nothing set. */
  public static final GlobalDefs DEFAULT = new GlobalDefs(null, false, false, null, null, false, null, Map.of());

  /** Copies. */
  public GlobalDefs {
    other = Map.copyOf(other);
  }
}
