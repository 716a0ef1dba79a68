package io.lbkit.config.keepalived;

import io.lbkit.api.vrrp.VirtualAddress;
import io.lbkit.api.vrrp.VrrpInstanceSpec;
import io.lbkit.api.vrrp.VrrpState;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The keywords of one vrrp_instance block, collected before the spec is built. */
final class InstanceFields {
  int version = 2;
  int priority = 100;
  Duration advert = Duration.ofSeconds(1);
  VrrpState state = VrrpState.BACKUP;
  Token stateToken;
  Token nopreemptToken;
  boolean preempt = true;
  Duration preemptDelay = Duration.ZERO;
  String authType;
  Token authToken;
  String authPass;
  List<VirtualAddress> vips = List.of();
  List<VirtualAddress> excluded = List.of();
  List<io.lbkit.api.net.Route> routes = List.of();
  InetAddress unicastSrc;
  List<InetAddress> peers = List.of();
  InetAddress mcast;
  Map<String, Integer> trackIf = Map.of();
  Map<String, java.util.OptionalInt> trackScript = Map.of();
  Map<String, java.util.OptionalInt> trackFile = Map.of();
  String notifyMaster;
  String notifyBackup;
  String notifyFault;
  String notifyStop;
  String notify;
  /** Notify scripts' {@code USER [GROUP]}, by keyword. */
  final Map<String, String> notifyUsers = new java.util.LinkedHashMap<>();
  boolean accept;
  boolean native6;
  Duration garpDelay = Duration.ofSeconds(5);
  int garpRepeat = 5;
  Duration garpRefresh;
  boolean useVmac;
  String vmacName;
  boolean vmacXmitBase;
  boolean smtpAlert;
  private Node vmacNode;
  final InstanceExtras extras = new InstanceExtras();
  private Diags d;
  private String name;

  void field(Node n, Values v, Model m, String instance) {
    d = v.diags();
    name = instance;
    switch (n.name()) {
      case "state" -> {
        if (v.need(n, 1)) {
          String s = n.arg(0);
          if (!s.equals("MASTER") && !s.equals("BACKUP")) {
            d.error(n.at(0), "state '" + s + "' is not MASTER or BACKUP");
          }
          state = VrrpMapper.state(s);
          stateToken = n.keyword;
        }
      }
      case "priority" -> priority = VrrpMapper.orElse(v.int32(n, 0, 1, 255), priority);
      case "advert_int" -> advert = VrrpMapper.orElse(v.seconds(n, 0, 0.01, 255), advert);
      case "version" -> version = VrrpMapper.orElse(v.int32(n, 0, 2, 3), version);
      case "nopreempt" -> {
        preempt = false;
        nopreemptToken = n.keyword;
      }
      case "preempt" -> preempt = true;
      case "preempt_delay" -> preemptDelay = VrrpMapper.orElse(v.seconds(n, 0, 0, 1000), preemptDelay);
      case "authentication" -> auth(n, v);
      case "virtual_ipaddress" -> vips = VrrpMapper.addresses(n, v, extras.addressOptions);
      case "virtual_ipaddress_excluded" -> excluded = VrrpMapper.addresses(n, v, extras.addressOptions);
      case "virtual_routes" -> {
        List<String> other = new java.util.ArrayList<>();
        routes = VirtualRoutes.parse(n, v, other::add);
        extras.otherRoutes(other);
      }
      case "unicast_src_ip" -> unicastSrc = v.address(n, 0);
      case "unicast_peer" -> peers = VrrpMapper.peers(n, v);
      case "mcast_dst_ip" -> mcast = v.address(n, 0);
      case "track_interface" -> trackIf = VrrpMapper.weights(n, v, -254, 254, false);
      case "track_script" -> {
        Map<String, Integer> w = VrrpMapper.weights(n, v, -254, 254, false);
        Map<String, java.util.OptionalInt> ts = new java.util.LinkedHashMap<>();
        if (n.isBlock()) {
          for (Node c : n.children) {
            m.scriptRefs.add(new Token[] {c.keyword, n.keyword});
            // without "weight N" the script's own weight applies; "weight 0" is explicit (failure = FAULT)
            boolean explicit = c.argc() >= 2 && c.arg(0).equals("weight");
            ts.put(c.name(), explicit ? java.util.OptionalInt.of(w.getOrDefault(c.name(), 0))
                : java.util.OptionalInt.empty());
          }
        }
        trackScript = ts;
      }
      case "track_file", "vrrp_track_file" -> {
        if (n.name().equals("vrrp_track_file")) {
          d.warn(n.keyword, "vrrp_track_file is deprecated; use track_file");
        }
        trackFile = VrrpMapper.trackFiles(n, v, m.fileRefs);
      }
      case "notify_master" -> notifyMaster = notifyLine(n, v, m);
      case "notify_backup" -> notifyBackup = notifyLine(n, v, m);
      case "notify_fault" -> notifyFault = notifyLine(n, v, m);
      case "notify_stop" -> notifyStop = notifyLine(n, v, m);
      case "notify" -> notify = notifyLine(n, v, m);
      case "accept" -> accept = true;
      case "no_accept" -> {
        accept = false;
        d.warn(n.keyword, "no_accept is not enforced by lbkit: the master accepts traffic to the VIPs as with "
            + "accept (keepalived's default); keepalived enforces it with iptables/nftables rules");
      }
      case "native_ipv6" -> native6 = true;
      // keepalived 2.2.7 reads these three as whole numbers (probed with keepalived -t)
      case "garp_master_delay" -> {
        Integer secs = v.int32(n, 0, 0, 4294);
        garpDelay = secs == null ? garpDelay : Duration.ofSeconds(secs);
      }
      case "garp_master_repeat" -> garpRepeat = garpRepeat(n, v);
      case "garp_master_refresh" -> {
        Long secs = v.integer(n, 0, 0, 4294967295L);
        garpRefresh = secs == null ? garpRefresh : Duration.ofSeconds(secs);
      }
      case "use_vmac" -> {
        useVmac = true;
        vmacNode = n;
        vmacName = n.argc() > 0 ? n.arg(0) : null;
        d.warn(n.keyword, "use_vmac: carried (exported back), but lbkit runs VRRP on the interface itself with its "
            + "own MAC; no macvlan is created" + (n.argc() > 1 ? " and the MAC address " + n.arg(1)
            + " is not kept" : ""));
      }
      case "vmac_xmit_base" -> {
        vmacXmitBase = true;
        d.warn(n.keyword, "vmac_xmit_base: carried (exported back); lbkit creates no VMAC and always sends and "
            + "receives adverts on the base interface");
      }
      case "smtp_alert" -> {
        Boolean on = v.bool(n, 0);
        smtpAlert = on != null && on;
        if (smtpAlert) {
          d.warn(n.keyword, "smtp_alert: carried (exported back), but lbkit sends no mail; use a VrrpListener or "
              + "a notify script for alerts");
        }
      }
      case "lvs_sync_daemon_interface" -> {
        d.warn(n.keyword, "lvs_sync_daemon_interface in vrrp_instance is deprecated; use global_defs { "
            + "lvs_sync_daemon " + n.rest() + " " + instance + " } (read as that)");
        io.lbkit.api.GlobalDefs g = m.globals;
        if (v.need(n, 1) && g.syncDaemon() == null) {
          m.globals = new io.lbkit.api.GlobalDefs(g.routerId(), g.lvsFlush(), g.lvsFlushOnStop(), g.timeouts(),
              new io.lbkit.api.ipvs.SyncDaemon(io.lbkit.api.ipvs.SyncDaemon.Role.MASTER, n.arg(0), 0, 0, null, 0, 0),
              g.enableScriptSecurity(), g.scriptUser(), g.other(), instance, g.lvsFlushOnStopVs(), g.scriptGroup());
          m.syncDaemonNode = n;
          m.syncIdToken = null;
        }
      }
      case "mcast_src_ip" -> unicastSrc = v.address(n, 0); // keepalived's one source address, whatever its name
      case "auth_type", "auth_pass" -> d.error(n.keyword, "unknown keyword '" + n.name() + "' in vrrp_instance; it "
          + "goes inside authentication { ... }");
      case "sync_group_tracking_weight" -> d.error(n.keyword, "unknown keyword 'sync_group_tracking_weight' in "
          + "vrrp_instance; it belongs in the instance's vrrp_sync_group");
      default -> {
        if (InstanceExtras.handles(n.name())) {
          extras.field(n, v, m, instance);
        } else if (!Keywords.VRRP_INSTANCE.contains(n.name())) {
          Mapper.unknown(d, n, "vrrp_instance", Keywords.VRRP_INSTANCE);
        } else {
          Mapper.unsupported(d, n, "vrrp_instance");
        }
      }
    }
  }

  private int garpRepeat(Node n, Values v) {
    Integer r = v.int32(n, 0, 0, Integer.MAX_VALUE);
    if (r == null) {
      return garpRepeat;
    }
    if (r == 0) {
      d.warn(n.at(0), "garp_master_repeat must be greater than 0; keepalived sets it to 1");
      return 1;
    }
    if (r > 255) {
      d.warn(n.at(0), "garp_master_repeat " + r + ": that many gratuitous ARPs in one burst floods the link");
    }
    return r;
  }

  private void auth(Node n, Values v) {
    if (!v.block(n)) {
      return;
    }
    for (Node c : n.children) {
      switch (c.name()) {
        case "auth_type" -> {
          if (v.need(c, 1)) {
            authType = c.arg(0);
            authToken = c.keyword;
            if (!authType.equals("PASS") && !authType.equals("AH")) {
              d.error(c.at(0), "auth_type '" + authType + "' is not PASS or AH");
            }
          }
        }
        case "auth_pass" -> {
          if (v.need(c, 1)) {
            authPass = c.arg(0);
            if (authPass.length() > 8) {
              d.warn(c.at(0), "auth_pass is longer than 8 characters; VRRP sends only the first 8");
            }
          }
        }
        default -> Mapper.unknown(d, c, "authentication", java.util.Set.of("auth_type", "auth_pass"));
      }
    }
  }

  VrrpInstanceSpec build(VrrpInstanceSpec.Builder b) {
    if (d != null && nopreemptToken != null && state == VrrpState.MASTER) {
      d.warn(nopreemptToken, "nopreempt with state MASTER: keepalived ignores nopreempt unless the initial state is "
          + "BACKUP (line " + stateToken.line() + ")");
    }
    if (d != null && "AH".equals(authType) && state == VrrpState.MASTER) {
      d.warn(authToken, "(" + name + ") initial state MASTER is incompatible with AH authentication; keepalived "
          + "starts it as BACKUP");
    }
    if (d != null && "AH".equals(authType)) {
      d.warn(authToken, "auth_type AH: carried (exported back), but lbkit does no IPsec AH and sends "
          + "unauthenticated adverts (RFC 5798 removed VRRP authentication)");
      if (version == 2) {
        extras.ah(authPass == null ? "" : authPass);
      }
    }
    Node ipvlan = extras.ipvlanNode;
    if (d != null && vmacNode != null && vmacNode.argc() > 0 && ipvlan != null && ipvlan.argc() > 0
        && !ipvlan.arg(0).contains(".") && !ipvlan.arg(0).contains(":")) {
      boolean vmacFirst = vmacNode.keyword.line() < ipvlan.keyword.line();
      Node later = vmacFirst ? ipvlan : vmacNode;
      d.warn(later.at(0), later.name() + ": keepalived already has the interface name from "
          + (vmacFirst ? "use_vmac" : "use_ipvlan") + " (line " + (vmacFirst ? vmacNode : ipvlan).keyword.line()
          + ") and ignores '" + later.arg(0) + "'");
    }
    b.priority = priority;
    b.advertInterval = advert;
    b.version = version;
    b.family = VrrpMapper.familyOf(vips, native6);
    b.initialState = state;
    b.preempt = preempt;
    b.preemptDelay = preemptDelay;
    b.authPass = "PASS".equals(authType) && version == 2 ? authPass : null;
    b.virtualAddresses = vips;
    b.excludedAddresses = excluded;
    b.virtualRoutes = routes;
    b.unicastSource = unicastSrc;
    b.unicastPeers = peers;
    b.multicastGroup = mcast;
    b.trackInterfaces = trackIf;
    b.trackScripts = trackScript;
    b.trackFiles = trackFile;
    b.notifyMaster = notifyMaster;
    b.notifyBackup = notifyBackup;
    b.notifyFault = notifyFault;
    b.notifyStop = notifyStop;
    b.notify = notify;
    b.notifyUsers = notifyUsers;
    b.acceptMode = accept;
    b.garpMasterDelay = garpDelay;
    b.garpMasterRepeat = garpRepeat;
    b.garpMasterRefresh = garpRefresh;
    b.useVmac = useVmac;
    b.vmacInterface = vmacName;
    b.vmacXmitBase = vmacXmitBase;
    b.smtpAlert = smtpAlert;
    b.extras = extras.build(d, !peers.isEmpty());
    return b.build();
  }

  /**
   * keepalived's {@code notify_X SCRIPT [username [groupname]]} (checked against 2.2.7):
   * the first word is the command (quoted when it has arguments), the next two the user
   * and group it runs as; more words are ignored, as keepalived ignores them.
   */
  private String notifyLine(Node n, Values v, Model m) {
    if (!v.need(n, 1)) {
      return null;
    }
    notifyUsers.remove(n.name());
    if (n.argc() > 1) {
      notifyUsers.put(n.name(), n.arg(1) + (n.argc() > 2 ? " " + n.arg(2) : ""));
      if (n.argc() > 3) {
        d.warn(n.args.get(3), n.name() + ": words after the user and group are ignored (keepalived ignores them); "
            + "quote the script with its arguments: " + n.name() + " \"" + n.arg(0) + " ...\"");
      }
    }
    m.notifyNodes.add(n);
    return n.arg(0);
  }
}
