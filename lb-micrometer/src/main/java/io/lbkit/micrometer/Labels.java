package io.lbkit.micrometer;

import io.lbkit.api.RealServerKey;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.net.Inet;
import io.micrometer.core.instrument.Tags;

/**
 * node_exporter's ipvs collector labels ({@code local_address}, {@code local_port},
 * {@code local_mark}, {@code proto}, {@code remote_address}, {@code remote_port}), so that
 * a dashboard built on {@code node_ipvs_backend_*} ports by renaming the metric only.
 */
final class Labels {
  private Labels() {}

  static Tags service(ServiceKey k) {
    if (k instanceof ServiceKey.Inet i) {
      return Tags.of("local_address", Inet.format(i.address()), "local_mark", "", "local_port",
          Integer.toString(i.port()), "proto", i.protocol().name());
    }
    ServiceKey.Fwmark f = (ServiceKey.Fwmark) k;
    return Tags.of("local_address", "", "local_mark", Integer.toUnsignedString(f.mark()), "local_port", "0",
        "proto", "FWM");
  }

  static Tags real(ServiceKey service, RealServerKey real) {
    return service(service).and("remote_address", Inet.format(real.address()), "remote_port",
        Integer.toString(real.port()));
  }
}
