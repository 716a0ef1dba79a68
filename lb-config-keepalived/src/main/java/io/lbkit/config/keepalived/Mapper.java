package io.lbkit.config.keepalived;

import io.lbkit.api.GlobalDefs;
import io.lbkit.api.LoadBalancerSpec;
import io.lbkit.api.vrrp.VirtualAddress;
import io.lbkit.api.vrrp.VrrpInstanceSpec;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The statement tree to a {@link LoadBalancerSpec}: dispatches top-level blocks to the
 * mappers, then checks what only the whole file shows (undefined references,
 * duplicate VRIDs, a sorry server on one of this director's VIPs).
 */
final class Mapper {
  private final Diags d;
  private final Values v;
  private final Model m = new Model();

  private final Map<String, List<io.lbkit.api.net.IfAddress>> host;
  private final GlobalMapper global;
  private final VrrpMapper vrrp;
  private final LvsMapper lvs;
  /** Statements after a reference to a group not read yet, in order. */
  private final List<Node> waiting = new ArrayList<>();
  /** Told of each top-level statement and which virtual_servers are self-contained; null: nobody asks. */
  private ParseMemo memo;
  private final List<ParseMemo.Top> waitingTops = new ArrayList<>();
  private boolean aborted;

  Mapper(Diags d, Map<String, List<io.lbkit.api.net.IfAddress>> host) {
    this.d = d;
    this.host = host;
    this.v = new Values(d);
    this.global = new GlobalMapper(v, m);
    this.vrrp = new VrrpMapper(v, m);
    this.lvs = new LvsMapper(v, m);
  }

  void memo(ParseMemo m) {
    memo = m;
  }

  LoadBalancerSpec map(Node root) {
    try {
      for (Node n : root.children) {
        top(n);
      }
    } catch (Lexer.Abort e) {
      aborted = true; // the time limit was hit; what was read so far is returned with that error
    }
    return finish();
  }

  /**
   * One complete top-level statement, in file order: a virtual_server_group is read at once
   * (as if all were read before any other statement); any other statement is mapped at once,
   * until a {@code virtual_server group NAME} names a group not read yet: from there on the
   * statements wait for {@link #finish()} (so that a group defined further down still counts).
   */
  void top(Node n) {
    if (aborted) {
      return;
    }
    try {
      ParseMemo.Top top = memo == null ? null : memo.top(n);
      if (n.name().equals("virtual_server_group")) {
        lvs.group(n);
      }
      if (!waiting.isEmpty() || (n.name().equals("virtual_server") && n.argc() > 1
          && n.arg(0).equals("group") && !lvs.hasGroup(n.arg(1)))) {
        waiting.add(n);
        waitingTops.add(top);
      } else {
        walkOne(n, top);
      }
    } catch (Lexer.Abort e) {
      aborted = true; // the time limit was hit; what was read so far is returned with that error
      throw e;
    }
  }

  /** The spec, after the statements still waiting and the checks that need the whole file. */
  LoadBalancerSpec finish() {
    try {
      if (!aborted) {
        for (int i = 0; i < waiting.size(); i++) {
          walkOne(waiting.get(i), waitingTops.get(i));
        }
        waiting.clear();
        waitingTops.clear();
        lvs.finish();
        syncDaemonId();
        crossChecks();
      }
    } catch (Lexer.Abort e) {
      aborted = true; // the time limit was hit; what was read so far is returned with that error
    }
    if (aborted && memo != null) {
      memo.disable();
    }
    return new LoadBalancerSpec(m.globals, m.services, m.groups, resolveScriptWeights(), m.syncGroups, m.scripts,
        m.staticAddresses, m.staticRoutes, m.files);
  }

  /** keepalived's default sync id is the VRID of the daemon's vrrp_instance (0 without one). */
  private void syncDaemonId() {
    GlobalDefs g = m.globals;
    if (g.syncDaemon() == null || g.syncDaemonInstance() == null) {
      return;
    }
    io.lbkit.api.vrrp.VrrpInstanceSpec inst = m.instances.stream()
        .filter(i -> i.name().equals(g.syncDaemonInstance())).findFirst().orElse(null);
    if (inst == null) {
      d.warn(m.syncDaemonNode.keyword, "lvs_sync_daemon: no vrrp_instance " + g.syncDaemonInstance()
          + " is defined (keepalived -t accepts it); the sync id stays " + g.syncDaemon().syncId()
          + ", and no sync daemon is started (keepalived clears lvs_sync_daemon then)");
      return;
    }
    if (m.syncIdToken == null) {
      io.lbkit.api.ipvs.SyncDaemon s = g.syncDaemon();
      m.globals = new GlobalDefs(g.routerId(), g.lvsFlush(), g.lvsFlushOnStop(), g.timeouts(),
          new io.lbkit.api.ipvs.SyncDaemon(s.role(), s.interfaceName(), inst.vrid(), s.maxPacketLength(), s.group(),
              s.port(), s.ttl()), g.enableScriptSecurity(), g.scriptUser(), g.other(), g.syncDaemonInstance(),
          g.lvsFlushOnStopVs(), g.scriptGroup());
    }
  }

  private void walkOne(Node n, ParseMemo.Top top) {
    d.checkTime(n.keyword);
    String k = n.name();
    if (!Keywords.TOP.contains(k)) {
      unknown(d, n, "the top level", Keywords.TOP);
      return;
    }
    boolean needsBlock = !Set.of("net_namespace", "net_namespace_ipvs", "namespace_with_ipsets", "instance",
        "use_pid_dir", "include").contains(k);
    if (needsBlock && !v.block(n)) {
      return;
    }
    switch (k) {
      case "global_defs" -> global.globalDefs(n);
      case "static_ipaddress" -> global.staticAddresses(n);
      case "static_routes" -> global.staticRoutes(n);
      case "static_rules" -> { // not applied, but checked as keepalived checks it
        unsupported(d, n, "the top level");
        VirtualRules.parse(n, v);
      }
      case "vrrp_script" -> vrrp.script(n);
      case "track_file", "vrrp_track_file" -> {
        if (k.equals("vrrp_track_file")) {
          d.warn(n.keyword, "vrrp_track_file is deprecated; use track_file");
        }
        vrrp.trackFile(n);
      }
      case "vrrp_sync_group" -> vrrp.syncGroup(n);
      case "vrrp_instance" -> vrrp.instance(n);
      case "vrrp_track_process" -> vrrp.definition(n, m.processDefs, Keywords.TRACK_PROCESS);
      case "bfd_instance" -> vrrp.definition(n, m.bfdDefs, Keywords.BFD);
      case "virtual_server" -> {
        int before = m.services.size();
        long side = m.sideEffects();
        lvs.server(n);
        if (top != null && m.services.size() == before + 1 && !n.arg(0).equals("group") && m.sideEffects() == side) {
          top.service = before; // one service, and nothing else read or left behind: re-parseable alone
        }
      }
      case "virtual_server_group", "include" -> { } // groups were read above; includes by the lexer
      default -> unsupported(d, n, "the top level"); // dropped, and said so: not exported either
    }
  }

  private List<VrrpInstanceSpec> resolveScriptWeights() {
    List<VrrpInstanceSpec> out = new ArrayList<>();
    for (VrrpInstanceSpec s : m.instances) {
      Map<String, java.util.OptionalInt> tw = new LinkedHashMap<>(s.trackScripts());
      tw.keySet().retainAll(m.scripts.keySet());
      // references to undefined or dropped track files are reported; the spec keeps only defined ones
      Map<String, java.util.OptionalInt> tf = new LinkedHashMap<>(s.trackFiles());
      tf.keySet().retainAll(m.files.keySet());
      out.add(tw.equals(s.trackScripts()) && tf.equals(s.trackFiles()) ? s : rebuild(s, tw, tf));
    }
    return out;
  }

  private static VrrpInstanceSpec rebuild(VrrpInstanceSpec s, Map<String, java.util.OptionalInt> scripts,
      Map<String, java.util.OptionalInt> files) {
    VrrpInstanceSpec.Builder b = s.toBuilder();
    b.trackScripts = scripts;
    b.trackFiles = files;
    return b.build();
  }

  /**
   * What {@code lbctl run} would refuse under global_defs' script_user and
   * enable_script_security (keepalived refuses the same at start): reported here so that
   * {@code lbctl check} says it first.
   */
  private void scriptPolicyChecks() {
    io.lbkit.api.script.ScriptPolicy policy = io.lbkit.api.script.ScriptPolicy.of(m.globals);
    for (Node b : m.scriptNodes) {
      if (!b.name().equals("vrrp_script") || b.argc() == 0 || !m.scripts.containsKey(b.arg(0))) {
        continue; // MISC_CHECKs are the checker mapping's
      }
      io.lbkit.api.vrrp.TrackedScript ts = m.scripts.get(b.arg(0));
      report(b.keyword, "vrrp_script " + ts.name(), policy.decide(ts.command(), ts.user()),
          "not run, and the instances tracking it ignore it");
    }
    for (Node n : m.notifyNodes) {
      String user = n.argc() > 1 ? n.arg(1) + (n.argc() > 2 ? " " + n.arg(2) : "") : null;
      report(n.keyword, n.name() + " " + n.arg(0), policy.decide(words(n.arg(0)), user),
          "not run");
    }
  }

  private void report(Token at, String what, io.lbkit.api.script.ScriptPolicy.Decision how, String consequence) {
    if (how.isRefused()) {
      d.warn(at, what + " would be refused (" + how.refused() + "): " + consequence + ", as keepalived does");
    } else if (how.warning() != null) {
      d.warn(at, what + ": " + how.warning());
    }
  }

  private void crossChecks() {
    if (!m.scriptNodes.isEmpty() && !m.globals.enableScriptSecurity()) {
      d.warn(m.scriptNodes.get(0).keyword, "scripts are configured but global_defs has no enable_script_security: "
          + "keepalived runs them as root without checking who can modify them (it logs \"SECURITY VIOLATION\")");
    }
    scriptPolicyChecks();
    for (Token[] ref : m.scriptRefs) {
      String name = ref[0].text();
      if (m.droppedScripts.containsKey(name)) {
        d.warn(ref[0], "track_script " + name + ": that vrrp_script was dropped (no script at line "
            + m.droppedScripts.get(name).end().line() + "); not tracked");
      } else if (!m.scripts.containsKey(name)) {
        String hint = Keywords.suggest(name, m.scripts.keySet());
        d.error(ref[0], "track_script " + name + ": no vrrp_script " + name + " is defined"
            + (hint != null ? "; did you mean '" + hint + "'?" : ""));
      }
    }
    for (Token ref : m.fileRefs) {
      if (!m.trackFiles.containsKey(ref.text())) {
        d.error(ref, "track_file " + ref.text() + ": no track_file block " + ref.text() + " is defined");
      } else if (!m.files.containsKey(ref.text())) {
        d.warn(ref, "track_file " + ref.text() + ": that track_file was dropped (line "
            + m.trackFiles.get(ref.text()).keyword.line() + "); not tracked");
      }
    }
    for (var g : m.syncGroups) {
      for (String member : g.instances()) {
        if (!m.instanceNodes.containsKey(member)) {
          d.error(m.syncGroupNodes.get(g.name()).keyword, "vrrp_sync_group " + g.name() + ": member " + member
              + " is not a vrrp_instance");
        }
      }
    }
    Map<String, VrrpInstanceSpec> byVrid = new HashMap<>();
    Map<InetAddress, String> vips = new HashMap<>();
    for (VrrpInstanceSpec s : m.instances) {
      String key = s.interfaceName() + "/" + s.family() + "/" + s.vrid();
      VrrpInstanceSpec other = byVrid.putIfAbsent(key, s);
      if (other != null) {
        d.warn(m.instanceNodes.get(s.name()).keyword, "vrrp_instance " + s.name() + " uses virtual_router_id "
            + s.vrid() + " on " + s.interfaceName() + " like vrrp_instance " + other.name() + " (line "
            + m.instanceNodes.get(other.name()).keyword.line() + "): the two will fight over one virtual MAC");
      }
      for (VirtualAddress a : s.virtualAddresses()) {
        vips.putIfAbsent(a.address().address(), s.name());
        String dev = a.interfaceName() != null ? a.interfaceName() : s.interfaceName();
        List<io.lbkit.api.net.IfAddress> local = host.get(dev);
        if (local != null && local.stream().noneMatch(l -> sameSubnet(l, a.address().address()))) {
          d.warn(m.instanceNodes.get(s.name()).keyword, "vrrp_instance " + s.name() + ": VIP "
              + io.lbkit.api.net.Inet.format(a.address().address()) + " is outside every subnet of " + dev + " " + local
              + "; hosts on that link will not reach it directly");
        }
      }
    }
    for (Node sorry : m.sorryServers) {
      try {
        InetAddress a = io.lbkit.api.net.Inet.parse(sorry.arg(0));
        if (vips.containsKey(a)) {
          d.warn(sorry.keyword, "sorry_server " + sorry.rest() + " is this director's own VIP (vrrp_instance "
              + vips.get(a) + "): IPVS would send clients back to the director itself; keepalived accepts this "
              + "silently");
        }
      } catch (IllegalArgumentException e) {
        // already reported where it was read
      }
    }
  }

  static boolean sameSubnet(io.lbkit.api.net.IfAddress net, InetAddress a) {
    byte[] x = net.address().getAddress();
    byte[] y = a.getAddress();
    if (x.length != y.length) {
      return false;
    }
    int bits = net.prefixLength();
    for (int i = 0; i < x.length && bits > 0; i++, bits -= 8) {
      int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
      if ((x[i] & mask) != (y[i] & mask)) {
        return false;
      }
    }
    return true;
  }

  /** Reports an unknown keyword, a deprecated one's replacement, or a suggestion. */
  static void unknown(Diags d, Node n, String where, Set<String> known) {
    if (d.full()) {
      d.error(n.keyword, "");
      return;
    }
    String k = n.name();
    String dep = Keywords.DEPRECATED.get(k);
    if (dep != null) {
      // the places that still take an old spelling read it before coming here; anywhere else keepalived 2.2.7
      // does not know it ("Unknown keyword") and the value is lost (lb_algo here leaves the scheduler at wlc)
      d.error(n.keyword, "unknown keyword '" + k + "' in " + where + " (keepalived ignores it); " + k
          + " is the old spelling of " + dep + Keywords.deprecatedPlace(k));
      return;
    }
    String hint = Keywords.suggest(k, known);
    d.error(n.keyword, "unknown keyword '" + k + "' in " + where + (hint != null ? "; did you mean '" + hint
        + "'?" : ""));
  }

  /**
   * A keyword keepalived knows and lbkit reads but cannot carry into the spec yet (so it
   * is lost at run time and on export): a warning at its line, never silence.
   */
  static void unsupported(Diags d, Node n, String where) {
    d.warn(n.keyword, "parsed but not yet supported: " + n.name() + " (in " + where + "); lbkit ignores it");
  }

  /** A script line split like keepalived: spaces separate, single quotes group. */
  static List<String> words(String s) {
    List<String> out = new ArrayList<>();
    StringBuilder w = new StringBuilder();
    boolean inQuote = false;
    boolean any = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\'') {
        inQuote = !inQuote;
        any = true;
      } else if (c == ' ' && !inQuote) {
        if (any) {
          out.add(w.toString());
          w.setLength(0);
          any = false;
        }
      } else {
        w.append(c);
        any = true;
      }
    }
    if (any) {
      out.add(w.toString());
    }
    return out;
  }

  static List<String> argList(Node n) {
    List<String> l = new ArrayList<>();
    for (Token t : n.args) {
      l.add(t.text());
    }
    return l;
  }
}
