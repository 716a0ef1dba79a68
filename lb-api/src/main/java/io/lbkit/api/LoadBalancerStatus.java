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
 */
public record LoadBalancerStatus(Map<String, Failover.InstanceStatus> vrrp, List<ServiceView> services) {
  /** Copies. */
  public LoadBalancerStatus {
    vrrp = Map.copyOf(vrrp);
    services = List.copyOf(services);
  }

  /** JSON, keys in a stable order. */
  public String toJson() {
    StringBuilder sb = new StringBuilder(256).append("{\"vrrp\":{");
    String sep = "";
    for (Map.Entry<String, Failover.InstanceStatus> e : new TreeMap<>(vrrp).entrySet()) {
      sb.append(sep).append(quote(e.getKey())).append(":{\"state\":").append(quote(e.getValue().state().name()))
          .append(",\"priority\":").append(e.getValue().priority()).append('}');
      sep = ",";
    }
    sb.append("},\"services\":[");
    sep = "";
    for (ServiceView s : services) {
      sb.append(sep).append("{\"service\":").append(quote(s.key().toString())).append(",\"quorumUp\":")
          .append(s.quorumUp()).append(",\"liveWeight\":").append(s.liveWeight()).append(",\"sorryServerActive\":")
          .append(s.sorryServerActive()).append(",\"reals\":[");
      String rs = "";
      for (ServiceView.RealView r : s.reals()) {
        sb.append(rs).append("{\"real\":").append(quote(r.key().toString())).append(",\"up\":").append(r.up())
            .append(",\"weight\":").append(r.weight()).append(",\"reason\":").append(quote(r.reason())).append('}');
        rs = ",";
      }
      sb.append("]}");
      sep = ",";
    }
    return sb.append("]}").toString();
  }

  static String quote(String s) {
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
