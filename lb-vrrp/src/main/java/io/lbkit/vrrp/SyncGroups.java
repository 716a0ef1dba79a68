package io.lbkit.vrrp;

import io.lbkit.api.vrrp.VrrpInstanceSpec;
import io.lbkit.api.vrrp.VrrpSyncGroupSpec;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * keepalived's vrrp_sync_group rules over the router's instances: members move
 * together. A member's FAULT faults every member (the group is as healthy as its
 * weakest link); a member becomes MASTER only when every member wants to (their
 * master-down timers ran out: the group prefers BACKUP to thrashing), and then pulls
 * the others to MASTER; one that falls back to BACKUP pushes the others to BACKUP. Immutable; the router swaps it on a
 * live change.
 */
final class SyncGroups {
  static final String PREFIX = "sync group ";

  private final List<VrrpSyncGroupSpec> groups;
  private final Map<String, VrrpSyncGroupSpec> groupOf = new LinkedHashMap<>();

  /**
   * Validates the groups against the instance names.
   *
   * @throws IllegalArgumentException for an unknown member or an instance in two groups
   */
  SyncGroups(List<VrrpSyncGroupSpec> groups, Collection<VrrpInstanceSpec> instances) {
    this.groups = List.copyOf(groups);
    java.util.Set<String> names = new java.util.HashSet<>();
    instances.forEach(s -> names.add(s.name()));
    for (VrrpSyncGroupSpec g : this.groups) {
      for (String m : g.instances()) {
        if (!names.contains(m)) {
          throw new IllegalArgumentException("vrrp_sync_group " + g.name() + ": no vrrp_instance " + m);
        }
        if (groupOf.put(m, g) != null) {
          throw new IllegalArgumentException("vrrp_instance " + m + " is in more than one vrrp_sync_group");
        }
      }
    }
  }

  /** True if there is no group (a verdict then concerns its instance alone). */
  boolean isEmpty() {
    return groups.isEmpty();
  }

  /** The member's group, or null. */
  VrrpSyncGroupSpec of(String instance) {
    return groupOf.get(instance);
  }

  /** Spreads the first fault of each group's members to the members without one. */
  void spreadFaults(Map<String, Tracker.Verdict> verdicts) {
    for (VrrpSyncGroupSpec g : groups) {
      String fault = null;
      for (String m : g.instances()) {
        Tracker.Verdict v = verdicts.get(m);
        if (v != null && v.fault() != null) {
          fault = PREFIX + g.name() + ": " + m + ": " + v.fault();
          break;
        }
      }
      if (fault != null) {
        String f = fault;
        g.instances().forEach(m -> verdicts.computeIfPresent(m, (k, v) -> v.fault() != null ? v
            : new Tracker.Verdict(v.priority(), f)));
      }
    }
  }

  /**
   * keepalived's vrrp_sync_can_goto_master: a member may become master only if every
   * other member wants to as well (is MASTER or has its master-down timer run out).
   */
  boolean othersWantMaster(VrrpInstance inst, Map<String, VrrpInstance> instances) {
    VrrpSyncGroupSpec g = groupOf.get(inst.name());
    if (g == null) {
      return true;
    }
    for (String m : g.instances()) {
      VrrpInstance other = instances.get(m);
      if (other != null && other != inst && (other.fsm() == null || !other.fsm().wantsMaster())) {
        return false;
      }
    }
    return true;
  }

  /** True if a transition's reason says it was caused by a sync group (so it is not propagated again). */
  static boolean caused(String reason) {
    return reason.startsWith(PREFIX);
  }
}
