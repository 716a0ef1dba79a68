package io.lbkit.config.keepalived;

import io.lbkit.api.GlobalDefs;
import io.lbkit.api.ipvs.IpvsTimeouts;
import io.lbkit.api.ipvs.SyncDaemon;
import io.lbkit.api.net.IfAddress;
import io.lbkit.api.net.Inet;
import io.lbkit.api.net.Route;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** global_defs, static_ipaddress and static_routes. */
final class GlobalMapper {
  private final Values v;
  private final Diags d;
  private final Model m;
  /** lvs_sync_daemon's instance name, set by {@link #syncDaemon}. */
  private String syncInstance;

  GlobalMapper(Values v, Model m) {
    this.v = v;
    this.d = v.diags();
    this.m = m;
  }

  void globalDefs(Node block) {
    GlobalDefs g = m.globals;
    String routerId = g.routerId();
    boolean flush = g.lvsFlush();
    boolean flushOnStop = g.lvsFlushOnStop();
    IpvsTimeouts timeouts = g.timeouts();
    SyncDaemon sync = g.syncDaemon();
    boolean security = g.enableScriptSecurity();
    String user = g.scriptUser();
    String scriptGroup = g.scriptGroup();
    boolean flushVs = g.lvsFlushOnStopVs();
    syncInstance = g.syncDaemonInstance();
    Map<String, String> other = new LinkedHashMap<>(g.other());
    for (Node n : block.children) {
      String k = n.name();
      switch (k) {
        case "router_id" -> {
          if (v.need(n, 1)) {
            routerId = n.arg(0);
          }
        }
        case "lvs_flush" -> flush = true;
        case "lvs_flush_onstop", "lvs_flush_on_stop" -> {
          if (k.equals("lvs_flush_onstop")) {
            d.warn(n.keyword, "lvs_flush_onstop is deprecated; use lvs_flush_on_stop");
          }
          flushOnStop = n.argc() == 0 || !n.arg(0).equals("off");
          flushVs = flushOnStop && n.argc() > 0 && n.arg(0).equals("VS");
        }
        case "lvs_timeouts" -> timeouts = timeouts(n);
        case "lvs_sync_daemon" -> sync = syncDaemon(n);
        case "enable_script_security" -> security = true;
        case "script_user" -> {
          if (v.need(n, 1)) {
            user = n.arg(0);
            scriptGroup = n.argc() > 1 ? n.arg(1) : null;
            v.noExtra(n, 2);
          }
        }
        case "vrrp_version" -> {
          Integer ver = v.int32(n, 0, 2, 3);
          if (ver != null) {
            m.vrrpVersion = ver;
            other.put(k, n.rest());
          }
        }
        case "smtp_server" -> {
          if (smtpServer(n)) {
            other.put(k, words(n));
          }
        }
        case "smtp_connect_timeout" -> {
          // whole seconds, read_unsigned 0-4294 (UINT_MAX microseconds); 0 is kept for old configs as 1
          Long t = v.decimal(n, 0, 0, Values.UINT_MAX / 1_000_000);
          if (t != null && t == 0) {
            d.warn(n.at(0), "smtp_connect_timeout 0: keepalived wants at least 1 and sets it to 1");
            other.put(k, "1");
          } else if (t != null) {
            other.put(k, n.arg(0));
          }
        }
        default -> {
          if (!Keywords.GLOBAL.contains(k)) {
            Mapper.unknown(d, n, "global_defs", Keywords.GLOBAL);
          } else if (n.argc() == 0 && !n.isBlock() && Keywords.GLOBAL_NEEDS_VALUE.contains(k)) {
            d.error(n.keyword, k + " needs a value (keepalived ignores the line or stops)");
          } else if (k.equals("notification_email") && n.isBlock() && n.children.isEmpty()) {
            d.warn(n.keyword, "empty notification_email block (keepalived: \"Warning - empty notification_email "
                + "block\")");
            other.put(k, blockText(n));
          } else {
            other.put(k, n.isBlock() ? blockText(n) : words(n));
          }
        }
      }
    }
    m.globals = new GlobalDefs(routerId, flush, flushOnStop, timeouts, sync, security, user, other,
        sync == null ? null : syncInstance, flushVs, scriptGroup);
  }

  /**
   * smtp_server ADDRESS|NAME [PORT]: an IP address or a host name (keepalived resolves a
   * name when it starts; lbkit does not look it up), and a port 1-65535 (default 25).
   */
  private boolean smtpServer(Node n) {
    if (!v.need(n, 1)) {
      return false;
    }
    String host = n.arg(0);
    boolean ip;
    try {
      io.lbkit.api.net.Inet.parse(host);
      ip = true;
    } catch (IllegalArgumentException e) {
      ip = false;
    }
    String label = "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
    if (!ip && !host.matches("(?=.{1,253}$)" + label + "(\\." + label + ")*\\.?")) {
      d.error(n.at(0), "smtp_server '" + host + "' is not an IP address or a host name (keepalived: \"Invalid smtp "
          + "server\"; it sends no mail)");
      return false;
    }
    if (n.argc() > 1 && v.decimal(n, 1, 1, 65535) == null) {
      return false;
    }
    v.noExtra(n, 2);
    return true;
  }

  static String blockText(Node n) {
    StringBuilder sb = new StringBuilder("{\n");
    for (Node c : n.children) {
      sb.append(c.name());
      if (c.argc() > 0) {
        sb.append(' ').append(words(c));
      }
      sb.append('\n');
    }
    return sb.append('}').toString();
  }

  /** The arguments as keepalived.conf words: quoted again where the file quoted them (a script with arguments). */
  static String words(Node n) {
    StringBuilder sb = new StringBuilder();
    for (Token t : n.args) {
      String s = t.text();
      sb.append(sb.length() == 0 ? "" : " ").append(s.isEmpty() || s.matches(".*[\\s\"{}#!\\\\].*") ? Exporter.q(s) : s);
    }
    return sb.toString();
  }

  private IpvsTimeouts timeouts(Node n) {
    int tcp = 0;
    int fin = 0;
    int udp = 0;
    for (int i = 0; i + 1 < n.argc(); i += 2) {
      Integer val = v.int32(n, i + 1, 1, 86400 * 31);
      if (val == null) {
        return null;
      }
      switch (n.arg(i)) {
        case "tcp" -> tcp = val;
        case "tcpfin" -> fin = val;
        case "udp" -> udp = val;
        default -> {
          d.error(n.at(i), "lvs_timeouts: unknown '" + n.arg(i) + "' (allowed tcp, tcpfin, udp)");
          return null;
        }
      }
    }
    if (n.argc() % 2 != 0 || n.argc() == 0) {
      d.error(n.keyword, "lvs_timeouts needs pairs: tcp N tcpfin N udp N");
    }
    return new IpvsTimeouts(tcp, fin, udp);
  }

  private SyncDaemon syncDaemon(Node n) {
    if (!v.need(n, 1)) {
      return null;
    }
    String ifname = n.arg(0);
    int id = 0;
    int maxlen = 0;
    int port = 0;
    int ttl = 0;
    InetAddress group = null;
    int i = 1;
    syncInstance = null;
    m.syncIdToken = null;
    m.syncDaemonNode = n;
    if (i < n.argc() && !List.of("id", "maxlen", "port", "ttl", "group").contains(n.arg(i))) {
      // the VRRP instance whose state picks the daemon's role: [[inst] NAME]
      if (n.arg(i).equals("inst") && i + 1 < n.argc()) {
        i++;
      }
      syncInstance = n.arg(i++);
    }
    for (; i < n.argc(); i += 2) {
      String opt = n.arg(i);
      Integer val;
      switch (opt) {
        case "id" -> val = v.int32(n, i + 1, 0, 255);
        case "maxlen" -> val = v.int32(n, i + 1, 1, 65507);
        case "port" -> val = v.int32(n, i + 1, 1, 65535);
        case "ttl" -> val = v.int32(n, i + 1, 1, 255);
        case "group" -> {
          group = v.address(n, i + 1);
          continue;
        }
        default -> {
          d.error(n.at(i), "lvs_sync_daemon: unknown option '" + opt + "' (allowed id, maxlen, port, ttl, group)");
          return null;
        }
      }
      if (val == null) {
        return null;
      }
      switch (opt) {
        case "id" -> {
          id = val;
          m.syncIdToken = n.at(i);
        }
        case "maxlen" -> maxlen = val;
        case "port" -> port = val;
        default -> ttl = val;
      }
    }
    try {
      return new SyncDaemon(SyncDaemon.Role.MASTER, ifname, id, maxlen, group, port, ttl);
    } catch (IllegalArgumentException e) {
      d.error(n.keyword, "lvs_sync_daemon: " + e.getMessage());
      return null;
    }
  }

  /** static_ipaddress: {@code ADDR[/PREFIX] [brd B] dev IF [scope S] [label L]} per line. */
  void staticAddresses(Node block) {
    for (Node n : block.children) {
      VipLine vip = VipLine.parse(n, d);
      if (vip == null) {
        continue;
      }
      if (vip.dev() == null) {
        d.error(n.keyword, "static_ipaddress " + n.name() + " needs 'dev INTERFACE'");
        continue;
      }
      m.staticAddresses.computeIfAbsent(vip.dev(), x -> new ArrayList<>()).add(vip.address());
    }
  }

  /** static_routes: {@code [src S] DEST[/P] [via|gw GW] [dev IF] [src S] [metric N] [table T] [scope S]}. */
  void staticRoutes(Node block) {
    for (Node n : block.children) {
      List<String> w = new ArrayList<>();
      w.add(n.name());
      for (int i = 0; i < n.argc(); i++) {
        w.add(n.arg(i));
      }
      if (!w.contains("no_track") && !w.contains("dev") && !w.contains("oif")) {
        d.warn(n.keyword, VirtualRoutes.untracked("static_routes", w));
      }
      try {
        InetAddress src = null;
        int first = 0;
        if (w.get(0).equals("src") && w.size() > 2) { // keepalived takes 'src ADDR' before the destination too
          src = Inet.parse(w.get(1));
          first = 2;
        }
        String dest = w.get(first);
        if (dest.equals("blackhole") || dest.equals("unreachable") || dest.equals("prohibit")
            || dest.equals("throw")) {
          d.warn(n.keyword, "static_routes: route type " + dest + ": lbkit does not install it");
          continue;
        }
        IfAddress a = IfAddress.parse(dest.equals("default") ? "0.0.0.0/0" : dest);
        InetAddress gw = null;
        String dev = null;
        int metric = 0;
        int table = Route.TABLE_MAIN;
        int scope = 0;
        for (int i = first + 1; i < w.size(); i++) {
          String o = w.get(i);
          String val = i + 1 < w.size() ? w.get(i + 1) : null;
          switch (o) {
            case "via", "gw" -> {
              if (o.equals("gw")) {
                d.warn(n.keyword, "static_routes: \"gw\" for routes is deprecated; use \"via\" (keepalived says so)");
              }
              gw = Inet.parse(val);
              i++;
            }
            case "or" -> i++;
            case "dev" -> { dev = val; i++; }
            case "src" -> { src = Inet.parse(val); i++; }
            case "metric", "preference" -> { metric = Integer.parseInt(val); i++; }
            case "table" -> { table = val.equals("main") ? Route.TABLE_MAIN : Integer.parseInt(val); i++; }
            case "scope" -> { scope = val.equals("link") ? 253 : val.equals("host") ? 254 : 0; i++; }
            case "no_track" -> { }
            default -> i++; // ip-route options lbkit keeps to the kernel's defaults (protocol, mtu...)
          }
        }
        m.staticRoutes.add(new Route(a.address(), a.prefixLength(), gw, dev, src, metric, table,
            scope == 0 && gw == null ? 253 : scope));
      } catch (RuntimeException e) {
        d.error(n.keyword, "static_routes: cannot read route '" + String.join(" ", w) + "': " + e.getMessage());
      }
    }
  }
}
