package io.lbkit.api;

import io.lbkit.api.check.HealthChecking;
import io.lbkit.api.check.HealthEvent;
import io.lbkit.api.ipvs.Ipvs;
import io.lbkit.api.ipvs.Reconciliation;
import io.lbkit.api.vrrp.Failover;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole load balancer: a {@link Director} over an {@link Ipvs}, health checking
 * feeding it, and VRRP failover of the virtual addresses, run from one
 * {@link LoadBalancerSpec} (built with the fluent API or imported from a
 * keepalived.conf). {@link #apply} may be called again at any time with a changed
 * spec: only the difference is applied, with no VIP flap, no dropped connection and
 * no reset of unchanged servers' checks (keepalived needs a reload for this).
 *
 * <pre>{@code
 * try (LoadBalancer lb = LoadBalancer.builder(NetlinkIpvs.open())
 *     .healthChecking(listener -> CheckingAdapter.create(timers, listener))
 *     .failover(vrrp)
 *     .build()) {
 *   lb.apply(spec);
 *   System.out.println(lb.status().toJson());
 * }
 * }</pre>
 */
public final class LoadBalancer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LoadBalancer.class);

  private final Director director;
  private final HealthChecking health;
  private final Failover failover;
  private final boolean clearOnStop;
  private final TimerService resyncTimers;
  private final Duration resyncInterval;
  private TimerService.Cancellable resyncTask;
  private final List<Consumer<HealthEvent>> healthListeners = new CopyOnWriteArrayList<>();
  private LoadBalancerSpec spec;
  private boolean closed;

  private LoadBalancer(Builder b) {
    this.director = b.ipvs == null ? null : Director.create(b.ipvs, b.purgeUnmanaged);
    this.failover = b.failover;
    this.clearOnStop = b.clearOnStop;
    this.resyncTimers = b.resyncTimers;
    this.resyncInterval = b.resyncInterval;
    this.health = b.health == null ? null : b.health.apply(this::onHealth);
  }

  /** A builder over this IPVS table. */
  public static Builder builder(Ipvs ipvs) {
    return new Builder(Objects.requireNonNull(ipvs, "ipvs"));
  }

  /**
   * A builder for a load balancer without IPVS: VRRP failover only ({@link #apply}
   * refuses a spec with virtual services; {@link #director()} is null).
   */
  public static Builder builder() {
    return new Builder(null);
  }

  /** Builder. */
  public static final class Builder {
    private final Ipvs ipvs;
    private Function<Consumer<HealthEvent>, HealthChecking> health;
    private Failover failover;
    private boolean clearOnStop;
    private boolean purgeUnmanaged;
    private TimerService resyncTimers;
    private Duration resyncInterval;

    private Builder(Ipvs ipvs) {
      this.ipvs = ipvs;
    }

    /** Health checking, created with the listener it must report to. */
    public Builder healthChecking(Function<Consumer<HealthEvent>, HealthChecking> factory) {
      this.health = factory;
      return this;
    }

    /** VRRP failover of the virtual addresses. */
    public Builder failover(Failover f) {
      this.failover = f;
      return this;
    }

    /** Remove the managed IPVS services on close (keepalived's lvs_flush_onstop). */
    public Builder clearOnStop(boolean clear) {
      this.clearOnStop = clear;
      return this;
    }

    /** Delete IPVS services the spec does not name (keepalived's lvs_flush). */
    public Builder purgeUnmanaged(boolean purge) {
      this.purgeUnmanaged = purge;
      return this;
    }

    /**
     * Re-reads the kernel's IPVS table every {@code interval} and puts back what differs
     * from the spec and the health verdicts: a reconcile that failed (an IOException
     * after a health change is only logged) is retried, and rules changed behind lbkit's
     * back are restored. Off by default (keepalived has no such resync).
     */
    public Builder resyncEvery(Duration interval, TimerService timers) {
      Objects.requireNonNull(interval, "interval");
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("resync interval must be positive: " + interval);
      }
      this.resyncInterval = interval;
      this.resyncTimers = Objects.requireNonNull(timers, "timers");
      return this;
    }

    /** Builds it; nothing runs until {@link LoadBalancer#apply}. */
    public LoadBalancer build() {
      return new LoadBalancer(this);
    }
  }

  /** Also tells this listener of every health verdict. */
  public void addHealthListener(Consumer<HealthEvent> listener) {
    healthListeners.add(listener);
  }

  /**
   * Runs this spec: the first call starts everything, later calls apply only what
   * changed.
   *
   * @return what the IPVS reconciliation did
   */
  public synchronized Reconciliation apply(LoadBalancerSpec next) throws IOException {
    if (closed) {
      throw new IllegalStateException("load balancer is closed");
    }
    Objects.requireNonNull(next, "spec");
    if (failover != null && (spec == null || !spec.vrrpInstances().equals(next.vrrpInstances())
        || !spec.syncGroups().equals(next.syncGroups()))) {
      failover.setInstances(next.vrrpInstances(), next.syncGroups());
    }
    if (director == null && !next.virtualServices().isEmpty()) {
      throw new IllegalArgumentException("this load balancer was built without IPVS and cannot run virtual servers ("
          + next.virtualServices().size() + " given)");
    }
    Reconciliation r = director == null ? Reconciliation.NONE : director.setServices(next.virtualServices());
    if (health != null) {
      health.setServices(next.virtualServices());
    }
    if (spec == null && resyncTimers != null && director != null) {
      scheduleResync();
    }
    spec = next;
    return r;
  }

  private synchronized void scheduleResync() {
    if (!closed) {
      resyncTask = resyncTimers.schedule(resyncInterval, this::resync);
    }
  }

  private void resync() {
    synchronized (this) {
      if (closed) {
        return;
      }
      try {
        Reconciliation r = director.resync();
        if (!r.applied().isEmpty()) {
          LOG.info("periodic resync put back {} IPVS change(s): {}", r.applied().size(), r.applied());
        }
        for (var f : r.failed()) {
          LOG.warn("periodic resync: {}: {}", f.op(), f.error().getMessage());
        }
      } catch (IOException | RuntimeException e) {
        LOG.warn("periodic resync failed (retried in {}): {}", resyncInterval, e.getMessage());
      }
    }
    scheduleResync();
  }

  /** VRRP states and every service's health, now. */
  public LoadBalancerStatus status() {
    Map<String, Failover.InstanceStatus> vrrp = failover == null ? Map.of() : failover.status();
    return new LoadBalancerStatus(vrrp, director == null ? List.of() : director.view(),
        failover == null ? Map.of() : failover.unmatchedDrops());
  }

  /** The Director (for its view and for manual resyncs); null if built without IPVS. */
  public Director director() {
    return director;
  }

  private void onHealth(HealthEvent e) {
    try {
      Reconciliation r = director.onHealth(e);
      for (var f : r.failed()) {
        LOG.warn("{} after health change of {}: {}", f.op(), e.real(), f.error().getMessage());
      }
    } catch (IOException ex) {
      LOG.warn("could not apply health change of {} in {}: {}", e.real(), e.service(), ex.getMessage());
    }
    for (Consumer<HealthEvent> l : healthListeners) {
      l.accept(e);
    }
  }

  /**
   * Stops gracefully: VRRP sends priority 0 and removes the virtual addresses,
   * checks stop, and the IPVS services are removed if {@code clearOnStop}.
   */
  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    if (resyncTask != null) {
      resyncTask.cancel();
    }
    IOException first = null;
    try {
      if (failover != null) {
        failover.close();
      }
    } catch (IOException e) {
      first = e;
    }
    if (health != null) {
      health.close();
    }
    if (clearOnStop && director != null) {
      director.clear();
    }
    if (first != null) {
      throw first;
    }
  }
}
