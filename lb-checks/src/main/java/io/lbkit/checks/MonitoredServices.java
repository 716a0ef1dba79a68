package io.lbkit.checks;

import io.lbkit.api.RealServer;
import io.lbkit.api.RealServerKey;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.VirtualService;
import io.lbkit.api.check.CheckSpec;
import io.lbkit.api.check.HealthChecking;
import io.lbkit.api.check.HealthEvent;
import java.util.Collection;
import java.util.HashMap;
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
    Map<Key, Watched> next = new HashMap<>();
    for (VirtualService v : services) {
      for (RealServer r : v.realServers()) {
        if (!r.checks().isEmpty()) {
          HealthMonitor.Backend b = new HealthMonitor.Backend(v.key(), r.key(), r.weight(), v.delayLoop(), v.isAlpha());
          next.put(new Key(v.key(), r.key()), new Watched(b, r.checks()));
        }
      }
    }
    for (Map.Entry<Key, Watched> e : watched.entrySet()) {
      if (!e.getValue().equals(next.get(e.getKey()))) {
        monitor.unwatch(e.getKey().service(), e.getKey().real());
      }
    }
    for (Map.Entry<Key, Watched> e : next.entrySet()) {
      if (!e.getValue().equals(watched.get(e.getKey()))) {
        monitor.watch(e.getValue().backend(), e.getValue().checks());
      }
    }
    watched.clear();
    watched.putAll(next);
  }

  /** How many real servers are watched. */
  public synchronized int size() {
    return watched.size();
  }

  @Override
  public synchronized void close() {
    monitor.close();
    watched.clear();
  }
}
