package io.lbkit.micrometer;

import io.lbkit.api.RealServer;
import io.lbkit.api.RealServerKey;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.ServiceView;
import io.lbkit.api.VirtualService;
import io.lbkit.api.ipvs.IpvsStats;
import io.lbkit.api.ipvs.ServiceSnapshot;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;

/**
 * The dataplane meters: per virtual service and per real server, with node_exporter's
 * ipvs labels ({@link Labels}). Values are written by the owner's refresh into cells the
 * gauges read (a field read per gauge, so that a scrape of 10,000 real servers does one
 * table read, not 10,000).
 */
final class DataplaneMeters {
  private final MeterRegistry registry;
  private final Runnable refresh;
  private final LongSupplier nanos;
  private final Map<ServiceKey, Cell> services = new ConcurrentHashMap<>();
  private final Map<Key, Cell> reals = new ConcurrentHashMap<>();

  record Key(ServiceKey service, RealServerKey real) {}

  /** One service's or real server's values, as of the last refresh. */
  static final class Cell {
    final List<Meter> meters = new ArrayList<>();
    volatile IpvsStats stats = IpvsStats.ZERO;
    volatile long active;
    volatile long inactive;
    volatile int weight;
    volatile int configuredWeight;
    volatile boolean up = true;
    volatile long changedAt;
  }

  DataplaneMeters(MeterRegistry registry, Runnable refresh, LongSupplier nanos) {
    this.registry = registry;
    this.refresh = refresh;
    this.nanos = nanos;
  }

  /** Meters for exactly these services and real servers; returns the real servers removed. */
  synchronized List<Key> sync(List<VirtualService> specs) {
    Set<ServiceKey> keepServices = new HashSet<>();
    Set<Key> keepReals = new HashSet<>();
    for (VirtualService vs : specs) {
      keepServices.add(vs.key());
      services.computeIfAbsent(vs.key(), this::registerService);
      for (RealServer r : vs.realServers()) {
        Key k = new Key(vs.key(), r.key());
        keepReals.add(k);
        reals.computeIfAbsent(k, this::registerReal).configuredWeight = r.weight();
      }
    }
    List<Key> removed = new ArrayList<>();
    reals.entrySet().removeIf(e -> {
      if (keepReals.contains(e.getKey())) {
        return false;
      }
      e.getValue().meters.forEach(registry::remove);
      removed.add(e.getKey());
      return true;
    });
    services.entrySet().removeIf(e -> {
      if (keepServices.contains(e.getKey())) {
        return false;
      }
      e.getValue().meters.forEach(registry::remove);
      return true;
    });
    return removed;
  }

  /** A health verdict changed now. */
  void changed(ServiceKey service, RealServerKey real, boolean up) {
    Cell c = reals.get(new Key(service, real));
    if (c != null) {
      c.up = up;
      c.changedAt = nanos.getAsLong();
    }
  }

  /** Takes a refresh's values: the table's counters and the Director's view. */
  void update(List<ServiceSnapshot> table, List<ServiceView> views) {
    Set<Cell> seen = new HashSet<>();
    for (ServiceSnapshot s : table) {
      Cell sc = services.get(s.key());
      if (sc != null) {
        sc.stats = s.stats();
      }
      for (ServiceSnapshot.DestSnapshot d : s.dests()) {
        Cell rc = reals.get(new Key(s.key(), d.dest().key()));
        if (rc != null) {
          rc.stats = d.stats();
          rc.active = d.activeConns();
          rc.inactive = d.inactiveConns();
          rc.weight = d.dest().weight();
          seen.add(rc);
        }
      }
    }
    for (Cell c : reals.values()) {
      if (!seen.contains(c)) { // not in the table (down and removed, or not yet added): no traffic, no weight
        c.weight = 0;
        c.active = 0;
        c.inactive = 0;
      }
    }
    for (ServiceView v : views) {
      Cell sc = services.get(v.key());
      if (sc != null) {
        sc.up = v.quorumUp();
      }
      for (ServiceView.RealView r : v.reals()) {
        Cell rc = reals.get(new Key(v.key(), r.key()));
        if (rc != null) {
          rc.up = r.up();
        }
      }
    }
  }

  private Cell registerService(ServiceKey k) {
    Cell c = new Cell();
    Tags t = Labels.service(k);
    c.meters.add(gauge("lbkit.ipvs.service.quorum.up", c, t, x -> x.up ? 1 : 0,
        "1 while the live weight meets the quorum"));
    traffic("lbkit.ipvs.service.", c, t);
    return c;
  }

  private Cell registerReal(Key k) {
    Cell c = new Cell();
    c.changedAt = nanos.getAsLong();
    Tags t = Labels.real(k.service(), k.real());
    c.meters.add(gauge("lbkit.ipvs.backend.weight", c, t, x -> x.weight,
        "weight in the kernel table, 0 when not in it (node_ipvs_backend_weight)"));
    c.meters.add(Gauge.builder("lbkit.ipvs.backend.weight.configured", c, x -> x.configuredWeight).tags(t)
        .description("weight in the configuration").register(registry));
    c.meters.add(gauge("lbkit.ipvs.backend.connections.active", c, t, x -> x.active,
        "active connections (node_ipvs_backend_connections_active)"));
    c.meters.add(gauge("lbkit.ipvs.backend.connections.inactive", c, t, x -> x.inactive,
        "inactive connections (node_ipvs_backend_connections_inactive)"));
    c.meters.add(gauge("lbkit.ipvs.backend.up", c, t, x -> x.up ? 1 : 0, "health verdict: 1 up, 0 down"));
    c.meters.add(TimeGauge.builder("lbkit.check.since.change", c, TimeUnit.NANOSECONDS,
        x -> Math.max(0, nanos.getAsLong() - x.changedAt)).tags(t)
        .description("time since the real server's health verdict last changed (or since it was added)")
        .register(registry));
    traffic("lbkit.ipvs.backend.", c, t);
    return c;
  }

  private void traffic(String prefix, Cell c, Tags t) {
    c.meters.add(counter(prefix + "connections", c, t, x -> x.stats.conns(), "connections scheduled"));
    c.meters.add(counter(prefix + "incoming.packets", c, t, x -> x.stats.inPackets(), "packets in"));
    c.meters.add(counter(prefix + "outgoing.packets", c, t, x -> x.stats.outPackets(), "packets out"));
    c.meters.add(counter(prefix + "incoming.bytes", c, t, x -> x.stats.inBytes(), "bytes in"));
    c.meters.add(counter(prefix + "outgoing.bytes", c, t, x -> x.stats.outBytes(), "bytes out"));
  }

  private Gauge gauge(String name, Cell c, Tags t, ToDoubleFunction<Cell> f, String description) {
    return Gauge.builder(name, c, x -> {
      refresh.run();
      return f.applyAsDouble(x);
    }).tags(t).description(description).register(registry);
  }

  private FunctionCounter counter(String name, Cell c, Tags t, ToDoubleFunction<Cell> f, String description) {
    return FunctionCounter.builder(name, c, x -> {
      refresh.run();
      return f.applyAsDouble(x);
    }).tags(t).description(description).register(registry);
  }
}
