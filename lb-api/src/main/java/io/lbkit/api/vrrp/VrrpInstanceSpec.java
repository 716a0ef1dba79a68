package io.lbkit.api.vrrp;

import io.lbkit.api.Family;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A VRRP instance as keepalived's vrrp_instance block describes it. Immutable; built
 * with {@link #builder(String, String, int)}.
 *
 * @param name instance name
 * @param interfaceName interface the adverts go out of
 * @param vrid virtual router id 1-255
 * @param priority 1-255 (255 = address owner)
 * @param advertInterval advert_int (v2: whole seconds; v3: 10 ms steps)
 * @param version 2 or 3
 * @param family INET or INET6
 * @param initialState BACKUP or MASTER (keepalived's state, a hint only)
 * @param preempt whether a higher priority takes over (nopreempt = false)
 * @param preemptDelay delay before preempting after start
 * @param authPass v2 simple password (auth_type PASS), or null
 * @param virtualAddresses virtual_ipaddress
 * @param excludedAddresses virtual_ipaddress_excluded
 * @param unicastSource unicast_src_ip, or null
 * @param unicastPeers unicast_peer; empty = multicast
 * @param multicastGroup mcast group, null = 224.0.0.18 / ff02::12
 * @param trackInterfaces interface name to weight (0 = FAULT when down)
 * @param trackScripts tracked vrrp_script name to its weight: {@code OptionalInt.of(w)} for track_script's
 *     {@code weight w} (0 included: a failure is a FAULT), empty for the script's own weight
 * @param trackFiles tracked track_file name to its weight: {@code OptionalInt.of(w)} for track_file's
 *     {@code weight w} (0 included: a non-zero value is a FAULT; {@code weight w reverse} is carried as
 *     {@code -w}), empty for the track_file block's own weight and reverse
 * @param notifyMaster notify_master command, or null
 * @param notifyBackup notify_backup command, or null
 * @param notifyFault notify_fault command, or null
 * @param notifyStop notify_stop command, or null
 * @param notifyCommand notify command (gets type, name, state, priority), or null
 * @param acceptMode accept / no_accept, recorded for export only: lbkit never filters traffic to the VIPs,
 *     so a master always accepts it (keepalived's default unless strict_mode); no_accept is not enforced
 * @param garpMasterDelay garp_master_delay
 * @param garpMasterRepeat garp_master_repeat
 * @param garpMasterRefresh garp_master_refresh, null = off
 * @param v3ChecksumWithPseudoHeader v3 IPv4 checksum over the pseudo-header (keepalived's default)
 * @param virtualRoutes virtual_routes: added after the VIPs on MASTER, removed before them on leaving it
 * @param useVmac use_vmac, recorded for export only: lbkit runs VRRP on {@code interfaceName} itself with that
 *     interface's own MAC and creates no macvlan
 * @param vmacInterface use_vmac's interface name, or null (keepalived's default {@code vrrp.VRID})
 * @param vmacXmitBase vmac_xmit_base, recorded for export only (lbkit always sends on the base interface)
 * @param smtpAlert smtp_alert, recorded for export only: lbkit sends no mail (use a listener or notify script)
 * @param extras the other keepalived.conf(5) keywords, carried for export only (lbkit does not act on them);
 *     {@link VrrpExtras#NONE} when none is set
 * @param notifyUsers the user (and group) a notify script runs as, {@code USER [GROUP]}, by keyword
 *     ({@code notify_master}, {@code notify_backup}, {@code notify_fault}, {@code notify_stop}, {@code notify});
 *     a script without one runs as global_defs' script_user (keepalived's {@code [username [groupname]]})
 */
public record VrrpInstanceSpec(String name, String interfaceName, int vrid, int priority, Duration advertInterval,
    int version, Family family, VrrpState initialState, boolean preempt, Duration preemptDelay, String authPass,
    List<VirtualAddress> virtualAddresses, List<VirtualAddress> excludedAddresses, InetAddress unicastSource,
    List<InetAddress> unicastPeers, InetAddress multicastGroup, Map<String, Integer> trackInterfaces,
    Map<String, OptionalInt> trackScripts, Map<String, OptionalInt> trackFiles, String notifyMaster, String notifyBackup,
    String notifyFault, String notifyStop, String notifyCommand, boolean acceptMode, Duration garpMasterDelay,
    int garpMasterRepeat, Duration garpMasterRefresh, boolean v3ChecksumWithPseudoHeader,
    List<io.lbkit.api.net.Route> virtualRoutes, boolean useVmac, String vmacInterface, boolean vmacXmitBase,
    boolean smtpAlert, VrrpExtras extras, Map<String, String> notifyUsers) {

  /** Validates and copies. */
  public VrrpInstanceSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(interfaceName, "vrrp_instance " + name + ": interface");
    if (vrid < 1 || vrid > 255) {
      throw new IllegalArgumentException("vrrp_instance " + name + ": virtual_router_id out of range 1-255: " + vrid);
    }
    if (priority < 1 || priority > 255) {
      throw new IllegalArgumentException("vrrp_instance " + name + ": priority out of range 1-255: " + priority);
    }
    if (version != 2 && version != 3) {
      throw new IllegalArgumentException("vrrp_instance " + name + ": version must be 2 or 3: " + version);
    }
    long ms = advertInterval.toMillis();
    if (version == 2 && (ms < 1000 || ms > 255_000 || ms % 1000 != 0)) {
      throw new IllegalArgumentException("vrrp_instance " + name
          + ": VRRPv2 advert_int must be whole seconds 1-255: " + advertInterval);
    }
    if (version == 3 && (ms < 10 || ms > 40_950 || ms % 10 != 0)) {
      throw new IllegalArgumentException("vrrp_instance " + name
          + ": VRRPv3 advert_int must be 0.01-40.95 s in 10 ms steps: " + advertInterval);
    }
    if (authPass != null && version != 2) {
      throw new IllegalArgumentException("vrrp_instance " + name + ": authentication exists only in VRRPv2");
    }
    virtualAddresses = List.copyOf(virtualAddresses);
    excludedAddresses = List.copyOf(excludedAddresses);
    unicastPeers = List.copyOf(unicastPeers);
    trackInterfaces = Map.copyOf(trackInterfaces);
    trackScripts = Map.copyOf(trackScripts);
    trackFiles = Map.copyOf(trackFiles);
    virtualRoutes = List.copyOf(virtualRoutes);
    if (vmacInterface != null && !useVmac) {
      throw new IllegalArgumentException("vrrp_instance " + name + ": a VMAC interface name without use_vmac");
    }
    extras = extras == null ? VrrpExtras.NONE : extras;
    notifyUsers = Map.copyOf(notifyUsers);
    for (String k : notifyUsers.keySet()) {
      if (!List.of("notify_master", "notify_backup", "notify_fault", "notify_stop", "notify").contains(k)) {
        throw new IllegalArgumentException("vrrp_instance " + name + ": notify user for unknown keyword " + k);
      }
    }
    if (extras.ahAuthPass() != null && (authPass != null || version != 2)) {
      throw new IllegalArgumentException("vrrp_instance " + name + ": AH authentication needs VRRPv2 and no auth_type "
          + "PASS");
    }
  }

  /** A builder with keepalived's defaults: v2, IPv4, priority 100, advert 1 s, preempt. */
  public static Builder builder(String name, String interfaceName, int vrid) {
    return new Builder(name, interfaceName, vrid);
  }

  /** A builder starting from this spec. */
  public Builder toBuilder() {
    Builder b = new Builder(name, interfaceName, vrid);
    b.priority = priority;
    b.advertInterval = advertInterval;
    b.version = version;
    b.family = family;
    b.initialState = initialState;
    b.preempt = preempt;
    b.preemptDelay = preemptDelay;
    b.authPass = authPass;
    b.virtualAddresses = virtualAddresses;
    b.excludedAddresses = excludedAddresses;
    b.unicastSource = unicastSource;
    b.unicastPeers = unicastPeers;
    b.multicastGroup = multicastGroup;
    b.trackInterfaces = trackInterfaces;
    b.trackScripts = trackScripts;
    b.trackFiles = trackFiles;
    b.notifyMaster = notifyMaster;
    b.notifyBackup = notifyBackup;
    b.notifyFault = notifyFault;
    b.notifyStop = notifyStop;
    b.notify = notifyCommand;
    b.acceptMode = acceptMode;
    b.garpMasterDelay = garpMasterDelay;
    b.garpMasterRepeat = garpMasterRepeat;
    b.garpMasterRefresh = garpMasterRefresh;
    b.v3ChecksumWithPseudoHeader = v3ChecksumWithPseudoHeader;
    b.virtualRoutes = virtualRoutes;
    b.useVmac = useVmac;
    b.vmacInterface = vmacInterface;
    b.vmacXmitBase = vmacXmitBase;
    b.smtpAlert = smtpAlert;
    b.extras = extras;
    b.notifyUsers = notifyUsers;
    return b;
  }

  /** Mutable builder; {@link #build()} validates. */
  public static final class Builder {
    private final String name;
    private final String interfaceName;
    private final int vrid;
    /** priority. */ public int priority = 100;
    /** advert_int. */ public Duration advertInterval = Duration.ofSeconds(1);
    /** version. */ public int version = 2;
    /** family. */ public Family family = Family.INET;
    /** state. */ public VrrpState initialState = VrrpState.BACKUP;
    /** preempt. */ public boolean preempt = true;
    /** preempt_delay. */ public Duration preemptDelay = Duration.ZERO;
    /** auth_pass. */ public String authPass;
    /** virtual_ipaddress. */ public List<VirtualAddress> virtualAddresses = List.of();
    /** virtual_ipaddress_excluded. */ public List<VirtualAddress> excludedAddresses = List.of();
    /** unicast_src_ip. */ public InetAddress unicastSource;
    /** unicast_peer. */ public List<InetAddress> unicastPeers = List.of();
    /** mcast group. */ public InetAddress multicastGroup;
    /** track_interface. */ public Map<String, Integer> trackInterfaces = Map.of();
    /** track_script: name to weight, empty = the script's own. */
    public Map<String, OptionalInt> trackScripts = Map.of();
    /** track_file (see the record's {@code trackFiles}). */ public Map<String, OptionalInt> trackFiles = Map.of();
    /** notify_master. */ public String notifyMaster;
    /** notify_backup. */ public String notifyBackup;
    /** notify_fault. */ public String notifyFault;
    /** notify_stop. */ public String notifyStop;
    /** notify. */ public String notify;
    /** accept. */ public boolean acceptMode;
    /** garp_master_delay. */ public Duration garpMasterDelay = Duration.ofSeconds(5);
    /** garp_master_repeat. */ public int garpMasterRepeat = 5;
    /** garp_master_refresh. */ public Duration garpMasterRefresh;
    /** v3 checksum with pseudo-header. */ public boolean v3ChecksumWithPseudoHeader = true;
    /** virtual_routes. */ public List<io.lbkit.api.net.Route> virtualRoutes = List.of();
    /** use_vmac. */ public boolean useVmac;
    /** use_vmac's interface name, or null. */ public String vmacInterface;
    /** vmac_xmit_base. */ public boolean vmacXmitBase;
    /** smtp_alert. */ public boolean smtpAlert;
    /** The keywords carried for export only. */ public VrrpExtras extras = VrrpExtras.NONE;
    /** Notify scripts' users, by keyword (see the record's {@code notifyUsers}). */
    public Map<String, String> notifyUsers = Map.of();

    private Builder(String name, String interfaceName, int vrid) {
      this.name = name;
      this.interfaceName = interfaceName;
      this.vrid = vrid;
    }

    /** Sets the priority. */
    public Builder priority(int p) { priority = p; return this; }
    /** Sets advert_int. */
    public Builder advertInterval(Duration d) { advertInterval = d; return this; }
    /** Sets the version. */
    public Builder version(int v) { version = v; return this; }
    /** Sets the family. */
    public Builder family(Family f) { family = f; return this; }
    /** Sets nopreempt (false) or preempt. */
    public Builder preempt(boolean p) { preempt = p; return this; }
    /** Sets the initial state hint. */
    public Builder initialState(VrrpState s) { initialState = s; return this; }
    /** Sets auth_type PASS with this password. */
    public Builder authPass(String p) { authPass = p; return this; }
    /** Sets the VIPs. */
    public Builder virtualAddresses(List<VirtualAddress> l) { virtualAddresses = l; return this; }
    /** Sets unicast peers. */
    public Builder unicast(InetAddress src, List<InetAddress> peers) { unicastSource = src; unicastPeers = peers; return this; }

    /** Sets virtual_routes. */
    public Builder virtualRoutes(List<io.lbkit.api.net.Route> l) { virtualRoutes = l; return this; }

    /** Sets the keywords carried for export only. */
    public Builder extras(VrrpExtras e) { extras = e; return this; }

    /** Validates and builds. */
    public VrrpInstanceSpec build() {
      return new VrrpInstanceSpec(name, interfaceName, vrid, priority, advertInterval, version, family, initialState,
          preempt, preemptDelay, authPass, virtualAddresses, excludedAddresses, unicastSource, unicastPeers,
          multicastGroup, trackInterfaces, trackScripts, trackFiles, notifyMaster, notifyBackup, notifyFault,
          notifyStop, notify, acceptMode, garpMasterDelay, garpMasterRepeat, garpMasterRefresh,
          v3ChecksumWithPseudoHeader, virtualRoutes, useVmac, vmacInterface, vmacXmitBase, smtpAlert,
          extras, notifyUsers);
    }
  }
}
