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
 * weakest link); a member that becomes MASTER pulls the others to MASTER, one that
 * falls back to BACKUP pushes the others to BACKUP. Immutable; the router swaps it on a
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

  /** True if a transition's reason says it was caused by a sync group (so it is not propagated again). */
  static boolean caused(String reason) {
    return reason.startsWith(PREFIX);
  }
}
