package io.lbkit.micrometer;

import java.util.function.ToDoubleFunction;

/**
 * The per-real-server series, in one place for both ways they are exported: as Micrometer
 * meters ({@link DataplaneMeters}) and rendered in bulk ({@link RealServerCollector}).
 * Without {@link LbkitMetrics.Builder#realServerDetail detail}, only node_exporter's three
 * ({@code weight}, {@code connections_active}, {@code connections_inactive}): a real server
 * that is down has weight 0 (out of the table, or inhibited).
 */
enum RealSeries {
  WEIGHT("lbkit.ipvs.backend.weight", Kind.GAUGE, false, c -> c.weight,
      "weight in the kernel table, 0 when not in it (node_ipvs_backend_weight)"),
  ACTIVE("lbkit.ipvs.backend.connections.active", Kind.GAUGE, false, c -> c.active,
      "active connections (node_ipvs_backend_connections_active)"),
  INACTIVE("lbkit.ipvs.backend.connections.inactive", Kind.GAUGE, false, c -> c.inactive,
      "inactive connections (node_ipvs_backend_connections_inactive)"),
  UP("lbkit.ipvs.backend.up", Kind.GAUGE, true, c -> c.up ? 1 : 0, "health verdict: 1 up, 0 down"),
  WEIGHT_CONFIGURED("lbkit.ipvs.backend.weight.configured", Kind.GAUGE, true, c -> c.configuredWeight,
      "weight in the configuration"),
  SINCE_CHANGE("lbkit.check.since.change", Kind.SECONDS, true, null,
      "time since the real server's health verdict last changed (or since it was added)"),
  CONNECTIONS("lbkit.ipvs.backend.connections", Kind.COUNTER, true, c -> c.stats.conns(), "connections scheduled"),
  IN_PACKETS("lbkit.ipvs.backend.incoming.packets", Kind.COUNTER, true, c -> c.stats.inPackets(), "packets in"),
  OUT_PACKETS("lbkit.ipvs.backend.outgoing.packets", Kind.COUNTER, true, c -> c.stats.outPackets(), "packets out"),
  IN_BYTES("lbkit.ipvs.backend.incoming.bytes", Kind.COUNTER, true, c -> c.stats.inBytes(), "bytes in"),
  OUT_BYTES("lbkit.ipvs.backend.outgoing.bytes", Kind.COUNTER, true, c -> c.stats.outBytes(), "bytes out");

  /** How the series is exported: a gauge, a counter ({@code _total}), a time in seconds ({@code _seconds}). */
  enum Kind { GAUGE, COUNTER, SECONDS }

  final String name;
  final Kind kind;
  final boolean detail;
  /** The value from a cell; null for {@link #SINCE_CHANGE}, which needs the clock. */
  final ToDoubleFunction<DataplaneMeters.Cell> value;
  final String description;

  RealSeries(String name, Kind kind, boolean detail, ToDoubleFunction<DataplaneMeters.Cell> value,
      String description) {
    this.name = name;
    this.kind = kind;
    this.detail = detail;
    this.value = value;
    this.description = description;
  }

  /** Whether the series is exported with this detail setting. */
  boolean shown(boolean withDetail) {
    return withDetail || !detail;
  }
}
