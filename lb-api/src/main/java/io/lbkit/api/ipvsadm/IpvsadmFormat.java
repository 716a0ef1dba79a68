package io.lbkit.api.ipvsadm;

import io.lbkit.api.Family;
import io.lbkit.api.Forwarding;
import io.lbkit.api.Protocol;
import io.lbkit.api.RealServerKey;
import io.lbkit.api.Scheduler;
import io.lbkit.api.SchedulerFlag;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.ipvs.IpvsDest;
import io.lbkit.api.ipvs.IpvsInfo;
import io.lbkit.api.ipvs.IpvsOp;
import io.lbkit.api.ipvs.IpvsRules;
import io.lbkit.api.ipvs.IpvsService;
import io.lbkit.api.ipvs.IpvsStats;
import io.lbkit.api.ipvs.IpvsTimeouts;
import io.lbkit.api.ipvs.ServiceSnapshot;
import io.lbkit.api.ipvs.SyncDaemon;
import io.lbkit.api.net.Inet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Renders IPVS state exactly as Debian's ipvsadm 1.31 prints it with {@code -n}, so
 * that lbkit's output can be diffed against ipvsadm's byte for byte (trailing
 * blanks included). Sorting follows libipvs's comparators, including their signed
 * 32-bit differences (which put 192.168.0.200 before 10.0.0.2).
 *
 * <pre>{@code
 * System.out.print(IpvsadmFormat.list(ipvs.info(), ipvs.services(), IpvsadmFormat.View.DEFAULT, true));
 * System.out.print(IpvsadmFormat.save(ipvs.services(), true));
 * }</pre>
 */
public final class IpvsadmFormat {
  private IpvsadmFormat() {}

  /** The column set of {@code ipvsadm -L}. */
  public enum View {
    /** {@code ipvsadm -L -n}. */
    DEFAULT,
    /** {@code --stats}. */
    STATS,
    /** {@code --rate}. */
    RATE,
    /** {@code --thresholds}. */
    THRESHOLDS,
    /** {@code --persistent-conn}. */
    PERSISTENT_CONN,
    /** {@code --tun-info}. */
    TUN_INFO
  }

  /** {@code ipvsadm -L -n} (sorted) or {@code ipvsadm -L -n --nosort}. */
  public static String list(IpvsInfo info, List<ServiceSnapshot> services, View view, boolean sort) {
    return list(info, services, view, sort, false);
  }

  /** {@code ipvsadm -L -n} with a view, sorting and {@code --exact}. */
  public static String list(IpvsInfo info, List<ServiceSnapshot> services, View view, boolean sort, boolean exact) {
    StringBuilder out = new StringBuilder(256 + services.size() * 128);
    out.append("IP Virtual Server version ").append(info.versionString())
        .append(" (size=").append(info.connTableSize()).append(")\n");
    out.append(title(view));
    for (ServiceSnapshot s : ordered(services, sort)) {
      serviceLine(out, s, view, exact);
      for (ServiceSnapshot.DestSnapshot d : destsOf(s, sort)) {
        destLine(out, s.key(), d, view, exact);
      }
    }
    return out.toString();
  }

  /** {@code ipvsadm -S -n}: rules that {@code ipvsadm -R} restores. */
  public static String save(List<ServiceSnapshot> services, boolean sort) {
    StringBuilder out = new StringBuilder(services.size() * 128);
    for (ServiceSnapshot s : ordered(services, sort)) {
      out.append(IpvsRules.service("-A", s.service())).append('\n');
      for (ServiceSnapshot.DestSnapshot d : destsOf(s, sort)) {
        out.append(IpvsRules.dest("-a", s.key(), d.dest(), false)).append('\n');
      }
    }
    return out.toString();
  }

  /** {@code Timeout (tcp tcpfin udp): 900 120 300}, as {@code ipvsadm -L --timeout}. */
  public static String timeouts(IpvsTimeouts t) {
    return "Timeout (tcp tcpfin udp): " + t.tcp() + " " + t.tcpFin() + " " + t.udp() + "\n";
  }

  /**
   * {@code ipvsadm -L --daemon} as ipvsadm 1.31 prints it: the packet length, multicast
   * group, port and TTL follow the sync id wherever they are set (non-zero, or a group
   * present), which is always the case for what a kernel of 4.3 or later reports.
   */
  public static String daemons(List<SyncDaemon> daemons) {
    StringBuilder out = new StringBuilder();
    for (SyncDaemon d : daemons) {
      out.append(d.role() == SyncDaemon.Role.MASTER ? "master" : "backup")
          .append(" sync daemon (mcast=").append(d.interfaceName()).append(", syncid=").append(d.syncId());
      if (d.maxPacketLength() != 0) {
        out.append(", maxlen=").append(d.maxPacketLength());
      }
      if (d.group() != null) {
        out.append(", group=").append(Inet.format(d.group()));
      }
      if (d.port() != 0) {
        out.append(", port=").append(d.port());
      }
      if (d.ttl() != 0) {
        out.append(", ttl=").append(d.ttl());
      }
      out.append(")\n");
    }
    return out.toString();
  }

  /** One change in {@code ipvsadm -R} syntax (thresholds included, unlike {@code -S}); the same as {@code op.toString()}. */
  public static String ruleOf(IpvsOp op) {
    return IpvsRules.of(op);
  }

  // ---- ordering (libipvs ipvs_cmp_services / ipvs_cmp_dests) ----

  private static List<ServiceSnapshot> ordered(List<ServiceSnapshot> services, boolean sort) {
    if (!sort) {
      return services;
    }
    List<ServiceSnapshot> l = new ArrayList<>(services);
    l.sort(Comparator.comparing(ServiceSnapshot::key, IpvsadmFormat::compareServices));
    return l;
  }

  private static List<ServiceSnapshot.DestSnapshot> destsOf(ServiceSnapshot s, boolean sort) {
    if (!sort) {
      return s.dests();
    }
    List<ServiceSnapshot.DestSnapshot> l = new ArrayList<>(s.dests());
    l.sort((a, b) -> compareDests(a.dest().key(), b.dest().key()));
    return l;
  }

  /** libipvs's service order: fwmark, family, protocol, address, port, each as a C int difference. */
  static int compareServices(ServiceKey a, ServiceKey b) {
    int r = Integer.signum(fwmarkOf(a) - fwmarkOf(b));
    if (r == 0) {
      r = Integer.signum(a.family().number() - b.family().number());
    }
    if (r == 0 && a instanceof ServiceKey.Inet x && b instanceof ServiceKey.Inet y) {
      r = Integer.signum(x.protocol().number() - y.protocol().number());
      if (r == 0) {
        r = compareAddr(x.address().getAddress(), y.address().getAddress());
      }
      if (r == 0) {
        r = Integer.signum(x.port() - y.port());
      }
    }
    return r;
  }

  static int compareDests(RealServerKey a, RealServerKey b) {
    int r = compareAddr(a.address().getAddress(), b.address().getAddress());
    return r != 0 ? r : Integer.signum(a.port() - b.port());
  }

  private static int fwmarkOf(ServiceKey k) {
    return k instanceof ServiceKey.Fwmark f ? f.mark() : 0;
  }

  /** Word by word, each as {@code (int)(ntohl(a) - ntohl(b))}: wraps like C does. */
  private static int compareAddr(byte[] a, byte[] b) {
    if (a.length != b.length) {
      return Integer.compare(a.length, b.length);
    }
    for (int i = 0; i < a.length; i += 4) {
      int r = word(a, i) - word(b, i);
      if (r != 0) {
        return Integer.signum(r);
      }
    }
    return 0;
  }

  private static int word(byte[] b, int i) {
    return (b[i] & 0xff) << 24 | (b[i + 1] & 0xff) << 16 | (b[i + 2] & 0xff) << 8 | (b[i + 3] & 0xff);
  }

  // ---- lines ----

  private static String title(View view) {
    switch (view) {
      case STATS:
        return String.format("%-33s %8s %8s %8s %8s %8s\n  -> RemoteAddress:Port\n", "Prot LocalAddress:Port",
            "Conns", "InPkts", "OutPkts", "InBytes", "OutBytes");
      case RATE:
        return String.format("%-33s %8s %8s %8s %8s %8s\n  -> RemoteAddress:Port\n", "Prot LocalAddress:Port",
            "CPS", "InPPS", "OutPPS", "InBPS", "OutBPS");
      case THRESHOLDS:
        return String.format("%-33s %-10s %-10s %-10s %-10s\n  -> RemoteAddress:Port\n", "Prot LocalAddress:Port",
            "Uthreshold", "Lthreshold", "ActiveConn", "InActConn");
      case PERSISTENT_CONN:
        return String.format("%-33s %-9s %-11s %-10s %-10s\n  -> RemoteAddress:Port\n", "Prot LocalAddress:Port",
            "Weight", "PersistConn", "ActiveConn", "InActConn");
      case TUN_INFO:
        return "Prot LocalAddress:Port Scheduler Flags\n"
            + "  -> RemoteAddress:Port           Forward TunnelInfo    Weight ActiveConn InActConn\n";
      default:
        return "Prot LocalAddress:Port Scheduler Flags\n"
            + "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n";
    }
  }

  private static String addrPort(java.net.InetAddress a, int port) {
    return IpvsRules.addrPort(a, port);
  }

  private static String svcName(ServiceKey key) {
    if (key instanceof ServiceKey.Fwmark f) {
      return "FWM  " + f.mark() + (f.family() == Family.INET6 ? " IPv6" : "");
    }
    ServiceKey.Inet i = (ServiceKey.Inet) key;
    String proto = i.protocol() == Protocol.TCP ? "TCP " : i.protocol() == Protocol.UDP ? "UDP " : "SCTP";
    String name = proto + " " + addrPort(i.address(), i.port());
    return i.family() == Family.INET && name.length() > 33 ? name.substring(0, 33) : name;
  }

  private static void serviceLine(StringBuilder out, ServiceSnapshot s, View view, boolean exact) {
    IpvsService svc = s.service();
    String name = svcName(svc.key());
    if (view == View.STATS || view == View.RATE) {
      out.append(String.format("%-33s", name));
      IpvsStats st = s.stats();
      if (view == View.STATS) {
        largenums(out, exact, st.conns(), st.inPackets(), st.outPackets(), st.inBytes(), st.outBytes());
      } else {
        largenums(out, exact, st.cps(), st.inPps(), st.outPps(), st.inBps(), st.outBps());
      }
      out.append('\n');
      return;
    }
    out.append(name).append(' ').append(svc.scheduler().name());
    String flags = flagLabels(svc.schedulerFlags());
    if (!flags.isEmpty()) {
      out.append(" (").append(flags).append(')');
    }
    if (svc.persistence() != null) {
      out.append(" persistent ").append(svc.timeout());
      String mask = mask(svc);
      if (mask != null) {
        out.append(" mask ").append(mask);
      }
      if (svc.persistenceEngine() != null) {
        out.append(" pe ").append(svc.persistenceEngine());
      }
    }
    if (svc.onePacket()) {
      out.append(" ops");
    }
    out.append('\n');
  }

  private static void destLine(StringBuilder out, ServiceKey svc, ServiceSnapshot.DestSnapshot d, View view,
      boolean exact) {
    IpvsDest dest = d.dest();
    String name = addrPort(dest.key().address(), dest.key().port());
    if (svc.family() == Family.INET && name.length() > 28) {
      name = name.substring(0, 28);
    }
    switch (view) {
      case STATS:
        out.append(String.format("  -> %-28s", name));
        largenums(out, exact, d.stats().conns(), d.stats().inPackets(), d.stats().outPackets(), d.stats().inBytes(),
            d.stats().outBytes());
        out.append('\n');
        break;
      case RATE:
        out.append(String.format("  -> %-28s %8d %8d %8d", name, d.stats().cps() & 0xffffffffL,
            d.stats().inPps() & 0xffffffffL, d.stats().outPps() & 0xffffffffL));
        largenums(out, exact, d.stats().inBps(), d.stats().outBps());
        out.append('\n');
        break;
      case THRESHOLDS:
        out.append(String.format("  -> %-28s %-10d %-10d %-10d %-10d\n", name, dest.upperThreshold(),
            dest.lowerThreshold(), d.activeConns(), d.inactiveConns()));
        break;
      case PERSISTENT_CONN:
        out.append(String.format("  -> %-28s %-9d %-11d %-10d %-10d\n", name, dest.weight(), d.persistentConns(),
            d.activeConns(), d.inactiveConns()));
        break;
      case TUN_INFO:
        out.append(String.format("  -> %-28s %-7s %-13s %-6d %-10d %-10d\n", name,
            dest.forwarding().method().ipvsadmName(), tunInfo(dest.forwarding()), dest.weight(), d.activeConns(),
            d.inactiveConns()));
        break;
      default:
        out.append(String.format("  -> %-28s %-7s %-6d %-10d %-10d\n", name, dest.forwarding().method().ipvsadmName(),
            dest.weight(), d.activeConns(), d.inactiveConns()));
    }
  }

  private static String tunInfo(Forwarding f) {
    if (f.method() != Forwarding.Method.TUNNEL) {
      return "n/a";
    }
    switch (f.tunnelType()) {
      case GUE:
        return "gue:" + f.tunnelPort() + ":" + csumLabel(f.csum());
      case GRE:
        return "gre:" + csumLabel(f.csum());
      default:
        return "ipip";
    }
  }

  private static String csumLabel(Forwarding.TunnelCsum c) {
    return c == Forwarding.TunnelCsum.CSUM ? "+c" : c == Forwarding.TunnelCsum.REMCSUM ? "r+c" : "-c";
  }

  private static void largenums(StringBuilder out, boolean exact, long... values) {
    for (long v : values) {
      String s = Long.toUnsignedString(v);
      if (exact) {
        int width = s.length() <= 8 ? 9 : s.length() + 1;
        out.append(" ".repeat(width - s.length())).append(s);
      } else if (Long.compareUnsigned(v, 100_000_000L) < 0) {
        out.append(String.format("%9s", s));
      } else if (Long.compareUnsigned(v, 1_000_000_000L) < 0) {
        out.append(String.format("%8sK", Long.divideUnsigned(v, 1000L)));
      } else if (Long.compareUnsigned(v, 100_000_000_000L) < 0) {
        out.append(String.format("%8sM", Long.divideUnsigned(v, 1_000_000L)));
      } else if (Long.compareUnsigned(v, 100_000_000_000_000L) < 0) {
        out.append(String.format("%8sG", Long.divideUnsigned(v, 1_000_000_000L)));
      } else {
        out.append(String.format("%8sT", Long.toUnsignedString(Long.divideUnsigned(v, 1_000_000_000_000L))));
      }
    }
  }

  private static String flagLabels(Set<SchedulerFlag> flags) {
    return IpvsRules.flagLabels(flags);
  }

  private static String mask(IpvsService svc) {
    return IpvsRules.mask(svc);
  }

}
