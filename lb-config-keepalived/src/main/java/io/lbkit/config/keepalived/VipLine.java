package io.lbkit.config.keepalived;

import io.lbkit.api.Family;
import io.lbkit.api.net.IfAddress;
import io.lbkit.api.net.Inet;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One address line of virtual_ipaddress / static_ipaddress:
 * {@code ADDR[/PREFIX] [brd B] [dev IF] [scope S] [label L] [no_track] ...}.
 */
record VipLine(IfAddress address, String dev, List<String> options) {

  static VipLine parse(Node n, Diags d) {
    return parse(n, d, false);
  }

  /**
   * One line; {@code carried}: the options lbkit does not apply are kept in {@link #options()}
   * for export (a vrrp_instance's addresses) rather than dropped (static_ipaddress).
   */
  static VipLine parse(Node n, Diags d, boolean carried) {
    List<String> options = new ArrayList<>();
    String cidr = n.name();
    IfAddress a;
    try {
      int slash = cidr.indexOf('/');
      InetAddress ip = Inet.parse(slash < 0 ? cidr : cidr.substring(0, slash));
      int bits = Family.of(ip).bits();
      int prefix = slash < 0 ? bits : Integer.parseInt(cidr.substring(slash + 1));
      a = new IfAddress(ip, prefix, null, IfAddress.SCOPE_GLOBAL, null, Family.of(ip) == Family.INET6);
    } catch (RuntimeException e) {
      d.error(n.keyword, "'" + cidr + "' is not an address or address/prefix: " + e.getMessage());
      return null;
    }
    String dev = null;
    for (int i = 0; i < n.argc(); i++) {
      String o = n.arg(i);
      boolean hasValue = i + 1 < n.argc();
      String val = hasValue ? n.arg(i + 1) : null;
      try {
        switch (o) {
          case "dev" -> { dev = val; i++; }
          case "brd", "broadcast" -> { a = a.withBroadcast(val.equals("+") || val.equals("-") ? null : Inet.parse(val)); i++; }
          case "label" -> { a = a.withLabel(val); i++; }
          case "scope" -> { a = a.withScope(scope(val)); i++; }
          case "no_track", "home", "-nodad", "mngtmpaddr", "noprefixroute", "autojoin", "use_vmac" ->
              notApplied(d, n.at(i), cidr, o, carried, options);
          case "track_group", "metric", "preferred_lft", "valid_lft", "peer" -> {
            if (val == null) {
              d.error(n.at(i), "address " + cidr + ": '" + o + "' needs a value");
              return null;
            }
            if (o.equals("peer") && cidr.contains("/")) {
              d.warn(n.at(i), "address " + cidr + ": keepalived ignores the prefix when a peer address is given");
            }
            notApplied(d, n.at(i), cidr, o + " " + val, carried, options);
            i++;
          }
          case "nodad" -> d.warn(n.at(i), "address " + cidr + ": unknown option 'nodad' ignored, as keepalived does "
              + "(did you mean '-nodad'?)");
          default -> {
            d.error(n.at(i), "address " + cidr + ": unknown option '" + o
                + "' (allowed dev, brd, label, scope, peer, no_track, home, -nodad, mngtmpaddr, noprefixroute, "
                + "autojoin, use_vmac, preferred_lft, track_group)");
            return null;
          }
        }
        if (val == null && Set.of("dev", "brd", "broadcast", "label", "scope").contains(o)) {
          d.error(n.at(i), "address " + cidr + ": '" + o + "' needs a value");
          return null;
        }
      } catch (RuntimeException e) {
        d.error(n.at(Math.min(i + 1, n.argc() - 1)), "address " + cidr + ": bad " + o + " '" + val + "': "
            + e.getMessage());
        return null;
      }
    }
    return new VipLine(a, dev, carried ? List.copyOf(options) : List.of());
  }

  static int scope(String s) {
    return switch (s) {
      case "global", "universe" -> 0;
      case "site" -> 200;
      case "link" -> 253;
      case "host" -> 254;
      case "nowhere" -> 255;
      default -> Integer.parseInt(s);
    };
  }

  /** An address option lbkit does not apply (VirtualAddress / IfAddress have no place for it). */
  private static void notApplied(Diags d, Token at, String cidr, String option, boolean carried,
      List<String> options) {
    if (carried) {
      options.add(option);
      d.warn(at, "address " + cidr + ": option '" + option + "' carried (exported back), but lbkit adds the address "
          + "without it");
    } else {
      d.warn(at, "address " + cidr + ": option '" + option + "' is not carried (lbkit adds the address without it, "
          + "and an export leaves it out)");
    }
  }

  static String scopeName(int s) {
    return switch (s) {
      case 0 -> "global";
      case 200 -> "site";
      case 253 -> "link";
      case 254 -> "host";
      case 255 -> "nowhere";
      default -> Integer.toString(s);
    };
  }
}
