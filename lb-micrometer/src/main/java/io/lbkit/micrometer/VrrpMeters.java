package io.lbkit.micrometer;

import io.lbkit.api.vrrp.Failover;
import io.lbkit.api.vrrp.VrrpInstanceSpec;
import io.lbkit.api.vrrp.VrrpState;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The VRRP meters, one set per instance (labels {@code iname}, {@code intf}, {@code vrid},
 * as the keepalived exporters'). Values come from the owner's last refresh, transitions
 * from the listener.
 */
final class VrrpMeters {
  /** lb-vrrp's drop counters' suffixes, each a {@code reason} label value. */
  static final List<String> DROP_REASONS = List.of("ttl", "version", "type", "length", "checksum", "vrid",
      "interval", "auth", "auth_ah_unsupported", "address_list", "own_packet");

  private final MeterRegistry registry;
  private final Runnable refresh;
  private final Map<String, Cell> cells = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong[]> transitions = new ConcurrentHashMap<>();

  /** One instance's values, as of the last refresh. */
  static final class Cell {
    final Tags tags;
    final List<Meter> meters = new ArrayList<>();
    volatile Failover.InstanceStatus status;
    volatile Map<String, Long> counters = Map.of();
    volatile int configuredPriority;

    Cell(Tags tags) {
      this.tags = tags;
    }

    double counter(String name) {
      Long v = counters.get(name);
      return v == null ? 0 : v;
    }
  }

  VrrpMeters(MeterRegistry registry, Runnable refresh) {
    this.registry = registry;
    this.refresh = refresh;
  }

  /** Counts a transition (to MASTER: become, from MASTER: release), registered or not yet. */
  void transition(String instance, VrrpState from, VrrpState to) {
    AtomicLong[] t = transitions.computeIfAbsent(instance, k -> new AtomicLong[] {new AtomicLong(), new AtomicLong()});
    if (to == VrrpState.MASTER) {
      t[0].incrementAndGet();
    }
    if (from == VrrpState.MASTER) {
      t[1].incrementAndGet();
    }
  }

  /** Meters for exactly these instances. */
  synchronized void sync(List<VrrpInstanceSpec> specs) {
    Set<String> keep = new HashSet<>();
    for (VrrpInstanceSpec s : specs) {
      Tags tags = Tags.of("iname", s.name(), "intf", s.interfaceName(), "vrid", Integer.toString(s.vrid()));
      keep.add(s.name());
      Cell old = cells.get(s.name());
      if (old != null && !old.tags.equals(tags)) {
        old.meters.forEach(registry::remove);
        cells.remove(s.name());
        old = null;
      }
      Cell c = old != null ? old : register(s.name(), tags);
      c.configuredPriority = s.priority();
    }
    cells.entrySet().removeIf(e -> {
      if (keep.contains(e.getKey())) {
        return false;
      }
      e.getValue().meters.forEach(registry::remove);
      transitions.remove(e.getKey());
      return true;
    });
  }

  /** Takes a refresh's values. */
  void update(Map<String, Failover.InstanceStatus> status, Map<String, Map<String, Long>> counters) {
    cells.forEach((name, c) -> {
      c.status = status.get(name);
      Map<String, Long> m = counters.get(name);
      c.counters = m == null ? Map.of() : m;
    });
  }

  private Cell register(String name, Tags tags) {
    Cell c = new Cell(tags);
    AtomicLong[] t = transitions.computeIfAbsent(name, k -> new AtomicLong[] {new AtomicLong(), new AtomicLong()});
    List<Meter> m = c.meters;
    m.add(Gauge.builder("lbkit.vrrp.state", c, x -> {
      refresh.run();
      Failover.InstanceStatus s = x.status;
      return s == null ? 0 : stateValue(s.state());
    }).tags(tags).description("VRRP state: 0 INIT, 1 BACKUP, 2 MASTER, 3 FAULT, 4 STOP (keepalived_vrrp_state)")
        .register(registry));
    m.add(Gauge.builder("lbkit.vrrp.priority.effective", c, x -> {
      refresh.run();
      Failover.InstanceStatus s = x.status;
      return s == null ? x.configuredPriority : effective(s);
    }).tags(tags).description("priority advertised now: configured plus tracking weights; 0 in FAULT or STOP")
        .register(registry));
    m.add(Gauge.builder("lbkit.vrrp.priority.configured", c, x -> x.configuredPriority).tags(tags)
        .description("priority in the configuration").register(registry));
    m.add(counter("lbkit.vrrp.adverts.sent", c, "sent", tags, "adverts sent"));
    m.add(counter("lbkit.vrrp.adverts.received", c, "received", tags, "adverts received and accepted"));
    m.add(counter("lbkit.vrrp.priority.zero.received", c, "priority_zero_received", tags,
        "adverts of priority 0 received: the master is leaving (keepalived pri_zero_rcvd)"));
    m.add(counter("lbkit.vrrp.priority.zero.sent", c, "priority_zero_sent", tags,
        "adverts of priority 0 sent: leaving MASTER (keepalived pri_zero_sent)"));
    m.add(counter("lbkit.vrrp.late.timers", c, "late_timers", tags, "timers that fired late"));
    for (String r : DROP_REASONS) {
      m.add(counter("lbkit.vrrp.adverts.dropped", c, "dropped_" + r, tags.and("reason", r),
          "adverts dropped, by reason"));
    }
    m.add(FunctionCounter.builder("lbkit.vrrp.become.master", t[0], AtomicLong::get).tags(tags)
        .description("transitions to MASTER (keepalived_become_master)").register(registry));
    m.add(FunctionCounter.builder("lbkit.vrrp.release.master", t[1], AtomicLong::get).tags(tags)
        .description("transitions from MASTER (keepalived_release_master)").register(registry));
    cells.put(name, c);
    return c;
  }

  private FunctionCounter counter(String metric, Cell c, String key, Tags tags, String description) {
    return FunctionCounter.builder(metric, c, x -> {
      refresh.run();
      return x.counter(key);
    }).tags(tags).description(description).register(registry);
  }

  /**
   * The priority an instance takes part with: 0 in FAULT (a tracked object failed with
   * weight 0, or its link is down: it leaves MASTER with a priority-0 advert and does not
   * take over) and STOP; else the configured priority plus the tracking weights.
   */
  static int effective(Failover.InstanceStatus s) {
    return s.state() == VrrpState.FAULT || s.state() == VrrpState.STOP ? 0 : s.priority();
  }

  /** keepalived's numbering (its exporters' too): INIT 0, BACKUP 1, MASTER 2, FAULT 3; STOP 4. */
  static int stateValue(VrrpState s) {
    return switch (s) {
      case INIT -> 0;
      case BACKUP -> 1;
      case MASTER -> 2;
      case FAULT -> 3;
      case STOP -> 4;
    };
  }
}
