package io.lbkit.api.vrrp;

import java.util.List;

/**
 * keepalived's vrrp_sync_group: instances that change state together.
 *
 * @param name group name
 * @param instances member instance names
 * @param notifyMaster notify_master, or null
 * @param notifyBackup notify_backup, or null
 * @param notifyFault notify_fault, or null
 * @param notifyCommand notify, or null
 */
public record VrrpSyncGroupSpec(String name, List<String> instances, String notifyMaster, String notifyBackup,
    String notifyFault, String notifyCommand) {
  /** Copies. */
  public VrrpSyncGroupSpec {
    instances = List.copyOf(instances);
  }
}
