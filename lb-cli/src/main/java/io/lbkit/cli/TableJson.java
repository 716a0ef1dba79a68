package io.lbkit.cli;

import static io.lbkit.api.LoadBalancerStatus.jsonString;

import io.lbkit.api.ipvs.ServiceSnapshot;
import java.util.List;

/**
 * The dataplane table as the status page draws it, {@code ipvsadm -L -n}'s columns as
 * JSON: per service its key, scheduler and flags; per real server its forwarding method,
 * weight and active and inactive connections.
 */
final class TableJson {
  private TableJson() {}

  static String of(List<ServiceSnapshot> table) {
    StringBuilder sb = new StringBuilder(256 + table.size() * 256).append("{\"services\":[");
    String sep = "";
    for (ServiceSnapshot s : table) {
      sb.append(sep).append("{\"service\":").append(jsonString(s.key().toString())).append(",\"scheduler\":")
          .append(jsonString(s.service().scheduler().name())).append(",\"persistent\":")
          .append(s.service().persistence() != null).append(",\"dests\":[");
      String ds = "";
      for (ServiceSnapshot.DestSnapshot d : s.dests()) {
        sb.append(ds).append("{\"real\":").append(jsonString(d.dest().key().toString())).append(",\"forward\":")
            .append(jsonString(d.dest().forwarding().method().ipvsadmName())).append(",\"weight\":")
            .append(d.dest().weight()).append(",\"active\":").append(d.activeConns()).append(",\"inactive\":")
            .append(d.inactiveConns()).append('}');
        ds = ",";
      }
      sb.append("]}");
      sep = ",";
    }
    return sb.append("]}").toString();
  }
}
