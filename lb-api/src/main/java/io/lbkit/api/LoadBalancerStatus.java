package io.lbkit.api;

import io.lbkit.api.vrrp.Failover;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A snapshot of a running load balancer: each VRRP instance's state and priority,
 * and each virtual service's quorum and real servers. {@link #toJson()} gives the
 * form {@code lbctl status} prints.
 *
 * @param vrrp instance name to state
 * @param services the Director's view
 * @param vrrpUnmatchedDrops adverts no instance took, by interface and reason ({@link Failover#unmatchedDrops()})
 */
public record LoadBalancerStatus(Map<String, Failover.InstanceStatus> vrrp, List<ServiceView> services,
    Map<String, Map<String, Long>> vrrpUnmatchedDrops) {
  /** Copies. */
  public LoadBalancerStatus {
    vrrp = Map.copyOf(vrrp);
    services = List.copyOf(services);
    Map<String, Map<String, Long>> u = new TreeMap<>();
    vrrpUnmatchedDrops.forEach((k, v) -> u.put(k, Map.copyOf(v)));
    vrrpUnmatchedDrops = java.util.Collections.unmodifiableMap(u);
  }

  /** With no unmatched VRRP drops. */
  public LoadBalancerStatus(Map<String, Failover.InstanceStatus> vrrp, List<ServiceView> services) {
    this(vrrp, services, Map.of());
  }

  /** JSON, keys in a stable order. */
  public String toJson() {
    StringBuilder sb = new StringBuilder(256).append("{\"vrrp\":{");
    String sep = "";
    for (Map.Entry<String, Failover.InstanceStatus> e : new TreeMap<>(vrrp).entrySet()) {
      sb.append(sep).append(jsonString(e.getKey())).append(":{\"state\":").append(jsonString(e.getValue().state().name()))
          .append(",\"priority\":").append(e.getValue().priority());
      if (!e.getValue().drops().isEmpty()) {
        sb.append(",\"drops\":");
        counts(sb, e.getValue().drops());
      }
      sb.append('}');
      sep = ",";
    }
    sb.append('}');
    if (!vrrpUnmatchedDrops.isEmpty()) {
      sb.append(",\"vrrpUnmatchedDrops\":{");
      sep = "";
      for (Map.Entry<String, Map<String, Long>> e : vrrpUnmatchedDrops.entrySet()) {
        sb.append(sep).append(jsonString(e.getKey())).append(':');
        counts(sb, e.getValue());
        sep = ",";
      }
      sb.append('}');
    }
    sb.append(",\"services\":[");
    sep = "";
    for (ServiceView s : services) {
      sb.append(sep).append("{\"service\":").append(jsonString(s.key().toString())).append(",\"quorumUp\":")
          .append(s.quorumUp()).append(",\"liveWeight\":").append(s.liveWeight()).append(",\"sorryServerActive\":")
          .append(s.sorryServerActive()).append(",\"reals\":[");
      String rs = "";
      for (ServiceView.RealView r : s.reals()) {
        sb.append(rs).append("{\"real\":").append(jsonString(r.key().toString())).append(",\"up\":").append(r.up())
            .append(",\"weight\":").append(r.weight()).append(",\"reason\":").append(jsonString(r.reason())).append('}');
        rs = ",";
      }
      sb.append("]}");
      sep = ",";
    }
    return sb.append("]}").toString();
  }

  private static void counts(StringBuilder sb, Map<String, Long> m) {
    sb.append('{');
    String sep = "";
    for (Map.Entry<String, Long> c : new TreeMap<>(m).entrySet()) {
      sb.append(sep).append(jsonString(c.getKey())).append(':').append(c.getValue());
      sep = ",";
    }
    sb.append('}');
  }

  /**
   * The JSON string literal for {@code s}, as {@link #toJson()} writes every name and reason: quotes,
   * backslashes and control characters escaped. For documents that extend this one (lbctl's status page
   * and events, the fleet's status), so that all of lbkit's JSON quotes alike.
   *
   * @param s any text
   * @return {@code s} quoted, e.g. {@code "a\"b"}
   */
  public static String jsonString(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"': sb.append("\\\""); break;
        case '\\': sb.append("\\\\"); break;
        case '\n': sb.append("\\n"); break;
        case '\r': sb.append("\\r"); break;
        case '\t': sb.append("\\t"); break;
        default:
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
      }
    }
    return sb.append('"').toString();
  }
}
