package io.lbkit.config.keepalived;

import io.lbkit.api.net.IfAddress;
import io.lbkit.api.net.Inet;
import io.lbkit.api.net.Route;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A vrrp_instance's {@code virtual_routes} block, both ways. Each line is one route in
 * ip-route words: {@code [src ADDR] [to] PREFIX [via|gw ADDR] [dev|oif IFACE]
 * [table N|main|local|default] [metric|preference|priority N] [scope host|link|global|site|nowhere]}.
 * Route types (blackhole, unreachable, prohibit, throw) and other options are warned
 * about and the route is skipped: lbkit installs only unicast routes.
 */
final class VirtualRoutes {
  private static final Map<String, Integer> TABLES = Map.of("main", 254, "local", 255, "default", 253);
  private static final Map<String, Integer> SCOPES = Map.of("global", 0, "universe", 0, "site", 200, "link", 253,
      "host", 254, "nowhere", 255);

  private VirtualRoutes() {}

  static List<Route> parse(Node n, Values v) {
    return parse(n, v, s -> { });
  }

  /**
   * The routes lbkit installs; each line it cannot install (a route type or option it does
   * not model) goes to {@code other} as its words, to be carried for export.
   */
  static List<Route> parse(Node n, Values v, java.util.function.Consumer<String> other) {
    List<Route> out = new ArrayList<>();
    if (!v.block(n)) {
      return out;
    }
    for (Node c : n.children) {
      Route r = line(c, v.diags(), other);
      if (r != null) {
        out.add(r);
      }
    }
    return out;
  }

  private static Route line(Node c, Diags d, java.util.function.Consumer<String> other) {
    List<String> w = new ArrayList<>();
    List<Token> at = new ArrayList<>();
    w.add(c.name());
    at.add(c.keyword);
    for (int i = 0; i < c.argc(); i++) {
      w.add(c.arg(i));
      at.add(c.at(i));
    }
    IfAddress dst = null;
    InetAddress via = null;
    InetAddress src = null;
    String dev = null;
    int table = Route.TABLE_MAIN;
    int metric = 0;
    Integer scope = null;
    if (!w.contains("no_track") && !w.contains("dev") && !w.contains("oif")) {
      d.warn(c.keyword, untracked("virtual_routes", w));
    }
    try {
      for (int i = 0; i < w.size(); i++) {
        String k = w.get(i);
        switch (k) {
          case "src" -> src = Inet.parse(value(w, ++i));
          case "to" -> dst = IfAddress.parse(value(w, ++i));
          case "via", "gw" -> {
            if (k.equals("gw")) {
              d.warn(at.get(i), "virtual_routes: \"gw\" for routes is deprecated; use \"via\" (keepalived says so)");
            }
            via = Inet.parse(value(w, ++i));
          }
          case "dev", "oif" -> dev = value(w, ++i);
          case "table" -> table = number(value(w, ++i), TABLES);
          case "metric", "preference", "priority" -> metric = number(value(w, ++i), Map.of());
          case "scope" -> scope = number(value(w, ++i), SCOPES);
          case "no_track" -> { } // keepalived: do not track the route (warned above when missing); lbkit tracks none
          case "blackhole", "unreachable", "prohibit", "throw" -> {
            d.warn(at.get(i), "virtual_routes: route type " + k + ": carried (exported back), but lbkit does not "
                + "install it");
            other.accept(String.join(" ", w));
            return null;
          }
          default -> {
            if (dst == null && (k.contains(".") || k.contains(":"))) {
              dst = IfAddress.parse(k);
            } else {
              d.warn(at.get(i), "virtual_routes: option '" + k + "': carried (exported back), but lbkit does not "
                  + "install this route");
              other.accept(String.join(" ", w));
              return null;
            }
          }
        }
      }
      if (dst == null) {
        d.error(c.keyword, "virtual_routes: no destination in '" + String.join(" ", w) + "'");
        return null;
      }
      return new Route(dst.address(), dst.prefixLength(), via, dev, src, metric, table,
          scope != null ? scope : via == null ? 253 : 0);
    } catch (IllegalArgumentException e) {
      d.error(c.keyword, "virtual_routes: " + e.getMessage());
      return null;
    }
  }

  /** keepalived's warning for a route it cannot track (any route without an interface and without no_track). */
  static String untracked(String block, List<String> w) {
    return block + ": route '" + String.join(" ", w) + "' has no 'dev': keepalived cannot track a route with no "
        + "interface specified and does not track it (add dev IFACE, or no_track)";
  }

  private static String value(List<String> w, int i) {
    if (i >= w.size()) {
      throw new IllegalArgumentException("'" + w.get(i - 1) + "' needs a value");
    }
    return w.get(i);
  }

  private static int number(String s, Map<String, Integer> names) {
    Integer named = names.get(s);
    if (named != null) {
      return named;
    }
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + s + "' is not a number" + (names.isEmpty() ? "" : " or one of "
          + new java.util.TreeSet<>(names.keySet())));
    }
  }

  /** One route as a virtual_routes line that {@link #parse} reads back. */
  static String format(Route r) {
    StringBuilder sb = new StringBuilder();
    if (r.source() != null) {
      sb.append("src ").append(Inet.format(r.source())).append(' ');
    }
    sb.append(Inet.format(r.destination())).append('/').append(r.prefixLength());
    if (r.gateway() != null) {
      sb.append(" via ").append(Inet.format(r.gateway()));
    }
    if (r.interfaceName() != null) {
      sb.append(" dev ").append(r.interfaceName());
    }
    if (r.table() != Route.TABLE_MAIN) {
      sb.append(" table ").append(r.table());
    }
    if (r.metric() != 0) {
      sb.append(" metric ").append(r.metric());
    }
    if (r.scope() != (r.gateway() == null ? 253 : 0)) {
      sb.append(" scope ").append(r.scope());
    }
    return sb.toString();
  }
}
