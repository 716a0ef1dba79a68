package io.lbkit.runtime;

import io.lbkit.api.GlobalDefs;
import io.lbkit.api.ipvs.Ipvs;
import io.lbkit.api.ipvs.SyncDaemon;
import io.lbkit.api.ipvs.SyncDaemon.Role;
import io.lbkit.api.ipvsadm.IpvsadmFormat;
import io.lbkit.api.vrrp.VrrpState;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * global_defs' {@code lvs_sync_daemon IFACE [inst] NAME ...}, run as keepalived runs it
 * (keepalived/vrrp/vrrp.c, vrrp_scheduler.c, vrrp_daemon.c, check/ipvswrapper.c): the
 * backup daemon while the named VRRP instance starts and is BACKUP or FAULT; on becoming
 * MASTER the backup daemon is stopped and the master daemon started; on leaving MASTER
 * the master daemon is stopped and the backup daemon started; both stopped at a graceful
 * stop. Without an instance name (keepalived's checker process) both run from start to
 * stop. A daemon of the wanted role already in the kernel with this configuration (left by
 * a previous run) is kept; one with another configuration is restarted. A kernel refusal
 * is reported ({@code KernelException}'s operation and errno) and the runtime goes on; the
 * next transition or reload tries again. On the nftables dataplane nothing is started (no
 * IPVS there: nf_tables' conntrack state is conntrackd's to synchronise) and each start
 * and reload reports that as a failure.
 */
final class SyncDaemons {
  private static final Logger LOG = LoggerFactory.getLogger(SyncDaemons.class);

  private final Adapters adapters;
  /** Each instance's last state told by VRRP (also before a configuration names it). */
  private final Map<String, VrrpState> lastState = new HashMap<>();
  /** The roles this runtime started or kept, which it stops at close. */
  private final Set<Role> running = EnumSet.noneOf(Role.class);
  private SyncDaemon config; // the template: its role is not used
  private String instance;
  private boolean active;
  private boolean closed;

  SyncDaemons(Adapters adapters) {
    this.adapters = adapters;
  }

  /**
   * Applies a spec's lvs_sync_daemon (at start and each reload): a changed one is
   * restarted, a removed one stopped, else the daemon the instance's state wants is made
   * to run.
   *
   * @param known each configured VRRP instance's state now (for an instance VRRP has not told about yet)
   */
  synchronized void configure(GlobalDefs globals, Map<String, VrrpState> known, List<String> changes,
      List<String> failures) {
    List<String> c = new ArrayList<>();
    List<String> f = new ArrayList<>();
    apply(globals, known, c, f);
    report("configuration", c, f); // logged too: an embedder without listeners sees them
    changes.addAll(c);
    failures.addAll(f);
  }

  private void apply(GlobalDefs globals, Map<String, VrrpState> known, List<String> changes, List<String> failures) {
    if (closed) {
      return;
    }
    SyncDaemon next = globals.syncDaemon();
    String nextInstance = next == null ? null : globals.syncDaemonInstance();
    boolean changed = !Objects.equals(next, config) || !Objects.equals(nextInstance, instance);
    if (changed && !running.isEmpty()) {
      stopAll(changes, failures);
    }
    config = next;
    instance = nextInstance;
    active = false;
    if (next == null) {
      return;
    }
    String what = "lvs_sync_daemon " + next.interfaceName() + (instance == null ? "" : " inst " + instance);
    if (instance != null && !known.containsKey(instance)) {
      stopAll(changes, failures);
      failures.add(what + ": not started: no vrrp_instance " + instance + " (keepalived clears lvs_sync_daemon then)");
      return;
    }
    if (adapters.dataplane() == Dataplane.NFTABLES) { // chosen, or opened: IPVS is not opened for this
      failures.add(what + ": " + NO_SYNC);
      return;
    }
    Ipvs ipvs;
    try {
      ipvs = adapters.ipvs();
    } catch (IOException e) {
      failures.add(what + ": not started: " + e.getMessage());
      return;
    }
    if (Dataplane.of(ipvs) == Dataplane.NFTABLES) {
      failures.add(what + ": " + NO_SYNC);
      return;
    }
    active = true;
    if (instance != null) {
      lastState.putIfAbsent(instance, known.get(instance));
    }
    ensure(ipvs, instance == null ? null : lastState.get(instance), changes, failures);
  }

  private static final String NO_SYNC = "not started: the nftables dataplane has no IPVS connection sync, so "
      + "connections are not synchronised (a takeover resets them; conntrackd syncs conntrack state)";

  /** VRRP told a transition (on its notify thread): the named instance's daemon follows it. */
  synchronized void stateChanged(String name, VrrpState to) {
    lastState.put(name, to);
    if (closed || !active || !name.equals(instance)) {
      return;
    }
    List<String> changes = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    try {
      ensure(adapters.ipvs(), to, changes, failures);
    } catch (IOException e) {
      failures.add("lvs_sync_daemon: " + e.getMessage());
    }
    report(name + " " + to, changes, failures);
  }

  /** Stops the daemons this runtime runs (before VRRP stops, as keepalived); later transitions are ignored. */
  synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    List<String> changes = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    stopAll(changes, failures);
    report("stop", changes, failures);
  }

  /** The kernel made to run the daemon(s) this state wants (null: no instance, both) and not the other. */
  private void ensure(Ipvs ipvs, VrrpState state, List<String> changes, List<String> failures) {
    Set<Role> want = state == null && instance == null ? EnumSet.allOf(Role.class)
        : EnumSet.of(state == VrrpState.MASTER ? Role.MASTER : Role.BACKUP);
    Map<Role, SyncDaemon> kernel = new HashMap<>();
    try {
      ipvs.syncDaemons().forEach(d -> kernel.put(d.role(), d));
    } catch (IOException e) {
      failures.add("lvs_sync_daemon: " + e.getMessage());
      return;
    }
    for (Role r : List.of(Role.MASTER, Role.BACKUP)) { // the other one stopped first, as ipvs_syncd_master/backup
      if (!want.contains(r) && (kernel.containsKey(r) || running.contains(r))) {
        stop(ipvs, r, changes, failures);
      }
    }
    for (Role r : want) {
      SyncDaemon d = daemon(r);
      SyncDaemon now = kernel.get(r);
      if (now != null && matches(d, now)) {
        if (running.add(r)) {
          changes.add("lvs_sync_daemon: " + describe(now) + " kept (already running)");
        }
        continue;
      }
      if (now != null && !stop(ipvs, r, changes, failures)) {
        continue;
      }
      try {
        ipvs.startSyncDaemon(d);
        running.add(r);
        changes.add("lvs_sync_daemon: " + describe(d) + " started");
      } catch (IOException e) {
        failures.add("lvs_sync_daemon: " + describe(d) + " not started: " + e.getMessage());
      }
    }
  }

  private void stopAll(List<String> changes, List<String> failures) {
    if (running.isEmpty()) {
      return;
    }
    Ipvs ipvs;
    try {
      ipvs = adapters.ipvs();
    } catch (IOException e) {
      failures.add("lvs_sync_daemon: " + e.getMessage());
      return;
    }
    for (Role r : EnumSet.copyOf(running)) {
      stop(ipvs, r, changes, failures);
    }
  }

  private boolean stop(Ipvs ipvs, Role r, List<String> changes, List<String> failures) {
    String role = r.name().toLowerCase(java.util.Locale.ROOT);
    try {
      ipvs.stopSyncDaemon(r);
      running.remove(r);
      changes.add("lvs_sync_daemon: " + role + " sync daemon stopped");
      return true;
    } catch (IOException e) {
      failures.add("lvs_sync_daemon: " + role + " sync daemon not stopped: " + e.getMessage());
      return false;
    }
  }

  private SyncDaemon daemon(Role r) {
    SyncDaemon c = config;
    return new SyncDaemon(r, c.interfaceName(), c.syncId(), c.maxPacketLength(), c.group(), c.port(), c.ttl());
  }

  /** The kernel's daemon is the configured one: what is configured equal, a kernel default (0, none) anything. */
  static boolean matches(SyncDaemon want, SyncDaemon kernel) {
    return want.role() == kernel.role() && want.interfaceName().equals(kernel.interfaceName())
        && want.syncId() == kernel.syncId()
        && (want.maxPacketLength() == 0 || want.maxPacketLength() == kernel.maxPacketLength())
        && (want.group() == null || want.group().equals(kernel.group()))
        && (want.port() == 0 || want.port() == kernel.port()) && (want.ttl() == 0 || want.ttl() == kernel.ttl());
  }

  private static String describe(SyncDaemon d) {
    return IpvsadmFormat.daemons(List.of(d)).strip();
  }

  private static void report(String cause, List<String> changes, List<String> failures) {
    changes.forEach(c -> LOG.info("{} ({})", c, cause));
    failures.forEach(f -> LOG.warn("{} ({})", f, cause));
  }
}
