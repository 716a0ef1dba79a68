package io.lbkit.runtime;

import io.lbkit.api.LoadBalancer;
import io.lbkit.api.LoadBalancerSpec;
import io.lbkit.api.LoadBalancerStatus;
import io.lbkit.api.check.HealthChecking;
import io.lbkit.api.check.HealthEvent;
import io.lbkit.api.ipvs.Reconciliation;
import io.lbkit.api.ipvs.ServiceSnapshot;
import io.lbkit.api.script.ScriptPolicy;
import io.lbkit.api.vrrp.VrrpState;
import io.lbkit.checks.HealthMonitor;
import io.lbkit.checks.MonitoredServices;
import io.lbkit.netlink.NetworkNamespaces;
import io.lbkit.vrrp.TrackingStatus;
import io.lbkit.vrrp.VrrpFailover;
import io.lbkit.vrrp.VrrpInstance;
import io.lbkit.vrrp.VrrpRouter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What {@link LoadBalancerRuntime} runs: static addresses and routes, VRRP, the IPVS sync
 * daemons and the IPVS side with its health checks, each spec applied to them in
 * keepalived's order, and stopped in keepalived's order. Not thread-safe: the runtime
 * calls {@link #apply}, {@link #resync} and {@link #close} under its lock.
 */
final class RuntimeEngine {
  private final Adapters adapters;
  private final Listeners listener;
  private final Function<Consumer<HealthEvent>, HealthChecking> health;
  private final VrrpFailover vrrp;
  private final StaticNetwork statics;
  private final SyncDaemons syncd;
  private volatile LoadBalancer lb;
  private volatile LoadBalancerSpec spec;

  /**
   * An engine on these adapters, telling these listeners.
   *
   * @param health the builder's health checking, or null for lb-checks' with {@code checkThreads} threads
   */
  RuntimeEngine(Adapters adapters, Listeners listener, Function<Consumer<HealthEvent>, HealthChecking> health,
      int checkThreads) {
    this.adapters = adapters;
    this.listener = listener;
    this.health = health != null ? health : events -> MonitoredServices.create(observed(adapters.injectedTimers()
        ? HealthMonitor.builder(adapters.timers()) // checks time on the caller's clock too
        : HealthMonitor.builder()).checkThreads(checkThreads), events); // real time: timers on the check threads
    vrrp = VrrpFailover.create(this::vrrpRouter);
    statics = new StaticNetwork(adapters);
    syncd = new SyncDaemons(adapters);
  }

  /**
   * Attempts are timed and told only when someone listens; in a namespace, the checks
   * leave from it (their threads enter it before their first socket or program).
   */
  private HealthMonitor.Builder observed(HealthMonitor.Builder b) {
    String netns = adapters.netns();
    if (netns != null) {
      b.threadSetup(() -> {
        try {
          NetworkNamespaces.enter(netns);
        } catch (IOException e) {
          throw new UncheckedIOException("health checks cannot enter network namespace " + netns + ": "
              + e.getMessage(), e);
        }
      });
    }
    return listener.isEmpty() ? b : b.observer(listener::checkAttempted);
  }

  /** The running spec (the last one applied, or the one set). */
  LoadBalancerSpec spec() {
    return spec;
  }

  /** Makes this the running spec (a start's as configured, not the adopted start state it applied). */
  void spec(LoadBalancerSpec s) {
    spec = s;
  }

  /** Applies a spec as the difference to the running one (see {@link LoadBalancerRuntime#reload(LoadBalancerSpec)}). */
  Changes apply(LoadBalancerSpec next) throws IOException {
    Objects.requireNonNull(next, "spec");
    LoadBalancerSpec old = spec;
    LoadBalancer balancer = balancerFor(next); // before anything changes: opening IPVS may fail
    List<String> network = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    if (old == null) {
      statics.apply(next, network, failures); // at start first, as keepalived: VRRP may need them
    }
    try {
      vrrp.setConfiguration(next.vrrpInstances(), next.syncGroups(), next.scripts().values(),
          next.trackFiles().values(), ScriptPolicy.of(next.globals()));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage(), List.of());
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    if (old != null) {
      statics.apply(next, network, failures); // on a reload after VRRP, which refuses a bad spec before any change
    }
    Map<String, VrrpState> states = new TreeMap<>();
    vrrp.status().forEach((name, st) -> states.put(name, st.state()));
    syncd.configure(next.globals(), states, network, failures);
    spec = next;
    // the runtime runs VRRP itself (above); its LoadBalancer is the IPVS side and sees no VRRP instances
    Reconciliation r = balancer == null ? Reconciliation.NONE
        : balancer.apply(next.toBuilder().vrrpInstances(List.of()).syncGroups(List.of()).build());
    Changes c = new Changes(r, VrrpChanges.between(old, next), network, failures);
    listener.reconciled("apply", r);
    listener.applied(c);
    return c;
  }

  /** See {@link LoadBalancerRuntime#resync()}. */
  Reconciliation resync() throws IOException {
    LoadBalancer l = lb;
    if (l == null || l.director() == null) {
      return Reconciliation.NONE;
    }
    Reconciliation r = l.director().resync();
    listener.reconciled("resync", r);
    return r;
  }

  /** The IPVS side, built (and IPVS opened) the first time a spec has virtual servers. */
  private LoadBalancer balancerFor(LoadBalancerSpec next) throws IOException {
    if (lb == null && !next.virtualServices().isEmpty()) {
      LoadBalancer l = LoadBalancer.builder(adapters.ipvs())
          .healthChecking(health)
          .purgeUnmanaged(next.globals().lvsFlush())
          .resyncEvery(LoadBalancerRuntime.RESYNC, adapters.timers())
          .build();
      l.addHealthListener(listener::healthChanged);
      l.addReconciliationListener(listener::reconciled);
      lb = l;
    }
    return lb;
  }

  private VrrpRouter.Builder vrrpRouter() {
    try {
      VrrpRouter.Builder b = VrrpRouter.builder(adapters.transport(), adapters.addresses(), adapters.timers())
          .routes(adapters.routes())
          .listener((name, from, to, why) -> {
            syncd.stateChanged(name, to); // before the listeners: they see the daemon of the new state
            listener.vrrpStateChanged(name, from, to, why);
          });
      Predicate<String> up = adapters.linkStatus();
      if (up != null) {
        b.linkStatus(up);
      }
      return b;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** See {@link LoadBalancerRuntime#status()}. */
  LoadBalancerStatus status() {
    LoadBalancer l = lb;
    return new LoadBalancerStatus(vrrp.status(), l == null ? List.of() : l.director().view());
  }

  /** See {@link LoadBalancerRuntime#vrrpCounters()}. */
  Map<String, Map<String, Long>> vrrpCounters() {
    VrrpRouter r = vrrp.router();
    if (r == null) {
      return Map.of();
    }
    Map<String, Map<String, Long>> m = new TreeMap<>();
    for (VrrpInstance i : r.instances()) {
      m.put(i.name(), i.counters());
    }
    return m;
  }

  /** See {@link LoadBalancerRuntime#vrrpTracking()}. */
  TrackingStatus vrrpTracking() {
    VrrpRouter r = vrrp.router();
    return r == null ? TrackingStatus.EMPTY : r.tracking();
  }

  /** See {@link LoadBalancerRuntime#dataplaneSnapshot()}. */
  List<ServiceSnapshot> dataplaneSnapshot() throws IOException {
    return lb == null ? List.of() : adapters.ipvs().services();
  }

  /** Stops everything in keepalived's order (see {@link LoadBalancerRuntime#close()}). */
  void close() throws IOException {
    IOException failed = null;
    try {
      syncd.close(); // as keepalived's vrrp_terminate_phase1: before the masters send priority 0
      vrrp.close();
      LoadBalancer l = lb;
      if (l != null) {
        try {
          l.close();
          if (spec != null && spec.globals().lvsFlushOnStop()) {
            l.director().clear();
          }
        } catch (IOException e) {
          failed = e;
        }
      }
      statics.removeAll(new ArrayList<>());
    } finally {
      adapters.close();
    }
    if (failed != null) {
      throw failed;
    }
  }
}
