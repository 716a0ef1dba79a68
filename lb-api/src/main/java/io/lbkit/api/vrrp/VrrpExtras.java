package io.lbkit.api.vrrp;

import io.lbkit.api.net.IfAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The vrrp_instance keywords of keepalived.conf(5) that lbkit carries but does not act on:
 * an import keeps them so that an export writes them back; lbkit's VRRP ignores them
 * (each member says what lbkit does instead). Immutable; {@link #NONE} has none set;
 * build with {@link #builder()}. An empty Optional / OptionalInt / null member is a
 * keyword that was not given (keepalived's default, often a global_defs one, applies).
 *
 * @param checkUnicastSource {@code check_unicast_src}: lbkit accepts adverts from any source address
 * @param debug {@code debug 0-4} (keepalived implements none of it either)
 * @param dontTrackPrimary {@code dont_track_primary}: lbkit still goes to FAULT when the interface goes down
 * @param downTimerAdverts {@code down_timer_adverts 1-100}: lbkit's master down timer is always 3 adverts
 *     (RFC 5798) plus the skew
 * @param garpExtraInterfaces {@code garp_extra_if [all] SECONDS}, or null: lbkit sends gratuitous ARP only on
 *     the instance's interface
 * @param garpLowerPrioDelay {@code garp_lower_prio_delay} whole seconds 0-4294: lbkit sends no GARP on seeing a
 *     lower priority advert
 * @param garpLowerPrioRepeat {@code garp_lower_prio_repeat} 0 or more
 * @param garpMasterRefreshRepeat {@code garp_master_refresh_repeat} 1-4294967295: lbkit's refresh sends one burst
 * @param higherPrioSendAdvert {@code higher_prio_send_advert [BOOL]}: lbkit steps down without a last advert
 * @param kernelRxBufSize {@code kernel_rx_buf_size} bytes 0-4294967295: lbkit keeps the kernel's socket buffer size
 * @param linkbeatUsePolling {@code linkbeat_use_polling} (deprecated by keepalived): lbkit follows netlink link
 *     events, never polls
 * @param lowerPrioNoAdvert {@code lower_prio_no_advert [BOOL]}: lbkit answers a lower priority advert with its own
 *     at once (keepalived's default)
 * @param notifyMasterRxLowerPri {@code notify_master_rx_lower_pri} command, or null: lbkit does not run it
 * @param notifyPriorityChanges {@code notify_priority_changes [BOOL]}: lbkit writes no notify FIFO
 * @param oldUnicastChecksum {@code old_unicast_checksum [never]}, or null: lbkit always uses the RFC checksum
 * @param promoteSecondaries {@code promote_secondaries}: lbkit leaves the interface's sysctl as it is
 * @param skipCheckAdvAddr {@code skip_check_adv_addr [BOOL]}: lbkit does not compare the advert's addresses
 * @param strictMode {@code strict_mode [BOOL]}: lbkit applies no strict RFC checks and no firewall rules
 * @param trackBfd {@code track_bfd} lines (weights -253..253): lbkit runs no BFD
 * @param trackProcess {@code track_process} lines (weights -254..254): lbkit watches no processes; use a
 *     vrrp_script
 * @param trackSourceIp {@code track_src_ip}: lbkit does not watch unicast_src_ip's presence
 * @param unicastFaultNoPeer {@code unicast_fault_no_peer}: lbkit never falls back to multicast
 * @param unicastTtl {@code unicast_ttl 0-255}: lbkit sends unicast adverts with TTL 255 (RFC 5798)
 * @param useIpvlan {@code use_ipvlan}, or null: lbkit creates no ipvlan
 * @param useVmacAddr {@code use_vmac_addr}: lbkit creates no VMAC
 * @param virtualRules {@code virtual_rules} lines (ip rule words, one rule each): lbkit adds no rules
 * @param vrf {@code vrf} interface name, or null: lbkit binds to no VRF
 * @param ahAuthPass {@code authentication { auth_type AH  auth_pass P }}: P (empty when no auth_pass was given),
 *     or null: lbkit does no IPsec AH and sends unauthenticated adverts
 * @param otherRoutes {@code virtual_routes} lines lbkit does not install (route types such as blackhole, options
 *     it does not model), as their words; exported in the same block after the instance's installed routes
 * @param addressOptions virtual_ipaddress / virtual_ipaddress_excluded options lbkit does not apply ({@code no_track},
 *     {@code home}, {@code -nodad}, {@code peer P}, {@code preferred_lft N} ...): the address's line as an export writes
 *     it ({@code ADDR/PREFIX [brd B] [dev D] [scope S] [label L]}) to those options' words
 */
public record VrrpExtras(boolean checkUnicastSource, OptionalInt debug, boolean dontTrackPrimary,
    OptionalInt downTimerAdverts, GarpExtraIf garpExtraInterfaces, OptionalInt garpLowerPrioDelay,
    OptionalInt garpLowerPrioRepeat, OptionalLong garpMasterRefreshRepeat, Optional<Boolean> higherPrioSendAdvert,
    OptionalLong kernelRxBufSize, boolean linkbeatUsePolling, Optional<Boolean> lowerPrioNoAdvert,
    String notifyMasterRxLowerPri, Optional<Boolean> notifyPriorityChanges, OldUnicastChecksum oldUnicastChecksum,
    boolean promoteSecondaries, Optional<Boolean> skipCheckAdvAddr, Optional<Boolean> strictMode,
    List<TrackedObject> trackBfd, List<TrackedObject> trackProcess, boolean trackSourceIp, boolean unicastFaultNoPeer,
    OptionalInt unicastTtl, Ipvlan useIpvlan, boolean useVmacAddr, List<String> virtualRules, String vrf,
    String ahAuthPass, List<String> otherRoutes, Map<String, String> addressOptions) {

  /** keepalived's unsigned int maximum, the bound of its unsigned values. */
  private static final long UINT_MAX = 4294967295L;

  /** Nothing set. */
  public static final VrrpExtras NONE = builder().build();

  /** {@code old_unicast_checksum}'s two forms. */
  public enum OldUnicastChecksum {
    /** bare {@code old_unicast_checksum}: send the pre-1.3.6 checksum. */
    ON,
    /** {@code old_unicast_checksum never}: never detect an old checksum. */
    NEVER
  }

  /**
   * {@code garp_extra_if [all] SECONDS}.
   *
   * @param all {@code all}: on every interface, not only VMACs' base interfaces
   * @param intervalSeconds 0 (off) to 86400
   */
  public record GarpExtraIf(boolean all, int intervalSeconds) {
    /** Validates. */
    public GarpExtraIf {
      range("garp_extra_if", intervalSeconds, 0, 86400);
    }
  }

  /**
   * {@code use_ipvlan [NAME] [ADDRESS[/PREFIX]] [bridge|private|vepa]}.
   *
   * @param interfaceName the ipvlan's name, or null
   * @param address its address, or null
   * @param mode bridge, private or vepa, or null (keepalived's bridge)
   */
  public record Ipvlan(String interfaceName, IfAddress address, String mode) {
    /** Validates. */
    public Ipvlan {
      if (mode != null && !Set.of("bridge", "private", "vepa").contains(mode)) {
        throw new IllegalArgumentException("use_ipvlan mode must be bridge, private or vepa: " + mode);
      }
      word("use_ipvlan interface", interfaceName);
    }
  }

  /** Validates and copies. */
  public VrrpExtras {
    range("debug", debug, 0, 4);
    range("down_timer_adverts", downTimerAdverts, 1, 100);
    range("garp_lower_prio_delay", garpLowerPrioDelay, 0, 4294);
    range("garp_lower_prio_repeat", garpLowerPrioRepeat, 0, Integer.MAX_VALUE);
    range("garp_master_refresh_repeat", garpMasterRefreshRepeat, 1, UINT_MAX);
    range("unicast_ttl", unicastTtl, 0, 255);
    range("kernel_rx_buf_size", kernelRxBufSize, 0, UINT_MAX);
    Objects.requireNonNull(higherPrioSendAdvert, "higherPrioSendAdvert");
    Objects.requireNonNull(lowerPrioNoAdvert, "lowerPrioNoAdvert");
    Objects.requireNonNull(notifyPriorityChanges, "notifyPriorityChanges");
    Objects.requireNonNull(skipCheckAdvAddr, "skipCheckAdvAddr");
    Objects.requireNonNull(strictMode, "strictMode");
    if (notifyMasterRxLowerPri != null && notifyMasterRxLowerPri.isBlank()) {
      throw new IllegalArgumentException("notify_master_rx_lower_pri must not be blank");
    }
    word("vrf", vrf);
    if (ahAuthPass != null && (ahAuthPass.indexOf('\n') >= 0)) {
      throw new IllegalArgumentException("auth_pass must be one line");
    }
    trackBfd = unique("track_bfd", trackBfd);
    for (TrackedObject t : trackBfd) {
      if (t.weight().isPresent() && Math.abs(t.weight().getAsInt()) > 253) {
        throw new IllegalArgumentException("track_bfd " + t.name() + ": weight out of range -253..253: "
            + t.weight().getAsInt());
      }
    }
    trackProcess = unique("track_process", trackProcess);
    virtualRules = lines("virtual_rules", virtualRules);
    otherRoutes = lines("virtual_routes", otherRoutes);
    addressOptions = Map.copyOf(addressOptions);
    lines("address options", List.copyOf(addressOptions.values()));
  }

  private static List<String> lines(String what, List<String> l) {
    for (String r : l) {
      if (r.isBlank() || r.indexOf('\n') >= 0 || r.indexOf('{') >= 0 || r.indexOf('}') >= 0) {
        throw new IllegalArgumentException(what + ": a line must be one non-blank line without braces: '" + r + "'");
      }
    }
    return List.copyOf(l);
  }

  private static void range(String what, OptionalInt v, int min, int max) {
    if (v.isPresent()) {
      range(what, v.getAsInt(), min, max);
    }
  }

  private static void range(String what, OptionalLong v, long min, long max) {
    if (v.isPresent() && (v.getAsLong() < min || v.getAsLong() > max)) {
      throw new IllegalArgumentException(what + " out of range " + min + "-" + max + ": " + v.getAsLong());
    }
  }

  private static void range(String what, int v, int min, int max) {
    if (v < min || v > max) {
      throw new IllegalArgumentException(what + " out of range " + min + "-" + max + ": " + v);
    }
  }

  private static void word(String what, String s) {
    if (s != null && (s.isEmpty() || s.chars().anyMatch(Character::isWhitespace))) {
      throw new IllegalArgumentException(what + " must be one word: '" + s + "'");
    }
  }

  private static List<TrackedObject> unique(String what, List<TrackedObject> l) {
    Set<String> seen = new HashSet<>();
    for (TrackedObject t : l) {
      if (!seen.add(t.name())) {
        throw new IllegalArgumentException(what + " lists " + t.name() + " twice");
      }
    }
    return List.copyOf(l);
  }

  /** True when no keyword is set. */
  public boolean isEmpty() {
    return equals(NONE);
  }

  /** A builder with nothing set. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.checkUnicastSource = checkUnicastSource;
    b.debug = debug;
    b.dontTrackPrimary = dontTrackPrimary;
    b.downTimerAdverts = downTimerAdverts;
    b.garpExtraInterfaces = garpExtraInterfaces;
    b.garpLowerPrioDelay = garpLowerPrioDelay;
    b.garpLowerPrioRepeat = garpLowerPrioRepeat;
    b.garpMasterRefreshRepeat = garpMasterRefreshRepeat;
    b.higherPrioSendAdvert = higherPrioSendAdvert;
    b.kernelRxBufSize = kernelRxBufSize;
    b.linkbeatUsePolling = linkbeatUsePolling;
    b.lowerPrioNoAdvert = lowerPrioNoAdvert;
    b.notifyMasterRxLowerPri = notifyMasterRxLowerPri;
    b.notifyPriorityChanges = notifyPriorityChanges;
    b.oldUnicastChecksum = oldUnicastChecksum;
    b.promoteSecondaries = promoteSecondaries;
    b.skipCheckAdvAddr = skipCheckAdvAddr;
    b.strictMode = strictMode;
    b.trackBfd = trackBfd;
    b.trackProcess = trackProcess;
    b.trackSourceIp = trackSourceIp;
    b.unicastFaultNoPeer = unicastFaultNoPeer;
    b.unicastTtl = unicastTtl;
    b.useIpvlan = useIpvlan;
    b.useVmacAddr = useVmacAddr;
    b.virtualRules = virtualRules;
    b.vrf = vrf;
    b.ahAuthPass = ahAuthPass;
    b.otherRoutes = otherRoutes;
    b.addressOptions = addressOptions;
    return b;
  }

  /** Mutable builder (fields named as the record's members); {@link #build()} validates. */
  public static final class Builder {
    /** check_unicast_src. */ public boolean checkUnicastSource;
    /** debug. */ public OptionalInt debug = OptionalInt.empty();
    /** dont_track_primary. */ public boolean dontTrackPrimary;
    /** down_timer_adverts. */ public OptionalInt downTimerAdverts = OptionalInt.empty();
    /** garp_extra_if. */ public GarpExtraIf garpExtraInterfaces;
    /** garp_lower_prio_delay (seconds). */ public OptionalInt garpLowerPrioDelay = OptionalInt.empty();
    /** garp_lower_prio_repeat. */ public OptionalInt garpLowerPrioRepeat = OptionalInt.empty();
    /** garp_master_refresh_repeat. */ public OptionalLong garpMasterRefreshRepeat = OptionalLong.empty();
    /** higher_prio_send_advert. */ public Optional<Boolean> higherPrioSendAdvert = Optional.empty();
    /** kernel_rx_buf_size. */ public OptionalLong kernelRxBufSize = OptionalLong.empty();
    /** linkbeat_use_polling. */ public boolean linkbeatUsePolling;
    /** lower_prio_no_advert. */ public Optional<Boolean> lowerPrioNoAdvert = Optional.empty();
    /** notify_master_rx_lower_pri. */ public String notifyMasterRxLowerPri;
    /** notify_priority_changes. */ public Optional<Boolean> notifyPriorityChanges = Optional.empty();
    /** old_unicast_checksum. */ public OldUnicastChecksum oldUnicastChecksum;
    /** promote_secondaries. */ public boolean promoteSecondaries;
    /** skip_check_adv_addr. */ public Optional<Boolean> skipCheckAdvAddr = Optional.empty();
    /** strict_mode. */ public Optional<Boolean> strictMode = Optional.empty();
    /** track_bfd. */ public List<TrackedObject> trackBfd = List.of();
    /** track_process. */ public List<TrackedObject> trackProcess = List.of();
    /** track_src_ip. */ public boolean trackSourceIp;
    /** unicast_fault_no_peer. */ public boolean unicastFaultNoPeer;
    /** unicast_ttl. */ public OptionalInt unicastTtl = OptionalInt.empty();
    /** use_ipvlan. */ public Ipvlan useIpvlan;
    /** use_vmac_addr. */ public boolean useVmacAddr;
    /** virtual_rules. */ public List<String> virtualRules = List.of();
    /** vrf. */ public String vrf;
    /** authentication with auth_type AH: its auth_pass. */ public String ahAuthPass;
    /** virtual_routes lines lbkit does not install. */ public List<String> otherRoutes = List.of();
    /** address line to options lbkit does not apply. */ public Map<String, String> addressOptions = Map.of();

    private Builder() {}

    /** Validates and builds. */
    public VrrpExtras build() {
      return new VrrpExtras(checkUnicastSource, debug, dontTrackPrimary, downTimerAdverts, garpExtraInterfaces,
          garpLowerPrioDelay, garpLowerPrioRepeat, garpMasterRefreshRepeat, higherPrioSendAdvert, kernelRxBufSize,
          linkbeatUsePolling, lowerPrioNoAdvert, notifyMasterRxLowerPri, notifyPriorityChanges, oldUnicastChecksum,
          promoteSecondaries, skipCheckAdvAddr, strictMode, trackBfd, trackProcess, trackSourceIp, unicastFaultNoPeer,
          unicastTtl, useIpvlan, useVmacAddr, virtualRules, vrf, ahAuthPass,
          otherRoutes, addressOptions);
    }
  }
}
