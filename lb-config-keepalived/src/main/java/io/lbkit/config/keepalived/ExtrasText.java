package io.lbkit.config.keepalived;

import io.lbkit.api.vrrp.SyncGroupExtras;
import io.lbkit.api.vrrp.TrackedObject;
import io.lbkit.api.vrrp.VrrpExtras;
import io.lbkit.api.vrrp.VrrpInstanceSpec;
import io.lbkit.api.vrrp.VrrpSyncGroupSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;

/** {@link VrrpExtras} as keepalived.conf text: the instance keywords and the blocks they refer to. */
final class ExtrasText {
  private ExtrasText() {}

  /**
   * One {@code vrrp_track_process} / {@code bfd_instance} block per name the instances
   * track, before the instances (keepalived looks names up when it reads an instance). Two
   * instances carrying different definitions under one name export the first.
   */
  static void definitions(Exporter e, List<VrrpInstanceSpec> instances, List<VrrpSyncGroupSpec> groups) {
    block(e, "vrrp_track_process", instances, groups, x -> x.trackProcess(), g -> g.trackProcess());
    block(e, "bfd_instance", instances, groups, x -> x.trackBfd(), g -> g.trackBfd());
  }

  private static void block(Exporter e, String kind, List<VrrpInstanceSpec> instances, List<VrrpSyncGroupSpec> groups,
      Function<VrrpExtras, List<TrackedObject>> which, Function<SyncGroupExtras, List<TrackedObject>> inGroup) {
    Map<String, List<String>> defs = new LinkedHashMap<>();
    for (VrrpInstanceSpec s : instances) {
      for (TrackedObject t : which.apply(s.extras())) {
        defs.putIfAbsent(t.name(), t.definition());
      }
    }
    for (VrrpSyncGroupSpec g : groups) {
      for (TrackedObject t : inGroup.apply(g.extras())) {
        defs.putIfAbsent(t.name(), t.definition());
      }
    }
    defs.forEach((name, lines) -> {
      e.open(kind + " " + name);
      lines.forEach(e::line);
      e.close();
    });
  }

  static void extras(Exporter e, VrrpExtras x) {
    e.flag("check_unicast_src", x.checkUnicastSource());
    num(e, "debug", x.debug());
    e.flag("dont_track_primary", x.dontTrackPrimary());
    num(e, "down_timer_adverts", x.downTimerAdverts());
    if (x.garpExtraInterfaces() != null) {
      e.kv("garp_extra_if", (x.garpExtraInterfaces().all() ? "all " : "")
          + x.garpExtraInterfaces().intervalSeconds());
    }
    num(e, "garp_lower_prio_delay", x.garpLowerPrioDelay());
    num(e, "garp_lower_prio_repeat", x.garpLowerPrioRepeat());
    if (x.garpMasterRefreshRepeat().isPresent()) {
      e.kv("garp_master_refresh_repeat", x.garpMasterRefreshRepeat().getAsLong());
    }
    bool(e, "higher_prio_send_advert", x.higherPrioSendAdvert());
    if (x.kernelRxBufSize().isPresent()) {
      e.kv("kernel_rx_buf_size", x.kernelRxBufSize().getAsLong());
    }
    e.flag("linkbeat_use_polling", x.linkbeatUsePolling());
    bool(e, "lower_prio_no_advert", x.lowerPrioNoAdvert());
    e.kv("notify_master_rx_lower_pri", x.notifyMasterRxLowerPri() == null ? null
        : Exporter.q(x.notifyMasterRxLowerPri()));
    bool(e, "notify_priority_changes", x.notifyPriorityChanges());
    if (x.oldUnicastChecksum() != null) {
      e.line(x.oldUnicastChecksum() == VrrpExtras.OldUnicastChecksum.NEVER ? "old_unicast_checksum never"
          : "old_unicast_checksum");
    }
    e.flag("promote_secondaries", x.promoteSecondaries());
    bool(e, "skip_check_adv_addr", x.skipCheckAdvAddr());
    bool(e, "strict_mode", x.strictMode());
    tracked(e, "track_bfd", x.trackBfd());
    tracked(e, "track_process", x.trackProcess());
    e.flag("track_src_ip", x.trackSourceIp());
    e.flag("unicast_fault_no_peer", x.unicastFaultNoPeer());
    num(e, "unicast_ttl", x.unicastTtl());
    VrrpExtras.Ipvlan ipv = x.useIpvlan();
    if (ipv != null) {
      StringBuilder sb = new StringBuilder("use_ipvlan");
      if (ipv.interfaceName() != null) {
        sb.append(' ').append(ipv.interfaceName());
      }
      if (ipv.address() != null) {
        sb.append(' ').append(Exporter.ip(ipv.address().address())).append('/').append(ipv.address().prefixLength());
      }
      if (ipv.mode() != null) {
        sb.append(' ').append(ipv.mode());
      }
      e.line(sb.toString());
    }
    e.flag("use_vmac_addr", x.useVmacAddr());
    if (!x.virtualRules().isEmpty()) {
      e.open("virtual_rules");
      x.virtualRules().forEach(e::line);
      e.close();
    }
    e.kv("vrf", x.vrf());
    if (x.ahAuthPass() != null) {
      e.open("authentication");
      e.kv("auth_type", "AH");
      e.kv("auth_pass", x.ahAuthPass().isEmpty() ? null : Exporter.q(x.ahAuthPass()));
      e.close();
    }
  }

  static void syncGroupExtras(Exporter e, SyncGroupExtras x) {
    e.kv("notify_stop", x.notifyStop() == null ? null : Exporter.q(x.notifyStop()));
    bool(e, "notify_priority_changes", x.notifyPriorityChanges());
    bool(e, "smtp_alert", x.smtpAlert());
    e.flag("sync_group_tracking_weight", x.trackingWeight());
    VrrpText.weights(e, "track_interface", x.trackInterfaces());
    VrrpText.optionalWeights(e, "track_script", x.trackScripts());
    VrrpText.optionalWeights(e, "track_file", x.trackFiles());
    tracked(e, "track_process", x.trackProcess());
    tracked(e, "track_bfd", x.trackBfd());
  }

  private static void num(Exporter e, String k, OptionalInt v) {
    if (v.isPresent()) {
      e.kv(k, v.getAsInt());
    }
  }

  private static void bool(Exporter e, String k, Optional<Boolean> v) {
    v.ifPresent(b -> e.kv(k, b ? "true" : "false"));
  }

  private static void tracked(Exporter e, String k, List<TrackedObject> l) {
    if (!l.isEmpty()) {
      e.open(k);
      for (TrackedObject t : l) {
        e.line(t.name() + (t.weight().isPresent() ? " weight " + t.weight().getAsInt() + (t.reverse() ? " reverse" : "")
            : ""));
      }
      e.close();
    }
  }
}
