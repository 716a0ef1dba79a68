package io.lbkit.testing;

import io.lbkit.api.RealServer;
import io.lbkit.api.RealServerKey;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.VirtualService;
import io.lbkit.api.check.HealthChecking;
import io.lbkit.api.check.HealthEvent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A {@link HealthChecking} whose verdicts the test gives: {@link #down} and
 * {@link #up} deliver a {@link HealthEvent} at once, on the calling thread, for a
 * server it watches. Records what it was asked to watch.
 *
 * <pre>{@code
 * ScriptedHealthChecking checks = new ScriptedHealthChecking();
 * LoadBalancer lb = LoadBalancer.builder(ipvs).healthChecking(checks::attach).build();
 * checks.down(web.key(), real.key(), "connection refused");
 * }</pre>
 */
public final class ScriptedHealthChecking implements HealthChecking {
  private Consumer<HealthEvent> listener = e -> { };
  private final Map<ServiceKey, List<RealServer>> watched = new LinkedHashMap<>();
  private int updates;
  private boolean closed;

  /** Attaches the listener; returns this (a factory for {@code LoadBalancer.Builder.healthChecking}). */
  public synchronized ScriptedHealthChecking attach(Consumer<HealthEvent> l) {
    this.listener = l;
    return this;
  }

  @Override
  public synchronized void setServices(Collection<VirtualService> services) {
    watched.clear();
    for (VirtualService v : services) {
      watched.put(v.key(), List.copyOf(v.realServers()));
    }
    updates++;
  }

  /** Reports a server down. @throws IllegalStateException if it is not watched */
  public void down(ServiceKey service, RealServerKey real, String reason) {
    deliver(HealthEvent.down(service, real, reason));
  }

  /** Reports a server up. */
  public void up(ServiceKey service, RealServerKey real, String reason) {
    deliver(HealthEvent.up(service, real, reason));
  }

  /** Delivers any event. */
  public void deliver(HealthEvent e) {
    Consumer<HealthEvent> l;
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("health checking is closed");
      }
      boolean known = watched.getOrDefault(e.service(), List.of()).stream().anyMatch(r -> r.key().equals(e.real()));
      if (!known) {
        throw new IllegalStateException(e.real() + " of " + e.service() + " is not watched");
      }
      l = listener;
    }
    l.accept(e);
  }

  /** The servers watched now, by service. */
  public synchronized Map<ServiceKey, List<RealServer>> watched() {
    return Map.copyOf(watched);
  }

  /** How many times setServices was called. */
  public synchronized int updates() {
    return updates;
  }

  /** True after close. */
  public synchronized boolean isClosed() {
    return closed;
  }

  @Override
  public synchronized void close() {
    closed = true;
  }

  /** The keys of the watched servers of a service. */
  public synchronized List<RealServerKey> watchedKeys(ServiceKey service) {
    List<RealServerKey> out = new ArrayList<>();
    for (RealServer r : watched.getOrDefault(service, List.of())) {
      out.add(r.key());
    }
    return out;
  }
}
