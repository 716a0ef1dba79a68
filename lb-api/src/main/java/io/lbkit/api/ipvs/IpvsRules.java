package io.lbkit.api.ipvs;

import io.lbkit.api.Family;
import io.lbkit.api.Forwarding;
import io.lbkit.api.Protocol;
import io.lbkit.api.SchedulerFlag;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.net.Inet;
import java.util.Set;

/**
 * IPVS rules in {@code ipvsadm -R} syntax: what {@code IpvsOp.toString()} prints and what
 * {@code IpvsadmFormat.save} writes. Kept beside the ops so that they render themselves
 * without depending on the renderer above them.
 */
public final class IpvsRules {
  private IpvsRules() {}

  /** One change in {@code ipvsadm -R} syntax (thresholds included, unlike {@code -S}). */
  public static String of(IpvsOp op) {
    if (op instanceof IpvsOp.AddService a) {
      return service("-A", a.service());
    } else if (op instanceof IpvsOp.UpdateService u) {
      return service("-E", u.service());
    } else if (op instanceof IpvsOp.DeleteService d) {
      return "-D " + serviceArg(d.key());
    } else if (op instanceof IpvsOp.AddDest a) {
      return dest("-a", a.key(), a.dest(), true);
    } else if (op instanceof IpvsOp.UpdateDest u) {
      return dest("-e", u.key(), u.dest(), true);
    }
    IpvsOp.DeleteDest d = (IpvsOp.DeleteDest) op;
    return "-d " + serviceArg(d.key()) + " -r " + d.dest();
  }

  /** See {@link IpvsOp#operation()}. */
  static String operation(IpvsOp op) {
    String what;
    if (op instanceof IpvsOp.AddService a) {
      what = "add service " + a.service().key();
    } else if (op instanceof IpvsOp.UpdateService u) {
      what = "update service " + u.service().key();
    } else if (op instanceof IpvsOp.DeleteService d) {
      what = "delete service " + d.key();
    } else if (op instanceof IpvsOp.AddDest a) {
      what = "add destination " + a.dest().key() + " to " + a.key();
    } else if (op instanceof IpvsOp.UpdateDest u) {
      what = "update destination " + u.dest().key() + " of " + u.key();
    } else {
      IpvsOp.DeleteDest d = (IpvsOp.DeleteDest) op;
      what = "delete destination " + d.dest() + " of " + d.key();
    }
    return "IPVS " + what + " (" + of(op) + ")";
  }

  /**
   * An address and port as ipvsadm prints them ({@code [v6]:port}).
   *
   * @param a the address
   * @param port the port
   * @return {@code a:port}
   */
  public static String addrPort(java.net.InetAddress a, int port) {
    String s = Inet.format(a);
    return (a instanceof java.net.Inet6Address ? "[" + s + "]" : s) + ":" + port;
  }

  /**
   * Scheduler flags as ipvsadm's {@code -b} list ({@code flag-1,flag-2}).
   *
   * @param flags the flags
   * @return the comma-separated labels, empty for none
   */
  public static String flagLabels(Set<SchedulerFlag> flags) {
    StringBuilder sb = new StringBuilder();
    for (SchedulerFlag f : SchedulerFlag.values()) {
      if (flags.contains(f)) {
        if (sb.length() > 0) {
          sb.append(',');
        }
        sb.append(f.label());
      }
    }
    return sb.toString();
  }

  /**
   * A persistent service's netmask as ipvsadm's {@code -M} prints it.
   *
   * @param svc the service
   * @return the mask, or null for a host mask
   */
  public static String mask(IpvsService svc) {
    if (svc.key().family() == Family.INET) {
      int m = svc.netmask();
      return m == 0xffffffff ? null
          : ((m >>> 24) & 0xff) + "." + ((m >>> 16) & 0xff) + "." + ((m >>> 8) & 0xff) + "." + (m & 0xff);
    }
    return svc.netmask() == 128 ? null : Integer.toString(svc.netmask());
  }


  static String serviceArg(ServiceKey key) {
    if (key instanceof ServiceKey.Fwmark f) {
      return "-f " + f.mark() + (f.family() == Family.INET6 ? " -6" : "");
    }
    ServiceKey.Inet i = (ServiceKey.Inet) key;
    String opt = i.protocol() == Protocol.TCP ? "-t" : i.protocol() == Protocol.UDP ? "-u" : "--sctp-service";
    return opt + " " + addrPort(i.address(), i.port());
  }

  /**
   * A service rule: {@code cmd} ({@code -A} or {@code -E}) and the service as {@code ipvsadm -S -n} writes it.
   *
   * @param cmd the ipvsadm command switch
   * @param svc the service
   * @return the rule
   */
  public static String service(String cmd, IpvsService svc) {
    StringBuilder sb = new StringBuilder(cmd).append(' ').append(serviceArg(svc.key()))
        .append(" -s ").append(svc.scheduler().name());
    if (svc.persistence() != null) {
      sb.append(" -p ").append(svc.timeout());
      String mask = mask(svc);
      if (mask != null) {
        sb.append(" -M ").append(mask);
      }
      if (svc.persistenceEngine() != null) {
        sb.append(" --pe ").append(svc.persistenceEngine());
      }
    }
    if (svc.onePacket()) {
      sb.append(" -o");
    }
    String flags = flagLabels(svc.schedulerFlags());
    if (!flags.isEmpty()) {
      sb.append(" -b ").append(flags);
    }
    return sb.toString();
  }

  /**
   * A destination rule: {@code cmd} ({@code -a} or {@code -e}), the service and the destination.
   *
   * @param cmd the ipvsadm command switch
   * @param svc the service the destination belongs to
   * @param d the destination
   * @param thresholds whether to write {@code -x}/{@code -y} ({@code ipvsadm -S} does not)
   * @return the rule
   */
  public static String dest(String cmd, ServiceKey svc, IpvsDest d, boolean thresholds) {
    Forwarding f = d.forwarding();
    String sw = f.method() == Forwarding.Method.MASQ ? "-m" : f.method() == Forwarding.Method.TUNNEL ? "-i" : "-g";
    StringBuilder sb = new StringBuilder(cmd).append(' ').append(serviceArg(svc)).append(" -r ")
        .append(addrPort(d.key().address(), d.key().port())).append(' ').append(sw).append(" -w ").append(d.weight());
    if (thresholds && d.upperThreshold() != 0) {
      sb.append(" -x ").append(d.upperThreshold());
    }
    if (thresholds && d.lowerThreshold() != 0) {
      sb.append(" -y ").append(d.lowerThreshold());
    }
    if (f.method() == Forwarding.Method.TUNNEL) {
      sb.append(" --tun-type ").append(f.tunnelType().name().toLowerCase(java.util.Locale.ROOT));
      if (f.tunnelType() == Forwarding.TunnelType.GUE) {
        sb.append(" --tun-port ").append(f.tunnelPort());
      }
      if (f.tunnelType() != Forwarding.TunnelType.IPIP) {
        sb.append(f.csum() == Forwarding.TunnelCsum.CSUM ? " --tun-csum"
            : f.csum() == Forwarding.TunnelCsum.REMCSUM ? " --tun-remcsum" : " --tun-nocsum");
      }
    }
    return sb.toString();
  }
}
