package io.lbkit.config.keepalived;

import io.lbkit.api.net.IfAddress;
import io.lbkit.api.vrrp.TrackedObject;
import io.lbkit.api.vrrp.VrrpExtras;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The vrrp_instance keywords lbkit carries into {@link VrrpExtras} without acting on them.
 * Each is checked as keepalived 2.2.7 checks it (ranges probed with {@code keepalived -t}),
 * and warned at its line with what lbkit does instead.
 */
final class InstanceExtras {
  /** Keyword to what lbkit does instead, for the warning at its line. */
  private static final Map<String, String> INSTEAD = Map.ofEntries(
      Map.entry("check_unicast_src", "lbkit accepts adverts from any source address"),
      Map.entry("debug", "lbkit logs through slf4j (keepalived implements no debug levels either)"),
      Map.entry("dont_track_primary", "lbkit still goes to FAULT when the interface goes down"),
      Map.entry("down_timer_adverts", "lbkit's master down timer is always 3 adverts plus the skew (RFC 5798)"),
      Map.entry("garp_extra_if", "lbkit sends gratuitous ARP only on the instance's interface"),
      Map.entry("garp_lower_prio_delay", "lbkit sends no gratuitous ARP on a lower priority advert"),
      Map.entry("garp_lower_prio_repeat", "lbkit sends no gratuitous ARP on a lower priority advert"),
      Map.entry("garp_master_refresh_repeat", "lbkit's garp_master_refresh sends one round"),
      Map.entry("higher_prio_send_advert", "lbkit steps down on a higher priority advert without a last advert"),
      Map.entry("kernel_rx_buf_size", "lbkit keeps the kernel's socket receive buffer size"),
      Map.entry("linkbeat_use_polling", "lbkit follows netlink link events and never polls (keepalived "
          + "deprecates this keyword: use a linkbeat_interfaces block)"),
      Map.entry("lower_prio_no_advert", "lbkit answers a lower priority advert at once (keepalived's default)"),
      Map.entry("notify_master_rx_lower_pri", "lbkit does not run it; use a VrrpListener"),
      Map.entry("notify_priority_changes", "lbkit writes no notify FIFO; use a VrrpListener"),
      Map.entry("old_unicast_checksum", "lbkit always sends and expects the RFC checksum"),
      Map.entry("promote_secondaries", "lbkit leaves the interface's promote_secondaries sysctl as it is"),
      Map.entry("skip_check_adv_addr", "lbkit does not compare an advert's addresses with its own"),
      Map.entry("strict_mode", "lbkit applies no strict RFC checks and adds no firewall rules"),
      Map.entry("track_bfd", "lbkit runs no BFD; the instance's priority does not follow it"),
      Map.entry("track_process", "lbkit watches no processes; use a vrrp_script (e.g. pidof NAME)"),
      Map.entry("track_src_ip", "lbkit does not watch unicast_src_ip's presence"),
      Map.entry("unicast_fault_no_peer", "lbkit never falls back to multicast"),
      Map.entry("unicast_ttl", "lbkit sends unicast adverts with TTL 255 (RFC 5798)"),
      Map.entry("use_ipvlan", "lbkit creates no ipvlan and runs VRRP on the interface itself"),
      Map.entry("use_vmac_addr", "lbkit creates no VMAC interfaces"),
      Map.entry("virtual_rules", "lbkit adds no ip rules on MASTER"),
      Map.entry("vrf", "lbkit binds its sockets to no VRF"));

  private final VrrpExtras.Builder b = VrrpExtras.builder();
  private final Set<String> given = new HashSet<>();
  private Node ttlNode;
  /** Address line (as exported) to the options lbkit does not apply, filled by the address blocks. */
  final Map<String, String> addressOptions = new java.util.LinkedHashMap<>();
  /** The use_ipvlan line, for the name clash with use_vmac. */
  Node ipvlanNode;

  static boolean handles(String keyword) {
    return INSTEAD.containsKey(keyword);
  }

  /** Parses one extras keyword of instance {@code instance}. */
  void field(Node n, Values v, Model m, String instance) {
    Diags d = v.diags();
    String k = n.name();
    if (!given.add(k)) {
      d.warn(n.keyword, k + " given twice in vrrp_instance " + instance + "; the last one counts");
    }
    d.warn(n.keyword, k + ": carried (exported back), but " + INSTEAD.get(k));
    switch (k) {
      case "check_unicast_src" -> b.checkUnicastSource = true;
      case "debug" -> b.debug = opt(v.int32(n, 0, 0, 4));
      case "dont_track_primary" -> b.dontTrackPrimary = true;
      case "down_timer_adverts" -> b.downTimerAdverts = opt(v.int32(n, 0, 1, 100));
      case "garp_extra_if" -> garpExtraIf(n, v);
      case "garp_lower_prio_delay" -> b.garpLowerPrioDelay = opt(v.int32(n, 0, 0, 4294));
      case "garp_lower_prio_repeat" -> b.garpLowerPrioRepeat = opt(v.int32(n, 0, 0, Integer.MAX_VALUE));
      case "garp_master_refresh_repeat" -> {
        Long r = v.integer(n, 0, 0, 4294967295L);
        if (r != null && r == 0) {
          d.warn(n.at(0), "garp_master_refresh_repeat must be greater than 0; keepalived sets it to 1");
          r = 1L;
        }
        b.garpMasterRefreshRepeat = optLong(r);
      }
      case "higher_prio_send_advert" -> b.higherPrioSendAdvert = Optional.ofNullable(v.bool(n, 0));
      case "kernel_rx_buf_size" -> b.kernelRxBufSize = v.need(n, 1) ? optLong(v.integer(n, 0, 0, 4294967295L))
          : OptionalLong.empty();
      case "linkbeat_use_polling" -> b.linkbeatUsePolling = true;
      case "lower_prio_no_advert" -> b.lowerPrioNoAdvert = Optional.ofNullable(v.bool(n, 0));
      case "notify_master_rx_lower_pri" -> b.notifyMasterRxLowerPri = v.need(n, 1) ? n.rest() : null;
      case "notify_priority_changes" -> b.notifyPriorityChanges = Optional.ofNullable(v.bool(n, 0));
      case "old_unicast_checksum" -> oldChecksum(n, d);
      case "promote_secondaries" -> b.promoteSecondaries = true;
      case "skip_check_adv_addr" -> b.skipCheckAdvAddr = Optional.ofNullable(v.bool(n, 0));
      case "strict_mode" -> b.strictMode = Optional.ofNullable(v.bool(n, 0));
      case "track_bfd" -> b.trackBfd = TrackedObjects.parse(n, v, "bfd_instance", m.bfdDefs, 253);
      case "track_process" -> b.trackProcess = TrackedObjects.parse(n, v, "vrrp_track_process", m.processDefs, 254);
      case "track_src_ip" -> b.trackSourceIp = true;
      case "unicast_fault_no_peer" -> b.unicastFaultNoPeer = true;
      case "unicast_ttl" -> {
        b.unicastTtl = opt(v.int32(n, 0, 0, 255));
        ttlNode = n;
      }
      case "use_ipvlan" -> ipvlan(n, d);
      case "use_vmac_addr" -> b.useVmacAddr = true;
      case "virtual_rules" -> b.virtualRules = VirtualRules.parse(n, v);
      case "vrf" -> b.vrf = v.need(n, 1) ? n.arg(0) : null;
      default -> throw new IllegalStateException("not an extras keyword: " + k);
    }
  }

  private void garpExtraIf(Node n, Values v) {
    int i = 0;
    boolean all = false;
    while (i < n.argc() && n.arg(i).equals("all")) {
      all = true;
      i++;
    }
    if (i >= n.argc()) {
      v.diags().error(n.keyword, "garp_extra_if needs a time in seconds (0-86400; 0 turns it off); keepalived "
          + "ignores it");
      return;
    }
    Integer secs = v.int32(n, i, 0, 86400);
    if (secs != null) {
      v.noExtra(n, i + 1);
      b.garpExtraInterfaces = new VrrpExtras.GarpExtraIf(all, secs);
    }
  }

  private void oldChecksum(Node n, Diags d) {
    if (n.argc() == 0) {
      b.oldUnicastChecksum = VrrpExtras.OldUnicastChecksum.ON;
    } else if (n.arg(0).equals("never")) {
      b.oldUnicastChecksum = VrrpExtras.OldUnicastChecksum.NEVER;
    } else {
      d.error(n.at(0), "old_unicast_checksum: unknown mode '" + n.arg(0) + "' (allowed: nothing or 'never')");
    }
  }

  /** {@code use_ipvlan [NAME] [ADDRESS[/PREFIX]] [bridge|private|vepa]}, as keepalived reads it. */
  private void ipvlan(Node n, Diags d) {
    String name = null;
    IfAddress addr = null;
    String mode = null;
    for (int i = 0; i < n.argc(); i++) {
      String w = n.arg(i);
      if (Set.of("bridge", "private", "vepa").contains(w)) {
        mode = w;
      } else if (addr == null && (w.indexOf('.') >= 0 || w.indexOf(':') >= 0) && address(w) != null) {
        addr = address(w);
      } else if (name == null && addr == null && mode == null && !w.contains("/")) {
        name = w;
      } else {
        d.error(n.at(i), "use_ipvlan: '" + w + "' ignored (expected [NAME] [ADDRESS[/PREFIX]] "
            + "[bridge|private|vepa])");
      }
    }
    b.useIpvlan = new VrrpExtras.Ipvlan(name, addr, mode);
    ipvlanNode = n;
  }

  private static IfAddress address(String w) {
    try {
      return IfAddress.parse(w);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** virtual_routes lines lbkit does not install: carried only. */
  void otherRoutes(List<String> lines) {
    b.otherRoutes = lines;
  }

  /** authentication { auth_type AH ... }: carried only. */
  void ah(String pass) {
    b.ahAuthPass = pass;
  }

  /** Builds, with the checks that need the whole instance. */
  VrrpExtras build(Diags d, boolean unicast) {
    b.addressOptions = addressOptions;
    if (ttlNode != null && !unicast && d != null) {
      d.warn(ttlNode.keyword, "unicast_ttl without unicast_peer: keepalived ignores it");
    }
    return b.build();
  }

  private static OptionalInt opt(Integer i) {
    return i == null ? OptionalInt.empty() : OptionalInt.of(i);
  }

  private static OptionalLong optLong(Long l) {
    return l == null ? OptionalLong.empty() : OptionalLong.of(l);
  }

  /** The words of a definition block's lines, quoted where needed, for {@link TrackedObject#definition()}. */
  static List<String> lines(Node block, Set<String> known, Diags d) {
    List<String> out = new ArrayList<>();
    for (Node c : block.children) {
      if (!known.contains(c.name())) {
        continue; // reported by the caller
      }
      if (c.isBlock()) {
        d.error(c.keyword, c.name() + ": no '{ ... }' block is expected here");
        continue;
      }
      out.add(c.argc() == 0 ? c.name() : c.name() + " " + GlobalMapper.words(c));
    }
    return out;
  }
}
