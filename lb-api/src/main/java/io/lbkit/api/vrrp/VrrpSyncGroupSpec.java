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
 * @param extras the other keepalived.conf(5) keywords, carried for export only; {@link SyncGroupExtras#NONE} when
 *     none is set
 */
public record VrrpSyncGroupSpec(String name, List<String> instances, String notifyMaster, String notifyBackup,
    String notifyFault, String notifyCommand, SyncGroupExtras extras) {
  /** Copies. */
  public VrrpSyncGroupSpec {
    instances = List.copyOf(instances);
    extras = extras == null ? SyncGroupExtras.NONE : extras;
  }

  /** A group without the keywords carried only for export. */
  public VrrpSyncGroupSpec(String name, List<String> instances, String notifyMaster, String notifyBackup,
      String notifyFault, String notifyCommand) {
    this(name, instances, notifyMaster, notifyBackup, notifyFault, notifyCommand, SyncGroupExtras.NONE);
  }

  /** The same group with these extras. */
  public VrrpSyncGroupSpec withExtras(SyncGroupExtras e) {
    return new VrrpSyncGroupSpec(name, instances, notifyMaster, notifyBackup, notifyFault, notifyCommand, e);
  }
}
