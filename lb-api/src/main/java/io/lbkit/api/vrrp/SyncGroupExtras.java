package io.lbkit.api.vrrp;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The vrrp_sync_group keywords of keepalived.conf(5) that lbkit carries for export but
 * does not act on yet: a group's own tracking and its extra notifications. Immutable;
 * {@link #NONE} has none set. Empty / null members are keywords not given.
 *
 * @param notifyStop {@code notify_stop} command, or null: lbkit does not run it
 * @param notifyPriorityChanges {@code notify_priority_changes [BOOL]}: lbkit writes no notify FIFO
 * @param smtpAlert {@code smtp_alert [BOOL]}: lbkit sends no mail
 * @param trackingWeight {@code sync_group_tracking_weight} (or the deprecated {@code global_tracking}): members'
 *     tracking weights are allowed
 * @param trackInterfaces the group's {@code track_interface}: name to weight (0 = FAULT when down), -253..253
 * @param trackScripts the group's {@code track_script}: name to {@code weight N}, empty for the script's own weight
 * @param trackFiles the group's {@code track_file}: name to {@code weight N} ({@code reverse} carried as the negated
 *     weight; 0 kept: a non-zero value is FAULT), empty for the track_file block's own weight
 * @param trackProcess the group's {@code track_process} lines
 * @param trackBfd the group's {@code track_bfd} lines
 */
public record SyncGroupExtras(String notifyStop, Optional<Boolean> notifyPriorityChanges, Optional<Boolean> smtpAlert,
    boolean trackingWeight, Map<String, Integer> trackInterfaces, Map<String, OptionalInt> trackScripts,
    Map<String, OptionalInt> trackFiles, List<TrackedObject> trackProcess, List<TrackedObject> trackBfd) {

  /** Nothing set. */
  public static final SyncGroupExtras NONE = new SyncGroupExtras(null, Optional.empty(), Optional.empty(), false,
      Map.of(), Map.of(), Map.of(), List.of(), List.of());

  /** Validates and copies. */
  public SyncGroupExtras {
    if (notifyStop != null && notifyStop.isBlank()) {
      throw new IllegalArgumentException("vrrp_sync_group notify_stop must not be blank");
    }
    java.util.Objects.requireNonNull(notifyPriorityChanges, "notifyPriorityChanges");
    java.util.Objects.requireNonNull(smtpAlert, "smtpAlert");
    trackInterfaces = Map.copyOf(trackInterfaces);
    trackInterfaces.forEach((n, w) -> check("track_interface " + n, w, 253));
    trackScripts = Map.copyOf(trackScripts);
    trackScripts.forEach((n, w) -> w.ifPresent(x -> check("track_script " + n, x, 253)));
    trackFiles = Map.copyOf(trackFiles);
    trackFiles.forEach((n, w) -> w.ifPresent(x -> check("track_file " + n, x, 254)));
    trackProcess = List.copyOf(trackProcess);
    trackBfd = List.copyOf(trackBfd);
    trackBfd.forEach(t -> t.weight().ifPresent(x -> check("track_bfd " + t.name(), x, 253)));
  }

  private static void check(String what, int w, int max) {
    if (w < -max || w > max) {
      throw new IllegalArgumentException("vrrp_sync_group " + what + ": weight out of range -" + max + ".." + max
          + ": " + w);
    }
  }

  /** True when no keyword is set. */
  public boolean isEmpty() {
    return equals(NONE);
  }
}
