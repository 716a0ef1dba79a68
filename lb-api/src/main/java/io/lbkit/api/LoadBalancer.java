package io.lbkit.api;

import io.lbkit.api.check.HealthChecking;
import io.lbkit.api.check.HealthEvent;
import io.lbkit.api.ipvs.Ipvs;
import io.lbkit.api.ipvs.Reconciliation;
import io.lbkit.api.kernel.BatchException;
import io.lbkit.api.vrrp.Failover;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
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
 * <p>Nothing in a spec is ignored silently: a spec with VRRP instances needs
 * {@link Builder#failover} and one with health checks needs {@link Builder#healthChecking},
 * unless the builder said explicitly that they are not wanted
 * ({@link Builder#withoutFailover()}, {@link Builder#withoutHealthChecks()}); otherwise
 * {@link #apply} throws {@link IllegalStateException} naming what is missing.
 *
 * <pre>{@code
 * try (LoadBalancer lb = LoadBalancer.builder(ipvs)   // NetlinkIpvs.open(); a FakeIpvs in tests
 *     .healthChecking(listener -> MonitoredServices.create(HealthMonitor.builder(timers), listener))
 *     .failover(vrrp)                                 // VrrpFailover.create(...); a FakeFailover in tests
 *     .build()) {
 *   lb.apply(spec);
 *   System.out.println(lb.status().toJson());
 * }
 * }</pre>
 *
 * <p>{@code MonitoredServices} and {@code HealthMonitor} are lb-checks', {@code VrrpFailover}
 * lb-vrrp's. This example is compiled and run on the fakes by the examples module's
 * {@code JavadocExamplesTest}, which also checks that the text here is its code.
 */
public final class LoadBalancer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LoadBalancer.class);

  private final Director director;
  private final HealthChecking health;
  private final Failover failover;
  private final SpecScope scope;
  private final boolean failOnPartialApply;
  private final boolean clearOnStop;
  private final TimerService resyncTimers;
  private final Duration resyncInterval;
  private TimerService.Cancellable resyncTask;
  private final List<Consumer<HealthEvent>> healthListeners = new CopyOnWriteArrayList<>();
  private final List<BiConsumer<String, Reconciliation>> reconciliationListeners = new CopyOnWriteArrayList<>();
  private LoadBalancerSpec spec;
  private boolean closed;

  private LoadBalancer(Builder b) {
    this.director = b.ipvs == null ? null : Director.create(b.ipvs, b.purgeUnmanaged);
    this.failover = b.failover;
    this.scope = new SpecScope(b.failover != null, b.noFailover, b.health != null, b.noHealthChecks);
    this.failOnPartialApply = b.failOnPartialApply;
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
    private boolean noFailover;
    private boolean noHealthChecks;
    private boolean failOnPartialApply;
    private boolean clearOnStop;
    private boolean purgeUnmanaged;
    private TimerService resyncTimers;
    private Duration resyncInterval;

    private Builder(Ipvs ipvs) {
      this.ipvs = ipvs;
    }

    /**
     * Health checking, created with the listener it must report to. Without it (and
     * without {@link #withoutHealthChecks()}) a spec with checks is refused.
     */
    public Builder healthChecking(Function<Consumer<HealthEvent>, HealthChecking> factory) {
      this.health = Objects.requireNonNull(factory, "health checking factory");
      return this;
    }

    /**
     * VRRP failover of the virtual addresses. Without it (and without
     * {@link #withoutFailover()}) a spec with VRRP instances is refused.
     */
    public Builder failover(Failover f) {
      this.failover = Objects.requireNonNull(f, "failover");
      return this;
    }

    /**
     * Runs no VRRP: the spec's {@code vrrp_instance} and {@code vrrp_sync_group} blocks
     * are ignored (said once at INFO) and {@link LoadBalancer#status()} shows no VRRP
     * state. For a director whose VIPs are held by something else. Excludes
     * {@link #failover}.
     */
    public Builder withoutFailover() {
      this.noFailover = true;
      return this;
    }

    /**
     * Runs no health checks: every real server is taken as up (said once at INFO), as
     * if it had no checks; {@code alpha} services too, since no check would ever bring
     * their servers up. Excludes {@link #healthChecking}.
     */
    public Builder withoutHealthChecks() {
      this.noHealthChecks = true;
      return this;
    }

    /**
     * Makes {@link LoadBalancer#apply} throw {@link BatchException} when some IPVS changes
     * still failed after the Director's retry, instead of returning them in
     * {@link Reconciliation#failed()}. Off by default.
     */
    public Builder failOnPartialApply(boolean fail) {
      this.failOnPartialApply = fail;
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

    /**
     * Builds it; nothing runs until {@link LoadBalancer#apply}.
     *
     * @throws IllegalStateException if both {@link #failover} and {@link #withoutFailover()},
     *     or both {@link #healthChecking} and {@link #withoutHealthChecks()}, were given
     */
    public LoadBalancer build() {
      if (failover != null && noFailover) {
        throw new IllegalStateException("LoadBalancer.Builder: both failover(...) and withoutFailover() given");
      }
      if (health != null && noHealthChecks) {
        throw new IllegalStateException(
            "LoadBalancer.Builder: both healthChecking(...) and withoutHealthChecks() given");
      }
      return new LoadBalancer(this);
    }
  }

  /**
   * Also tells this listener of each reconciliation the load balancer runs by itself:
   * after a health verdict ({@code "health"}) and each periodic resync ({@code "resync"}),
   * on the thread that ran it. Those from {@link #apply} are its return value.
   */
  public void addReconciliationListener(BiConsumer<String, Reconciliation> listener) {
    reconciliationListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  private void reconciled(String cause, Reconciliation r) {
    for (BiConsumer<String, Reconciliation> l : reconciliationListeners) {
      try {
        l.accept(cause, r);
      } catch (RuntimeException e) {
        LOG.warn("reconciliation listener failed", e);
      }
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
   * <p>IPVS changes the kernel refused (after the Director re-read the table and
   * retried once) do not stop the rest: by default they come back in the result's
   * {@link Reconciliation#failed()} (see {@link Reconciliation#isClean()} and
   * {@link Reconciliation#orThrow()}); with {@link Builder#failOnPartialApply} this
   * method throws them as a {@link BatchException} instead. Either way the spec is in
   * effect afterwards (VRRP, checks, every change that succeeded), and the failed
   * changes are tried again by the next {@code apply} or resync.
   *
   * @return what the IPVS reconciliation did
   * @throws IllegalStateException if the spec has VRRP instances and this load balancer
   *     neither has a {@link Builder#failover} nor was built {@link Builder#withoutFailover()},
   *     or has health checks and neither {@link Builder#healthChecking} nor
   *     {@link Builder#withoutHealthChecks()}; or if it is closed. Nothing is applied then.
   * @throws BatchException with {@link Builder#failOnPartialApply}, if some IPVS changes failed
   */
  public synchronized Reconciliation apply(LoadBalancerSpec next) throws IOException {
    if (closed) {
      throw new IllegalStateException("load balancer is closed");
    }
    Objects.requireNonNull(next, "spec");
    scope.check(next);
    if (failover != null && (spec == null || !spec.vrrpInstances().equals(next.vrrpInstances())
        || !spec.syncGroups().equals(next.syncGroups()))) {
      failover.setInstances(next.vrrpInstances(), next.syncGroups());
    }
    if (director == null && !next.virtualServices().isEmpty()) {
      throw new IllegalArgumentException("this load balancer was built without IPVS and cannot run virtual servers ("
          + next.virtualServices().size() + " given)");
    }
    Reconciliation r = director == null ? Reconciliation.NONE
        : director.setServices(scope.forDirector(next.virtualServices()));
    if (health != null) {
      health.setServices(next.virtualServices());
    }
    if (spec == null && resyncTimers != null && director != null) {
      scheduleResync();
    }
    spec = next;
    return failOnPartialApply ? r.orThrow() : r;
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
        reconciled("resync", r);
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
      reconciled("health", r);
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
