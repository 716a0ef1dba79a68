package io.lbkit.config.keepalived;

import io.lbkit.api.Forwarding;
import io.lbkit.api.Persistence;
import io.lbkit.api.RealServer;
import java.net.InetAddress;

/** Argument readers of virtual_server and real_server keywords: forwarding methods, granularity, weights. */
final class ServiceArgs {
  private ServiceArgs() {}

  static Forwarding forwarding(Node n, Values v) {
    if (!v.need(n, 1)) {
      return null;
    }
    switch (n.arg(0)) {
      case "NAT": return Forwarding.NAT;
      case "DR": return Forwarding.DR;
      case "LOCAL": return Forwarding.LOCAL;
      case "TUN": break;
      default:
        v.diags().error(n.at(0), n.name() + " '" + n.arg(0) + "' is not NAT, DR or TUN");
        return null;
    }
    Forwarding f = Forwarding.TUN;
    try {
      for (int i = 1; i < n.argc(); i++) {
        switch (n.arg(i)) {
          case "type" -> {
            String t = n.arg(++i);
            if (t.equals("gue")) {
              if (!n.arg(++i).equals("port")) {
                throw new IllegalArgumentException("gue needs 'port N'");
              }
              f = Forwarding.gue(Integer.parseInt(n.arg(++i)));
            } else if (t.equals("gre")) {
              f = Forwarding.gre();
            } else if (!t.equals("ipip")) {
              throw new IllegalArgumentException("tunnel type '" + t + "' is not ipip, gue or gre");
            }
          }
          case "nocsum" -> f = f.withCsum(Forwarding.TunnelCsum.NOCSUM);
          case "csum" -> f = f.withCsum(Forwarding.TunnelCsum.CSUM);
          case "remcsum" -> f = f.withCsum(Forwarding.TunnelCsum.REMCSUM);
          default -> throw new IllegalArgumentException("unknown TUN option '" + n.arg(i) + "'");
        }
      }
    } catch (RuntimeException e) {
      v.diags().error(n.keyword, n.name() + " TUN: " + (e instanceof IndexOutOfBoundsException ? "missing value"
          : e.getMessage()));
      return null;
    }
    return f;
  }

  static Integer granularity(Node n, Values v) {
    if (!v.need(n, 1)) {
      return null;
    }
    String s = n.arg(0);
    try {
      if (s.matches("[0-9]{1,3}")) {
        int p = Integer.parseInt(s);
        if (p >= 1 && p <= 128) {
          return p;
        }
      } else {
        InetAddress a = io.lbkit.api.net.Inet.parse(s);
        if (a.getAddress().length == 4) {
          return Persistence.prefixOfMask(java.nio.ByteBuffer.wrap(a.getAddress()).getInt());
        }
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    v.diags().error(n.at(0), "persistence_granularity '" + s + "' is not a netmask or prefix length 1-128");
    return null;
  }

  /** alpha, omega and inhibit_on_failure of a virtual_server: keepalived turns them on whatever follows. */
  static void ignoredArgument(Node n, Diags d) {
    if (n.argc() > 0) {
      d.warn(n.at(0), n.name() + " " + n.arg(0) + ": in a virtual_server keepalived ignores the argument and turns "
          + n.name() + " on");
    }
  }

  /**
   * A real_server (min 0) or virtual_server (min 1) weight: keepalived takes up to
   * 2147483647; lbkit's real server weight stops at {@link RealServer#MAX_WEIGHT}, so a
   * larger one is capped with a warning.
   */
  static Integer weight(Node n, Values v, long min) {
    Long w = v.decimal(n, 0, min, Integer.MAX_VALUE);
    if (w != null && w > RealServer.MAX_WEIGHT) {
      v.diags().warn(n.at(0), n.name() + " " + n.arg(0) + ": keepalived accepts it, lbkit caps a weight at "
          + RealServer.MAX_WEIGHT);
      return RealServer.MAX_WEIGHT;
    }
    return w == null ? null : (int) (long) w;
  }
}
