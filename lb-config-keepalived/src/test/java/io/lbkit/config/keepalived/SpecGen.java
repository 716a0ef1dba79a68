package io.lbkit.config.keepalived;

import io.lbkit.api.Forwarding;
import io.lbkit.api.GlobalDefs;
import io.lbkit.api.LoadBalancerSpec;
import io.lbkit.api.Persistence;
import io.lbkit.api.Protocol;
import io.lbkit.api.RealServer;
import io.lbkit.api.Scheduler;
import io.lbkit.api.SchedulerFlag;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.VirtualService;
import io.lbkit.api.check.CheckSpec;
import io.lbkit.api.check.CheckTarget;
import io.lbkit.api.check.CheckTiming;
import io.lbkit.api.check.DnsCheck;
import io.lbkit.api.check.HttpCheck;
import io.lbkit.api.check.MiscCheck;
import io.lbkit.api.check.PingCheck;
import io.lbkit.api.check.SmtpCheck;
import io.lbkit.api.check.TcpCheck;
import io.lbkit.api.check.UdpCheck;
import io.lbkit.api.ipvs.IpvsTimeouts;
import io.lbkit.api.net.Inet;
import io.lbkit.api.vrrp.TrackedFile;
import io.lbkit.api.vrrp.TrackedScript;
import io.lbkit.api.vrrp.VirtualAddress;
import io.lbkit.api.vrrp.VrrpInstanceSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;

/** Random but valid load balancer specs, for round-trip properties. */
final class SpecGen {
  private final Random r;
  /** The track files of the spec being made, for FILE_CHECKs. */
  private List<TrackedFile> genFiles = List.of();

  SpecGen(Random r) {
    this.r = r;
  }

  private int between(int lo, int hi) {
    return lo + r.nextInt(hi - lo + 1);
  }

  private String ip4(int first) {
    return first + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + between(1, 254);
  }

  private Duration secs(int lo, int hi) {
    return Duration.ofSeconds(between(lo, hi));
  }

  LoadBalancerSpec spec() {
    Map<String, TrackedScript> scripts = new LinkedHashMap<>();
    int nScripts = r.nextInt(3);
    GlobalDefs g = new GlobalDefs(r.nextBoolean() ? "lb" + r.nextInt(100) : null, r.nextBoolean(), r.nextBoolean(),
        r.nextBoolean() ? new IpvsTimeouts(between(1, 9000), between(1, 900), between(1, 900)) : null, null,
        r.nextBoolean(), nScripts > 0 ? "root" : null, Map.of());
    for (int i = 0; i < nScripts; i++) {
      String n = "chk_" + i;
      scripts.put(n, new TrackedScript(n, r.nextBoolean() ? List.of("/bin/true") : List.of("/usr/bin/test", "-f",
          "/tmp/x y"), secs(1, 10), secs(1, 10), between(-50, 50), between(1, 5), between(1, 5), null));
    }
    Map<String, TrackedFile> files = new LinkedHashMap<>();
    for (int i = 0; i < r.nextInt(3); i++) {
      String n = "tf_" + i;
      Long init = r.nextBoolean() ? null : (long) between(-5, 5);
      files.put(n, new TrackedFile(n, java.nio.file.Path.of("/run/lbkit-gen/" + n + (r.nextBoolean() ? " x" : "")),
          between(-254, 254), r.nextBoolean(), init, init != null && r.nextBoolean()));
    }
    genFiles = List.copyOf(files.values());
    List<VrrpInstanceSpec> vrrp = new ArrayList<>();
    for (int i = 0; i < r.nextInt(3); i++) {
      VrrpInstanceSpec.Builder b = VrrpInstanceSpec.builder("VI_" + i, "eth" + r.nextInt(2), 10 + i)
          .priority(between(1, 254)).advertInterval(secs(1, 5)).preempt(r.nextBoolean())
          .virtualAddresses(List.of(VirtualAddress.of(ip4(192)), VirtualAddress.of(ip4(10) + "/24")));
      if (r.nextBoolean()) {
        b.authPass("p" + r.nextInt(9999));
      }
      Map<String, java.util.OptionalInt> tracked = new LinkedHashMap<>();
      for (String s : scripts.keySet()) {
        if (r.nextBoolean()) {
          tracked.put(s, r.nextBoolean() ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(between(-50, 50)));
        }
      }
      b.trackScripts = tracked;
      Map<String, java.util.OptionalInt> trackedFiles = new LinkedHashMap<>();
      for (String f : files.keySet()) {
        if (r.nextBoolean()) {
          trackedFiles.put(f, r.nextBoolean() ? java.util.OptionalInt.empty()
              : java.util.OptionalInt.of(between(-254, 254)));
        }
      }
      b.trackFiles = trackedFiles;
      b.useVmac = r.nextBoolean();
      b.vmacInterface = b.useVmac && r.nextBoolean() ? "vrrp." + (10 + i) : null;
      b.vmacXmitBase = b.useVmac && r.nextBoolean();
      b.smtpAlert = r.nextBoolean();
      b.notifyMaster = r.nextBoolean() ? "/usr/local/bin/notify master" : null;
      // keepalived -t: use_vmac with unicast wants vmac_xmit_base; ipvlan with unicast needs a real interface
      if (!b.useVmac && r.nextBoolean()) {
        b.unicast(Inet.parse(ip4(10)), List.of(Inet.parse(ip4(10)), Inet.parse(ip4(10))));
      }
      b.extras = extras(!b.unicastPeers.isEmpty(), b.useVmac, b.authPass != null);
      if (r.nextBoolean()) { // options lbkit carries on an address line
        VirtualAddress first = b.virtualAddresses.get(0);
        var xb = b.extras.toBuilder();
        xb.addressOptions = Map.of(Exporter.address(first.address(), first.interfaceName()),
            r.nextBoolean() ? "no_track" : "noprefixroute preferred_lft forever");
        b.extras = xb.build();
      }
      vrrp.add(b.build());
    }
    Set<ServiceKey> used = new LinkedHashSet<>();
    List<VirtualService> services = new ArrayList<>();
    Map<String, List<ServiceKey>> groups = new LinkedHashMap<>();
    for (int i = 0; i < r.nextInt(4); i++) {
      ServiceKey k = key(used);
      services.add(body(VirtualService.of(k)));
    }
    if (r.nextBoolean()) {
      List<ServiceKey> members = new ArrayList<>();
      int port = between(1, 65535);
      for (int i = 0; i < between(1, 3); i++) {
        members.add(ServiceKey.of(Protocol.TCP, Inet.parse(ip4(172)), port));
      }
      members = new ArrayList<>(new LinkedHashSet<>(members));
      members.removeAll(used);
      if (!members.isEmpty()) {
        VirtualService template = body(VirtualService.of(members.get(0)));
        for (ServiceKey k : members) {
          services.add(ServiceText.sameBody(List.of(template)) ? rekey(template, k) : template);
        }
        groups.put("VSG_" + r.nextInt(10), members);
      }
    }
    List<io.lbkit.api.vrrp.VrrpSyncGroupSpec> sync = new ArrayList<>();
    if (!vrrp.isEmpty() && r.nextBoolean()) {
      sync.add(new io.lbkit.api.vrrp.VrrpSyncGroupSpec("G_" + r.nextInt(9), vrrp.stream().map(VrrpInstanceSpec::name)
          .toList(), r.nextBoolean() ? "/usr/local/bin/g master" : null, null, null, null, syncExtras(scripts, files)));
    }
    if (r.nextBoolean()) { // the GlobalDefs fields added later: sync daemon (and its instance), flush VS, group
      io.lbkit.api.ipvs.SyncDaemon daemon = new io.lbkit.api.ipvs.SyncDaemon(io.lbkit.api.ipvs.SyncDaemon.Role.MASTER,
          "eth" + r.nextInt(2), between(0, 255), 0, null, 0, 0);
      String inst = vrrp.isEmpty() || r.nextBoolean() ? null : vrrp.get(0).name();
      g = new GlobalDefs(g.routerId(), g.lvsFlush(), g.lvsFlushOnStop(), g.timeouts(), daemon,
          g.enableScriptSecurity(), g.scriptUser(), g.other(), inst, g.lvsFlushOnStop() && r.nextBoolean(),
          g.scriptUser() != null && r.nextBoolean() ? "root" : null);
    }
    return new LoadBalancerSpec(g, services, groups, vrrp, sync, scripts, Map.of(), List.of(), files);
  }

  private io.lbkit.api.vrrp.SyncGroupExtras syncExtras(Map<String, TrackedScript> scripts,
      Map<String, TrackedFile> files) {
    if (r.nextInt(3) == 0) {
      return io.lbkit.api.vrrp.SyncGroupExtras.NONE;
    }
    Map<String, java.util.OptionalInt> ts = new LinkedHashMap<>();
    scripts.keySet().forEach(n -> ts.put(n, r.nextBoolean() ? java.util.OptionalInt.empty()
        : java.util.OptionalInt.of(between(-253, 253))));
    Map<String, OptionalInt> tf = new LinkedHashMap<>();
    files.keySet().forEach(n -> tf.put(n, r.nextBoolean() ? OptionalInt.empty() : OptionalInt.of(between(-254, 254))));
    return new io.lbkit.api.vrrp.SyncGroupExtras(r.nextBoolean() ? "/usr/local/bin/g stop" : null, maybeBool(),
        maybeBool(), r.nextBoolean(), r.nextBoolean() ? Map.of("eth" + r.nextInt(2), between(-253, 253)) : Map.of(),
        ts, tf, tracked(PROCESSES, 254), tracked(BFDS, 253));
  }

  private static final Map<String, List<String>> PROCESSES = Map.of("proc_a", List.of("process haproxy"),
      "proc_b", List.of("process \"/usr/sbin/nginx -g daemon\"", "param_match initial", "weight 3", "quorum 2"));
  private static final Map<String, List<String>> BFDS = Map.of("bfd_a", List.of("neighbor_ip 10.9.9.1"),
      "bfd_b", List.of("neighbor_ip 10.9.9.2", "source_ip 10.9.9.3", "min_rx 50", "multiplier 4", "weight 7"));

  private java.util.OptionalInt maybe(int lo, int hi) {
    return r.nextBoolean() ? java.util.OptionalInt.of(between(lo, hi)) : java.util.OptionalInt.empty();
  }

  private java.util.Optional<Boolean> maybeBool() {
    return r.nextBoolean() ? java.util.Optional.of(r.nextBoolean()) : java.util.Optional.empty();
  }

  private List<io.lbkit.api.vrrp.TrackedObject> tracked(Map<String, List<String>> defs, int max) {
    List<io.lbkit.api.vrrp.TrackedObject> l = new ArrayList<>();
    for (String n : new java.util.TreeSet<>(defs.keySet())) {
      if (r.nextBoolean()) {
        boolean w = r.nextBoolean();
        l.add(new io.lbkit.api.vrrp.TrackedObject(n, w ? java.util.OptionalInt.of(between(-max, max))
            : java.util.OptionalInt.empty(), w && r.nextBoolean(), defs.get(n)));
      }
    }
    return l;
  }

  /** Random extras keepalived -t accepts silently (no linkbeat_use_polling: keepalived reports it deprecated). */
  private io.lbkit.api.vrrp.VrrpExtras extras(boolean unicast, boolean vmac, boolean auth) {
    if (r.nextInt(4) == 0) {
      return io.lbkit.api.vrrp.VrrpExtras.NONE;
    }
    var x = io.lbkit.api.vrrp.VrrpExtras.builder();
    // keepalived -t, without the interfaces, takes the unicast_* keywords (and a VRF) as unicast mode and reports a
    // VMAC/ipvlan with it ("Cannot use VMAC/ipvlan with unicast and no interface")
    x.checkUnicastSource = !vmac && r.nextBoolean();
    x.debug = maybe(0, 4);
    x.dontTrackPrimary = r.nextBoolean();
    x.downTimerAdverts = maybe(1, 100);
    x.garpExtraInterfaces = r.nextBoolean() ? new io.lbkit.api.vrrp.VrrpExtras.GarpExtraIf(r.nextBoolean(),
        between(0, 86400)) : null;
    x.garpLowerPrioDelay = maybe(0, 4294);
    x.garpLowerPrioRepeat = maybe(0, 1000);
    x.garpMasterRefreshRepeat = r.nextBoolean() ? java.util.OptionalLong.of(1 + (r.nextLong() & 0xffffffffL) % 4294967295L)
        : java.util.OptionalLong.empty();
    x.higherPrioSendAdvert = maybeBool();
    x.kernelRxBufSize = r.nextBoolean() ? java.util.OptionalLong.of(r.nextLong() & 0xffffffffL)
        : java.util.OptionalLong.empty();
    x.lowerPrioNoAdvert = maybeBool();
    x.notifyMasterRxLowerPri = r.nextBoolean() ? "/usr/local/bin/lower.sh 'a b'" : null;
    x.notifyPriorityChanges = maybeBool();
    int ck = r.nextInt(3);
    x.oldUnicastChecksum = ck == 0 || vmac ? null : io.lbkit.api.vrrp.VrrpExtras.OldUnicastChecksum.values()[ck - 1];
    x.promoteSecondaries = r.nextBoolean();
    x.skipCheckAdvAddr = maybeBool();
    x.strictMode = maybeBool();
    x.trackBfd = tracked(BFDS, 253);
    x.trackProcess = tracked(PROCESSES, 254);
    x.trackSourceIp = r.nextBoolean();
    x.unicastFaultNoPeer = !vmac && r.nextBoolean();
    x.unicastTtl = unicast ? maybe(0, 255) : java.util.OptionalInt.empty();
    boolean unicastish = unicast || x.checkUnicastSource || x.oldUnicastChecksum != null || x.unicastFaultNoPeer;
    x.useIpvlan = !unicastish && !vmac && r.nextBoolean() ? new io.lbkit.api.vrrp.VrrpExtras.Ipvlan(r.nextBoolean() ? "ipvl" + r.nextInt(9)
        : null, r.nextBoolean() ? io.lbkit.api.net.IfAddress.parse(ip4(10) + "/24") : null,
        r.nextBoolean() ? "vepa" : null) : null;
    x.useVmacAddr = r.nextBoolean();
    x.virtualRules = r.nextBoolean() ? List.of("from " + ip4(10) + "/32 table " + between(1, 250) + " priority "
        + between(1, 30000), "not to 10.0.0.0/8 fwmark 0x" + Integer.toHexString(between(1, 255)) + " goto 32766 "
        + "preference " + between(1, 30000) + " no_track") : List.of();
    x.vrf = !vmac && x.useIpvlan == null && r.nextBoolean() ? "vrf" + r.nextInt(3) : null;
    x.otherRoutes = r.nextBoolean() ? List.of("blackhole " + ip4(10) + "/32", "unreachable 10.99.0.0/16 table "
        + between(1, 250)) : List.of();
    x.ahAuthPass = !auth && r.nextInt(4) == 0 ? (r.nextBoolean() ? "" : "ah" + r.nextInt(99)) : null;
    return x.build();
  }

  private static VirtualService rekey(VirtualService t, ServiceKey k) {
    VirtualService v = VirtualService.of(k).scheduler(t.scheduler()).forwarding(t.forwarding());
    if (!t.schedulerFlags().isEmpty()) {
      v = v.flags(t.schedulerFlags().toArray(new SchedulerFlag[0]));
    }
    v = t.persistence().isPresent() ? v.persistent(t.persistence().get()) : v;
    for (RealServer rs : t.realServers()) {
      v = v.add(rs);
    }
    v = t.sorryServer().isPresent() ? v.sorryServer(t.sorryServer().get()) : v;
    return v.sorryServerInhibit(t.isSorryServerInhibit()).quorum(t.quorum(), t.hysteresis()).delayLoop(t.delayLoop())
        .alpha(t.isAlpha()).omega(t.isOmega()).quorumUpCommand(t.quorumUpCommand().orElse(null))
        .quorumDownCommand(t.quorumDownCommand().orElse(null)).haSuspend(t.isHaSuspend());
  }

  private ServiceKey key(Set<ServiceKey> used) {
    while (true) {
      ServiceKey k = r.nextInt(4) == 0 ? ServiceKey.fwmark(between(1, 100000), io.lbkit.api.Family.INET)
          : ServiceKey.of(r.nextBoolean() ? Protocol.TCP : Protocol.UDP, Inet.parse(ip4(10)), between(1, 65535));
      if (used.add(k)) {
        return k;
      }
    }
  }

  private VirtualService body(VirtualService v) {
    List<Scheduler> known = Scheduler.known();
    Scheduler s = known.get(r.nextInt(known.size()));
    v = v.scheduler(s);
    if (s.equals(Scheduler.SH) && r.nextBoolean()) {
      v = v.flags(SchedulerFlag.SH_PORT);
    }
    Forwarding[] fw = {Forwarding.NAT, Forwarding.DR, Forwarding.TUN, Forwarding.gue(between(1, 65535)),
        Forwarding.gre().withCsum(Forwarding.TunnelCsum.CSUM)};
    v = v.forwarding(fw[r.nextInt(fw.length)]);
    if (r.nextBoolean()) {
      v = v.persistent(Persistence.of(between(1, 2678400)).withGranularity(r.nextBoolean() ? 24 : 128));
    }
    int vsPort = v.key() instanceof ServiceKey.Inet i ? i.port() : 0;
    boolean fixedPort = vsPort != 0 && v.forwarding().method() != Forwarding.Method.MASQ;
    int n = r.nextInt(4);
    Set<String> reals = new LinkedHashSet<>();
    for (int i = 0; i < n; i++) {
      String a = ip4(192);
      if (!reals.add(a)) {
        continue;
      }
      long upper = r.nextBoolean() ? between(1, 100000) : 0;
      RealServer rs = RealServer.of(a, fixedPort ? vsPort : between(1, 65535)).weight(between(0, 65535)).inhibitOnFailure(r.nextBoolean())
          .thresholds(upper, upper == 0 ? 0 : r.nextInt((int) upper));
      if (r.nextInt(3) == 0 && (fixedPort || vsPort == 0)) {
        rs = rs.forwarding(Forwarding.DR);
      }
      for (int c = 0; c < r.nextInt(3); c++) {
        rs = rs.check(check());
      }
      rs = rs.notifyUpCommand(command()).notifyDownCommand(command());
      v = v.add(rs);
    }
    if (r.nextBoolean()) {
      v = v.sorryServer(RealServer.of(ip4(192), fixedPort ? vsPort : between(1, 65535))).sorryServerInhibit(r.nextBoolean());
    }
    int q = between(1, 10);
    return v.quorum(q, r.nextInt(q)).delayLoop(secs(1, 600)).alpha(r.nextBoolean()).omega(r.nextBoolean())
        .quorumUpCommand(command()).quorumDownCommand(command()).haSuspend(r.nextBoolean());
  }

  /** A notify-style command line (sometimes with a quoted word), or null for none. */
  private String command() {
    int k = r.nextInt(3);
    return k == 0 ? null : k == 1 ? "/usr/local/bin/notify.sh " + between(1, 99) : "/bin/logger -t lbkit 'went down'";
  }

  private CheckSpec check() {
    CheckTiming t = CheckTiming.DEFAULT.connectTimeout(secs(1, 30)).retry(between(0, 5), secs(0, 10));
    if (r.nextBoolean()) {
      t = t.interval(secs(1, 120));
    }
    CheckTarget target = r.nextBoolean() ? CheckTarget.REAL_SERVER : CheckTarget.REAL_SERVER.port(between(1, 65535));
    if (!genFiles.isEmpty() && r.nextInt(8) == 0) {
      TrackedFile f = genFiles.get(r.nextInt(genFiles.size()));
      return new io.lbkit.api.check.FileCheck(f.path().toString(), between(-100000, 100000), CheckTiming.DEFAULT,
          CheckTarget.REAL_SERVER);
    }
    return switch (r.nextInt(7)) {
      case 0 -> new TcpCheck(t, target);
      case 1 -> HttpCheck.get("/health" + r.nextInt(10)).status(between(200, 204)).timing(t).target(target);
      case 2 -> new MiscCheck(List.of("/usr/local/bin/check", "arg " + r.nextInt(9)), secs(1, 30), r.nextBoolean(),
          null, CheckTiming.DEFAULT.retry(between(0, 3), secs(1, 5)), CheckTarget.REAL_SERVER);
      case 3 -> new SmtpCheck("mail.example.org", t, target);
      case 4 -> new DnsCheck("A", "example.org", t, target);
      case 5 -> new PingCheck(t, CheckTarget.REAL_SERVER);
      default -> new UdpCheck(new byte[] {1, 2, (byte) r.nextInt(255)}, false, null, t, target);
    };
  }
}
