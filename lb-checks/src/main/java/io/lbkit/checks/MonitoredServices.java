package io.lbkit.checks;

import io.lbkit.api.RealServer;
import io.lbkit.api.RealServerKey;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.VirtualService;
import io.lbkit.api.check.CheckSpec;
import io.lbkit.api.check.HealthChecking;
import io.lbkit.api.check.HealthEvent;
import java.util.Collection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * lb-api's {@link HealthChecking} port over a {@link HealthMonitor}: what a
 * {@code LoadBalancer} uses. On each {@link #setServices} only the real servers whose
 * checks or check settings changed are re-watched; the others keep their state and
 * schedule. A real server without checks is not watched (keepalived: always up).
 *
 * <pre>{@code
 * LoadBalancer lb = LoadBalancer.builder(ipvs)
 *     .healthChecking(listener -> MonitoredServices.create(HealthMonitor.builder(timers), listener))
 *     .build();
 * }</pre>
 */
public final class MonitoredServices implements HealthChecking {
  private final HealthMonitor monitor;
  private final Map<Key, Watched> watched = new HashMap<>();
  /** The services last given, in their order. */
  private final Map<ServiceKey, VirtualService> applied = new LinkedHashMap<>();

  private record Key(ServiceKey service, RealServerKey real) {}

  private record Watched(HealthMonitor.Backend backend, List<CheckSpec> checks) {}

  private MonitoredServices(HealthMonitor monitor) {
    this.monitor = monitor;
  }

  /** Builds the monitor with {@code listener} receiving every verdict. */
  public static MonitoredServices create(HealthMonitor.Builder builder, Consumer<HealthEvent> listener) {
    return new MonitoredServices(builder.listener(listener).build());
  }

  /** The underlying monitor (for {@link HealthMonitor#isUp} and counters). */
  public HealthMonitor monitor() {
    return monitor;
  }

  @Override
  public synchronized void setServices(Collection<VirtualService> services) {
    if (services.size() == applied.size()) {
      // the usual re-apply: the same services in the same order, few changed (O(changed) after one walk)
      List<VirtualService> changed = new ArrayList<>();
      Iterator<VirtualService> old = applied.values().iterator();
      boolean sameKeys = true;
      for (VirtualService v : services) {
        VirtualService o = old.next();
        if (v != o) {
          if (!v.key().equals(o.key())) {
            sameKeys = false;
            break;
          }
          changed.add(v);
        }
      }
      if (sameKeys) {
        for (VirtualService v : changed) {
          resync(applied.get(v.key()), v);
          applied.put(v.key(), v);
        }
        return;
      }
    }
    Map<ServiceKey, VirtualService> next = new LinkedHashMap<>();
    for (VirtualService v : services) {
      next.put(v.key(), v);
    }
    for (VirtualService o : List.copyOf(applied.values())) {
      if (!next.containsKey(o.key())) {
        resync(o, null);
        applied.remove(o.key());
      }
    }
    for (VirtualService v : next.values()) {
      VirtualService o = applied.get(v.key());
      if (o != v) {
        resync(o, v);
        applied.put(v.key(), v);
      }
    }
    applied.clear();
    applied.putAll(next);
  }

  /** Re-watches the real servers of one service whose checks or settings changed ({@code old} or {@code now} null). */
  private void resync(VirtualService old, VirtualService now) {
    Map<Key, Watched> next = new LinkedHashMap<>();
    if (now != null) {
      for (RealServer r : now.realServers()) {
        if (!r.checks().isEmpty()) {
          HealthMonitor.Backend b = new HealthMonitor.Backend(now.key(), r.key(), r.weight(), now.delayLoop(),
              now.isAlpha());
          next.put(new Key(now.key(), r.key()), new Watched(b, r.checks()));
        }
      }
    }
    if (old != null) {
      for (RealServer r : old.realServers()) {
        Key k = new Key(old.key(), r.key());
        Watched w = watched.get(k);
        if (w != null && !w.equals(next.get(k))) {
          monitor.unwatch(k.service(), k.real());
          watched.remove(k);
        }
      }
    }
    for (Map.Entry<Key, Watched> e : next.entrySet()) {
      if (!e.getValue().equals(watched.get(e.getKey()))) {
        monitor.watch(e.getValue().backend(), e.getValue().checks());
        watched.put(e.getKey(), e.getValue());
      }
    }
  }

  /** How many real servers are watched. */
  public synchronized int size() {
    return watched.size();
  }

  @Override
  public synchronized void close() {
    monitor.close();
    watched.clear();
    applied.clear();
  }
}
