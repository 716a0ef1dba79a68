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
 * The dataplane meters: per virtual service and per real server ({@link RealSeries}), with
 * node_exporter's ipvs labels ({@link Labels}). Values are written by the owner's refresh
 * into cells the gauges read (a field read per gauge, so that a scrape of 10,000 real
 * servers does one table read, not 10,000). Cells are found per service, then per real
 * server: one map keyed by both hashed badly (addresses of services and real servers that
 * grow together collide), which made a refresh of 10,000 real servers cost 15 ms.
 */
final class DataplaneMeters {
  private final MeterRegistry registry;
  private final Runnable refresh;
  private final LongSupplier nanos;
  private final boolean realMeters;
  private final boolean detail;
  private final Map<ServiceKey, Service> services = new ConcurrentHashMap<>();
  private volatile int version;
  private long stamp; // refreshes so far; only in update, which the owner serializes
  private List<ServiceSnapshot> lastTable; // the last table taken, and the version of the cells then
  private int lastTableVersion;

  record Key(ServiceKey service, RealServerKey real) {}

  /** One service's cell and its real servers' cells. */
  static final class Service {
    final Cell cell = new Cell(null);
    final Map<RealServerKey, Cell> reals = new ConcurrentHashMap<>();
  }

  /** One service's or real server's values, as of the last refresh. */
  static final class Cell {
    final Key key;
    final List<Meter> meters = new ArrayList<>();
    volatile IpvsStats stats = IpvsStats.ZERO;
    volatile long active;
    volatile long inactive;
    volatile int weight;
    volatile int configuredWeight;
    volatile boolean up = true;
    volatile long changedAt;
    long seen;

    Cell(Key key) {
      this.key = key;
    }
  }

  DataplaneMeters(MeterRegistry registry, Runnable refresh, LongSupplier nanos, boolean realMeters,
      boolean detail) {
    this.registry = registry;
    this.refresh = refresh;
    this.nanos = nanos;
    this.realMeters = realMeters;
    this.detail = detail;
  }

  /** Meters for exactly these services and real servers; returns the real servers removed. */
  synchronized List<Key> sync(List<VirtualService> specs) {
    Set<ServiceKey> keepServices = new HashSet<>();
    Set<Key> keepReals = new HashSet<>();
    boolean changed = false;
    for (VirtualService vs : specs) {
      keepServices.add(vs.key());
      Service s = services.get(vs.key());
      if (s == null) {
        s = new Service();
        register(vs.key(), s.cell);
        services.put(vs.key(), s);
        changed = true;
      }
      for (RealServer r : vs.realServers()) {
        Key k = new Key(vs.key(), r.key());
        keepReals.add(k);
        Cell c = s.reals.get(r.key());
        if (c == null) {
          c = registerReal(k);
          s.reals.put(r.key(), c);
          changed = true;
        }
        c.configuredWeight = r.weight();
      }
    }
    List<Key> removed = new ArrayList<>();
    for (var it = services.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      for (var rit = e.getValue().reals.values().iterator(); rit.hasNext(); ) {
        Cell c = rit.next();
        if (!keepReals.contains(c.key)) {
          c.meters.forEach(registry::remove);
          removed.add(c.key);
          rit.remove();
          changed = true;
        }
      }
      if (!keepServices.contains(e.getKey())) {
        e.getValue().cell.meters.forEach(registry::remove);
        it.remove();
        changed = true;
      }
    }
    if (changed) {
      version++;
    }
    return removed;
  }

  /** Increases whenever a service or real server comes or goes. */
  int version() {
    return version;
  }

  /** The services and their real servers' cells (live: they change as the owner refreshes). */
  Iterable<Service> services() {
    return services.values();
  }

  /** Seconds since a real server's verdict last changed. */
  double sinceChange(Cell c) {
    return Math.max(0, nanos.getAsLong() - c.changedAt) / 1e9;
  }

  /** A health verdict changed now. */
  void changed(ServiceKey service, RealServerKey real, boolean up) {
    Service s = services.get(service);
    Cell c = s == null ? null : s.reals.get(real);
    if (c != null) {
      c.up = up;
      c.changedAt = nanos.getAsLong();
    }
  }

  /**
   * Takes a refresh's values: the table's counters and the Director's view. A table that is
   * the very list taken last time (a dataplane hands back its last read when no counter
   * changed; snapshots are immutable) is not walked again unless cells came or went.
   */
  void update(List<ServiceSnapshot> table, List<ServiceView> views) {
    int v = version;
    if (table != lastTable || v != lastTableVersion) {
      take(table);
      lastTable = table;
      lastTableVersion = v;
    }
    for (ServiceView view : views) {
      Service s = services.get(view.key());
      if (s == null) {
        continue;
      }
      s.cell.up = view.quorumUp();
      for (ServiceView.RealView r : view.reals()) {
        Cell rc = s.reals.get(r.key());
        if (rc != null) {
          rc.up = r.up();
        }
      }
    }
  }

  private void take(List<ServiceSnapshot> table) {
    long now = ++stamp;
    for (ServiceSnapshot snap : table) {
      Service s = services.get(snap.key());
      if (s == null) {
        continue;
      }
      s.cell.stats = snap.stats();
      for (ServiceSnapshot.DestSnapshot d : snap.dests()) {
        Cell rc = s.reals.get(d.dest().key());
        if (rc != null) {
          rc.stats = d.stats();
          rc.active = d.activeConns();
          rc.inactive = d.inactiveConns();
          rc.weight = d.dest().weight();
          rc.seen = now;
        }
      }
    }
    for (Service s : services.values()) {
      for (Cell c : s.reals.values()) {
        if (c.seen != now) { // not in the table (down and removed, or not yet added): no traffic, no weight
          c.weight = 0;
          c.active = 0;
          c.inactive = 0;
        }
      }
    }
  }

  private void register(ServiceKey k, Cell c) {
    Tags t = Labels.service(k);
    c.meters.add(gauge("lbkit.ipvs.service.quorum.up", c, t, x -> x.up ? 1 : 0,
        "1 while the live weight meets the quorum"));
    c.meters.add(counter("lbkit.ipvs.service.connections", c, t, x -> x.stats.conns(), "connections scheduled"));
    c.meters.add(counter("lbkit.ipvs.service.incoming.packets", c, t, x -> x.stats.inPackets(), "packets in"));
    c.meters.add(counter("lbkit.ipvs.service.outgoing.packets", c, t, x -> x.stats.outPackets(), "packets out"));
    c.meters.add(counter("lbkit.ipvs.service.incoming.bytes", c, t, x -> x.stats.inBytes(), "bytes in"));
    c.meters.add(counter("lbkit.ipvs.service.outgoing.bytes", c, t, x -> x.stats.outBytes(), "bytes out"));
  }

  private Cell registerReal(Key k) {
    Cell c = new Cell(k);
    c.changedAt = nanos.getAsLong();
    if (!realMeters) {
      return c;
    }
    Tags t = Labels.real(k.service(), k.real());
    for (RealSeries s : RealSeries.values()) {
      if (!s.shown(detail)) {
        continue;
      }
      c.meters.add(switch (s.kind) {
        case GAUGE -> gauge(s.name, c, t, s.value, s.description);
        case COUNTER -> counter(s.name, c, t, s.value, s.description);
        case SECONDS -> TimeGauge.builder(s.name, c, TimeUnit.NANOSECONDS,
            x -> Math.max(0, nanos.getAsLong() - x.changedAt)).tags(t).description(s.description)
            .register(registry);
      });
    }
    return c;
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
