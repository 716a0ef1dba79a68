package io.lbkit.config.keepalived;

import io.lbkit.api.Family;
import io.lbkit.api.LoadBalancerSpec;
import io.lbkit.api.vrrp.TrackedFile;
import io.lbkit.api.vrrp.TrackedScript;
import io.lbkit.api.vrrp.VirtualAddress;
import io.lbkit.api.vrrp.VrrpInstanceSpec;
import io.lbkit.api.vrrp.VrrpSyncGroupSpec;
import java.util.List;
import java.util.Map;

/** The VRRP part of an export: vrrp_script, track_file, the tracked definitions, sync groups and instances. */
final class VrrpText {
  private VrrpText() {}

  static void all(Exporter e, LoadBalancerSpec spec) {
    for (TrackedScript s : spec.scripts().values()) {
      script(e, s);
    }
    for (TrackedFile f : spec.trackFiles().values()) {
      trackFile(e, f);
    }
    ExtrasText.definitions(e, spec.vrrpInstances(), spec.syncGroups());
    for (VrrpSyncGroupSpec g : spec.syncGroups()) {
      syncGroup(e, g);
    }
    for (VrrpInstanceSpec i : spec.vrrpInstances()) {
      instance(e, i);
    }
  }

  private static void script(Exporter e, TrackedScript s) {
    e.open("vrrp_script " + s.name());
    e.kv("script", Exporter.command(s.command()));
    e.kv("interval", Exporter.secs(s.interval()));
    e.kv("timeout", Exporter.secs(s.timeout()));
    e.kv("weight", s.weight());
    e.kv("rise", s.rise());
    e.kv("fall", s.fall());
    e.kv("user", s.user());
    e.close();
  }

  static void trackFile(Exporter e, TrackedFile f) {
    e.open("track_file " + f.name());
    e.kv("file", Exporter.q(f.path().toString()));
    e.kv("weight", f.weight() + (f.reverse() ? " reverse" : ""));
    if (f.initValue() != null) {
      e.kv("init_file", f.initValue() + (f.initOverwrite() ? " overwrite" : ""));
    }
    e.close();
  }

  private static void syncGroup(Exporter e, VrrpSyncGroupSpec g) {
    e.open("vrrp_sync_group " + g.name());
    e.open("group");
    for (String i : g.instances()) {
      e.line(i);
    }
    e.close();
    e.kv("notify_master", g.notifyMaster() == null ? null : Exporter.q(g.notifyMaster()));
    e.kv("notify_backup", g.notifyBackup() == null ? null : Exporter.q(g.notifyBackup()));
    e.kv("notify_fault", g.notifyFault() == null ? null : Exporter.q(g.notifyFault()));
    e.kv("notify", g.notifyCommand() == null ? null : Exporter.q(g.notifyCommand()));
    ExtrasText.syncGroupExtras(e, g.extras());
    e.close();
  }

  private static void instance(Exporter e, VrrpInstanceSpec s) {
    e.open("vrrp_instance " + s.name());
    e.kv("state", s.initialState() == io.lbkit.api.vrrp.VrrpState.MASTER ? "MASTER" : "BACKUP");
    e.kv("interface", s.interfaceName());
    e.kv("virtual_router_id", s.vrid());
    e.kv("priority", s.priority());
    e.kv("advert_int", Exporter.secs(s.advertInterval()));
    e.kv("version", s.version());
    boolean firstIsV6 = !s.virtualAddresses().isEmpty()
        && Family.of(s.virtualAddresses().get(0).address().address()) == Family.INET6;
    e.flag("native_ipv6", s.family() == Family.INET6 && !firstIsV6);
    e.flag("nopreempt", !s.preempt());
    if (!s.preemptDelay().isZero()) {
      e.kv("preempt_delay", Exporter.secs(s.preemptDelay()));
    }
    if (s.authPass() != null) {
      e.open("authentication");
      e.kv("auth_type", "PASS");
      e.kv("auth_pass", Exporter.q(s.authPass()));
      e.close();
    }
    vips(e, "virtual_ipaddress", s.virtualAddresses(), s.extras().addressOptions());
    vips(e, "virtual_ipaddress_excluded", s.excludedAddresses(), s.extras().addressOptions());
    if (!s.virtualRoutes().isEmpty() || !s.extras().otherRoutes().isEmpty()) {
      e.open("virtual_routes");
      s.virtualRoutes().forEach(r -> e.line(VirtualRoutes.format(r)));
      s.extras().otherRoutes().forEach(e::line);
      e.close();
    }
    e.kv("unicast_src_ip", Exporter.ip(s.unicastSource()));
    if (!s.unicastPeers().isEmpty()) {
      e.open("unicast_peer");
      s.unicastPeers().forEach(p -> e.line(Exporter.ip(p)));
      e.close();
    }
    e.kv("mcast_dst_ip", Exporter.ip(s.multicastGroup()));
    weights(e, "track_interface", s.trackInterfaces());
    optionalWeights(e, "track_script", s.trackScripts());
    optionalWeights(e, "track_file", s.trackFiles());
    e.kv("notify_master", s.notifyMaster() == null ? null : notify(s.notifyMaster(), s.notifyUsers().get("notify_master")));
    e.kv("notify_backup", s.notifyBackup() == null ? null : notify(s.notifyBackup(), s.notifyUsers().get("notify_backup")));
    e.kv("notify_fault", s.notifyFault() == null ? null : notify(s.notifyFault(), s.notifyUsers().get("notify_fault")));
    e.kv("notify_stop", s.notifyStop() == null ? null : notify(s.notifyStop(), s.notifyUsers().get("notify_stop")));
    e.kv("notify", s.notifyCommand() == null ? null : notify(s.notifyCommand(), s.notifyUsers().get("notify")));
    e.flag("accept", s.acceptMode());
    e.kv("garp_master_delay", Exporter.secs(s.garpMasterDelay()));
    e.kv("garp_master_repeat", s.garpMasterRepeat());
    e.kv("garp_master_refresh", Exporter.secs(s.garpMasterRefresh()));
    e.flag("use_vmac", s.useVmac() && s.vmacInterface() == null);
    e.kv("use_vmac", s.vmacInterface());
    e.flag("vmac_xmit_base", s.vmacXmitBase());
    e.flag("smtp_alert", s.smtpAlert());
    ExtrasText.extras(e, s.extras());
    e.close();
  }

  private static void vips(Exporter e, String k, List<VirtualAddress> l, Map<String, String> opts) {
    if (!l.isEmpty()) {
      e.open(k);
      l.forEach(a -> {
        String line = Exporter.address(a.address(), a.interfaceName());
        String options = opts.get(line);
        e.line(options == null ? line : line + " " + options);
      });
      e.close();
    }
  }

  /** A block of names with {@code weight N} where present; an absent weight is the tracked object's own. */
  static void optionalWeights(Exporter e, String k, Map<String, java.util.OptionalInt> m) {
    if (!m.isEmpty()) {
      e.open(k);
      new java.util.TreeMap<>(m).forEach((n, w) -> e.line(w.isPresent() ? n + " weight " + w.getAsInt() : n));
      e.close();
    }
  }

  static void weights(Exporter e, String k, Map<String, Integer> m) {
    if (!m.isEmpty()) {
      e.open(k);
      new java.util.TreeMap<>(m).forEach((n, w) -> e.line(n + " weight " + w));
      e.close();
    }
  }


  /** A notify line's value: the quoted command, then its user and group if it has them. */
  private static String notify(String command, String user) {
    return Exporter.q(command) + (user == null ? "" : " " + user);
  }
}
