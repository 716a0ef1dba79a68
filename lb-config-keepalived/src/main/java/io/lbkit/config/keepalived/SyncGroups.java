package io.lbkit.config.keepalived;

import io.lbkit.api.vrrp.SyncGroupExtras;
import io.lbkit.api.vrrp.TrackedObject;
import io.lbkit.api.vrrp.VrrpSyncGroupSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** vrrp_sync_group blocks, with the keywords carried only for export in {@link SyncGroupExtras}. */
final class SyncGroups {
  private final Values v;
  private final Diags d;
  private final Model m;

  SyncGroups(Values v, Model m) {
    this.v = v;
    this.d = v.diags();
    this.m = m;
  }

  void group(Node b) {
    if (!v.need(b, 1)) {
      return;
    }
    List<String> members = new ArrayList<>();
    String master = null;
    String backup = null;
    String fault = null;
    String notify = null;
    String stop = null;
    Optional<Boolean> priorityChanges = Optional.empty();
    Optional<Boolean> smtp = Optional.empty();
    boolean trackingWeight = false;
    Map<String, Integer> trackIf = Map.of();
    Map<String, OptionalInt> trackScript = Map.of();
    Map<String, java.util.OptionalInt> trackFile = Map.of();
    List<TrackedObject> process = List.of();
    List<TrackedObject> bfd = List.of();
    for (Node n : b.children) {
      switch (n.name()) {
        case "group" -> {
          if (v.block(n)) {
            for (Node c : n.children) {
              members.add(c.name());
            }
          }
        }
        case "notify_master" -> master = n.rest();
        case "notify_backup" -> backup = n.rest();
        case "notify_fault" -> fault = n.rest();
        case "notify" -> notify = n.rest();
        case "notify_stop" -> {
          stop = v.need(n, 1) ? n.rest() : stop;
          carried(n, "lbkit does not run it for a group; use a VrrpListener");
        }
        case "notify_priority_changes" -> {
          priorityChanges = Optional.ofNullable(v.bool(n, 0));
          carried(n, "lbkit writes no notify FIFO");
        }
        case "smtp_alert" -> {
          smtp = Optional.ofNullable(v.bool(n, 0));
          carried(n, "lbkit sends no mail; use a VrrpListener");
        }
        case "sync_group_tracking_weight", "global_tracking" -> {
          if (n.name().equals("global_tracking")) {
            d.warn(n.keyword, "global_tracking is deprecated; use track_interface/script/file on the sync group "
                + "(read as sync_group_tracking_weight)");
          }
          trackingWeight = true;
          carried(n, "lbkit's sync groups do not check the members' tracking weights");
        }
        case "track_interface" -> {
          trackIf = VrrpMapper.weights(n, v, -254, 254, false);
          carried(n, "lbkit's sync groups do not track interfaces yet; track them in each vrrp_instance");
        }
        case "track_script" -> {
          trackScript = scripts(n);
          carried(n, "lbkit's sync groups do not run scripts yet; track them in each vrrp_instance");
        }
        case "track_file" -> {
          trackFile = VrrpMapper.trackFiles(n, v, m.fileRefs);
          carried(n, "lbkit's sync groups do not track files yet; track them in each vrrp_instance");
        }
        case "track_process" -> {
          process = TrackedObjects.parse(n, v, "vrrp_track_process", m.processDefs, 254);
          carried(n, "lbkit watches no processes; use a vrrp_script");
        }
        case "track_bfd" -> {
          bfd = TrackedObjects.parse(n, v, "bfd_instance", m.bfdDefs, 253);
          carried(n, "lbkit runs no BFD");
        }
        default -> {
          if (!Keywords.SYNC_GROUP.contains(n.name())) {
            if (!n.isBlock() && n.argc() == 0 && !n.name().contains("_") || n.name().startsWith("VI")) {
              d.error(n.keyword, "unknown keyword '" + n.name() + "' in vrrp_sync_group: instance names go inside "
                  + "'group { ... }'");
            } else {
              Mapper.unknown(d, n, "vrrp_sync_group", Keywords.SYNC_GROUP);
            }
          } else {
            Mapper.unsupported(d, n, "vrrp_sync_group");
          }
        }
      }
    }
    if (members.isEmpty()) {
      d.error(b.keyword, "vrrp_sync_group " + b.arg(0) + " has no 'group { ... }' of instances");
    }
    m.syncGroupNodes.put(b.arg(0), b);
    try {
      m.syncGroups.add(new VrrpSyncGroupSpec(b.arg(0), members, master, backup, fault, notify, new SyncGroupExtras(stop,
          priorityChanges, smtp, trackingWeight, trackIf, trackScript, trackFile, process, bfd)));
    } catch (IllegalArgumentException e) {
      d.error(b.keyword, e.getMessage());
    }
  }

  private void carried(Node n, String instead) {
    d.warn(n.keyword, n.name() + " in vrrp_sync_group: carried (exported back), but " + instead);
  }

  private Map<String, OptionalInt> scripts(Node n) {
    Map<String, Integer> w = VrrpMapper.weights(n, v, -253, 253, false);
    Map<String, OptionalInt> out = new LinkedHashMap<>();
    if (n.isBlock()) {
      for (Node c : n.children) {
        m.scriptRefs.add(new Token[] {c.keyword, n.keyword});
        boolean explicit = c.argc() >= 2 && c.arg(0).equals("weight");
        out.put(c.name(), explicit ? OptionalInt.of(w.getOrDefault(c.name(), 0)) : OptionalInt.empty());
      }
    }
    return out;
  }
}
