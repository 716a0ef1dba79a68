package io.lbkit.api;

import io.lbkit.api.check.HealthEvent;
import io.lbkit.api.ipvs.Ipvs;
import io.lbkit.api.ipvs.IpvsDest;
import io.lbkit.api.ipvs.IpvsOp;
import io.lbkit.api.ipvs.Reconciliation;
import io.lbkit.api.ipvs.ServiceSnapshot;
import io.lbkit.api.kernel.BatchException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the desired virtual services and keeps an {@link Ipvs} table equal to them
 * with the fewest changes: what exists and is right is adopted, what differs is
 * updated in place, only what is gone is deleted. A restart with the same desired
 * state issues no change at all. Health results switch real servers out (weight 0
 * with {@code inhibitOnFailure}, else removal) and quorum/hysteresis switch the
 * sorry server in and out.
 *
 * <pre>{@code
 * Director director = Director.create(NetlinkIpvs.open());
 * director.setServices(List.of(VirtualService.tcp("192.168.0.200", 80).rr().dr()
 *     .add(RealServer.of("192.168.0.61", 80).inhibitOnFailure())));
 * director.onHealth(HealthEvent.down(key, real, "connection refused"));
 * }</pre>
 *
 * <p>Thread-safe: calls are serialized. The Director keeps a model of the kernel
 * table and diffs against it; {@link #resync()} re-reads the kernel (done
 * automatically on first use and after any failed change).
 */
public final class Director {
  private static final Logger LOG = LoggerFactory.getLogger(Director.class);

  private final Ipvs ipvs;
  private final boolean purgeUnmanaged;
  private final Map<ServiceKey, VirtualService> desired = new LinkedHashMap<>();
  private final Set<ServiceKey> managed = new HashSet<>();
  private final Map<ServiceKey, Map<RealServerKey, Health>> health = new HashMap<>();
  private final Map<ServiceKey, Boolean> quorumUp = new HashMap<>();
  private Map<ServiceKey, IpvsDiff.Table> kernel;

  private record Health(boolean up, int weight, String reason) {}

  private Director(Ipvs ipvs, boolean purgeUnmanaged) {
    this.ipvs = Objects.requireNonNull(ipvs, "ipvs");
    this.purgeUnmanaged = purgeUnmanaged;
  }

  /** A director that leaves services it does not manage alone. */
  public static Director create(Ipvs ipvs) {
    return new Director(ipvs, false);
  }

  /**
   * A director that, with {@code purgeUnmanaged}, also deletes every kernel service
   * not in its desired set (keepalived's {@code lvs_flush}, without the flush's gap).
   */
  public static Director create(Ipvs ipvs, boolean purgeUnmanaged) {
    return new Director(ipvs, purgeUnmanaged);
  }

  /**
   * Makes these the desired services and reconciles only the ones that changed.
   * Changes the kernel refuses do not stop the others: they come back in
   * {@link Reconciliation#failed()}, each naming its service and real server; call
   * {@link Reconciliation#orThrow()} to have them thrown.
   *
   * @throws IllegalArgumentException if two services have the same key
   */
  public synchronized Reconciliation setServices(Collection<VirtualService> services) throws IOException {
    Set<ServiceKey> scope = kernel == null ? null : sameKeysChanged(services);
    boolean replaced = scope == null;
    if (replaced) {
      scope = replaceAll(services);
    }
    boolean first = kernel == null;
    if (first) {
      resyncModel();
      if (purgeUnmanaged) {
        scope.addAll(kernel.keySet());
      }
      scope.addAll(desired.keySet());
    }
    Reconciliation r = reconcile(scope);
    if (replaced) {
      managed.retainAll(desired.keySet()); // the same keys otherwise: nothing to drop
    }
    return r;
  }

  /**
   * The common case of a spec applied again with a few services changed (a reload, an
   * embedder's fluent change): the same keys in the same order, unchanged services often
   * the very same objects. Walks both lists once, without hashing, and updates only the
   * changed services; O(services) identity checks plus O(changed). Returns the changed
   * keys, or null when the key sequence differs (then {@link #replaceAll} handles it).
   */
  private Set<ServiceKey> sameKeysChanged(Collection<VirtualService> services) {
    if (services.size() != desired.size()) {
      return null;
    }
    List<VirtualService> changed = new ArrayList<>();
    java.util.Iterator<VirtualService> old = desired.values().iterator();
    for (VirtualService v : services) {
      VirtualService o = old.next();
      if (v == o) {
        continue;
      }
      if (!v.key().equals(o.key())) {
        return null;
      }
      if (!v.equals(o)) {
        changed.add(v);
      }
    }
    Set<ServiceKey> scope = new HashSet<>();
    for (VirtualService v : changed) {
      desired.put(v.key(), v); // an existing key: its place in the order stays
      updateHealthModel(v);
      scope.add(v.key());
    }
    return scope;
  }

  /** Any other new set of services: rebuilds the desired map and returns the keys to reconcile. */
  private Set<ServiceKey> replaceAll(Collection<VirtualService> services) {
    Map<ServiceKey, VirtualService> next = new LinkedHashMap<>();
    for (VirtualService v : services) {
      if (next.put(v.key(), v) != null) {
        throw new IllegalArgumentException("virtual service " + v.key() + " is given twice");
      }
    }
    Set<ServiceKey> scope = new HashSet<>();
    for (VirtualService v : next.values()) {
      VirtualService was = desired.get(v.key());
      if (!v.equals(was)) {
        scope.add(v.key());
      }
    }
    for (ServiceKey k : desired.keySet()) {
      if (!next.containsKey(k)) {
        scope.add(k);
        health.remove(k);
        quorumUp.remove(k);
      }
    }
    desired.clear();
    desired.putAll(next);
    managed.addAll(next.keySet());
    for (VirtualService v : next.values()) {
      if (scope.contains(v.key()) || !health.containsKey(v.key())) {
        updateHealthModel(v); // an unchanged service's real servers have their entries already
      }
    }
    return scope;
  }

  /** Adds a health entry for each new real server of {@code v} and drops those it no longer has. */
  private void updateHealthModel(VirtualService v) {
    Map<RealServerKey, Health> h = health.computeIfAbsent(v.key(), k -> new HashMap<>());
    for (RealServer r : v.realServers()) {
      h.computeIfAbsent(r.key(), k -> new Health(!v.isAlpha(), -1, v.isAlpha() ? "alpha: not checked yet" : ""));
    }
    if (h.size() > v.realServers().size()) {
      Set<RealServerKey> keep = new HashSet<>();
      for (RealServer r : v.realServers()) {
        keep.add(r.key());
      }
      h.keySet().retainAll(keep);
    }
  }

  /** Applies a health result to its real server; reconciles only that service. */
  public synchronized Reconciliation onHealth(HealthEvent e) throws IOException {
    VirtualService v = desired.get(e.service());
    if (v == null || v.realServer(e.real()).isEmpty()) {
      LOG.debug("health result for unknown real server {} of {} ignored", e.real(), e.service());
      return Reconciliation.NONE;
    }
    Map<RealServerKey, Health> h = health.get(e.service());
    Health old = h.get(e.real());
    Health now = new Health(e.up(), e.weight(), e.reason());
    if (old.up() != now.up()) {
      LOG.info("real server {} of {} is {}{}", e.real(), e.service(), e.up() ? "UP" : "DOWN",
          e.reason().isEmpty() ? "" : ": " + e.reason());
    }
    h.put(e.real(), now);
    if (kernel == null) {
      resyncModel();
    }
    return reconcile(Set.of(e.service()));
  }

  /** Re-reads the kernel table and reconciles everything this director manages. */
  public synchronized Reconciliation resync() throws IOException {
    resyncModel();
    Set<ServiceKey> scope = new HashSet<>(managed);
    if (purgeUnmanaged) {
      scope.addAll(kernel.keySet());
    }
    return reconcile(scope);
  }

  /** Deletes every service this director manages (a graceful stop that clears IPVS). */
  public synchronized Reconciliation clear() throws IOException {
    Set<ServiceKey> scope = new HashSet<>(managed);
    desired.clear();
    if (kernel == null) {
      resyncModel();
    }
    Reconciliation r = reconcile(scope);
    managed.clear();
    return r;
  }

  /** The desired services. */
  public synchronized List<VirtualService> services() {
    return List.copyOf(desired.values());
  }

  /** Quorum and real-server state of every desired service. */
  public synchronized List<ServiceView> view() {
    List<ServiceView> out = new ArrayList<>();
    for (VirtualService v : desired.values()) {
      IpvsDiff.Table t = kernel == null ? null : kernel.get(v.key());
      List<ServiceView.RealView> reals = new ArrayList<>();
      for (RealServer r : v.realServers()) {
        Health h = health.get(v.key()).get(r.key());
        IpvsDest d = t == null ? null : t.dests().get(r.key());
        reals.add(new ServiceView.RealView(r.key(), h.up(), d == null ? -1 : d.weight(), h.reason()));
      }
      boolean q = quorumUp.getOrDefault(v.key(), true);
      out.add(new ServiceView(v.key(), q, liveWeight(v), !q && v.sorryServer().isPresent(), reals));
    }
    return out;
  }

  private Reconciliation reconcile(Set<ServiceKey> scope) throws IOException {
    Map<ServiceKey, IpvsDiff.Table> want = new LinkedHashMap<>();
    if (scope.size() <= 1) {
      // one service (a health change, one edited service): no walk over the whole table
      for (ServiceKey k : scope) {
        VirtualService v = desired.get(k);
        if (v != null) {
          want.put(k, desiredTable(v));
        }
      }
    } else {
      for (VirtualService v : desired.values()) { // the desired order, for a stable order of operations
        if (scope.contains(v.key())) {
          want.put(v.key(), desiredTable(v));
        }
      }
    }
    Map<ServiceKey, IpvsDiff.Table> have = new HashMap<>();
    for (ServiceKey k : scope) {
      IpvsDiff.Table t = kernel.get(k);
      if (t != null) {
        have.put(k, t);
      }
    }
    Set<ServiceKey> deletable = purgeUnmanaged ? scope : managedIn(scope);
    List<IpvsOp> ops = IpvsDiff.compute(have, want, deletable);
    List<IpvsOp> applied = new ArrayList<>();
    List<BatchException.Failure> failed = apply(ops, applied);
    if (!failed.isEmpty()) {
      // The model was wrong (someone else changed the table) or the kernel refused:
      // re-read it and try once more, so no state is lost and nothing loops.
      LOG.warn("{} of {} IPVS changes failed, first: {}; re-reading the kernel table", failed.size(), ops.size(),
          failed.get(0).error().getMessage());
      resyncModel();
      have.clear();
      for (ServiceKey k : scope) {
        IpvsDiff.Table t = kernel.get(k);
        if (t != null) {
          have.put(k, t);
        }
      }
      failed = apply(IpvsDiff.compute(have, want, deletable), applied);
    }
    return new Reconciliation(applied, failed);
  }

  private Set<ServiceKey> managedIn(Set<ServiceKey> scope) {
    Set<ServiceKey> s = new HashSet<>(scope);
    s.retainAll(managed);
    return s;
  }

  private List<BatchException.Failure> apply(List<IpvsOp> ops, List<IpvsOp> applied) throws IOException {
    if (ops.isEmpty()) {
      return List.of();
    }
    List<BatchException.Failure> failed = List.of();
    try {
      ipvs.apply(ops);
    } catch (BatchException e) {
      failed = e.failures();
    }
    Set<Integer> bad = new HashSet<>();
    for (BatchException.Failure f : failed) {
      bad.add(f.index());
    }
    for (int i = 0; i < ops.size(); i++) {
      if (!bad.contains(i)) {
        IpvsDiff.applyTo(kernel, ops.get(i));
        applied.add(ops.get(i));
        LOG.debug("ipvs {}", ops.get(i));
      }
    }
    return failed;
  }

  private void resyncModel() throws IOException {
    Map<ServiceKey, IpvsDiff.Table> m = new HashMap<>();
    for (ServiceSnapshot s : ipvs.services()) {
      m.put(s.key(), IpvsDiff.Table.of(s));
    }
    kernel = m;
  }

  private int effectiveWeight(RealServer r, Health h) {
    return h.weight() >= 0 ? h.weight() : r.weight();
  }

  private int liveWeight(VirtualService v) {
    int sum = 0;
    Map<RealServerKey, Health> h = health.get(v.key());
    for (RealServer r : v.realServers()) {
      Health x = h.get(r.key());
      if (x.up()) {
        sum += effectiveWeight(r, x);
      }
    }
    return sum;
  }

  private IpvsDiff.Table desiredTable(VirtualService v) {
    Map<RealServerKey, IpvsDest> dests = new LinkedHashMap<>();
    Map<RealServerKey, Health> h = health.get(v.key());
    for (RealServer r : v.realServers()) {
      Health x = h.get(r.key());
      Forwarding f = v.forwardingOf(r);
      if (x.up()) {
        dests.put(r.key(), new IpvsDest(r.key(), f, effectiveWeight(r, x), r.upperThreshold(), r.lowerThreshold()));
      } else if (r.isInhibitOnFailure()) {
        dests.put(r.key(), new IpvsDest(r.key(), f, 0, r.upperThreshold(), r.lowerThreshold()));
      }
    }
    boolean q = updateQuorum(v);
    v.sorryServer().ifPresent(s -> {
      if (dests.containsKey(s.key()) || v.realServer(s.key()).isPresent()) {
        return; // a real server of the same address wins
      }
      if (!q) {
        dests.put(s.key(), new IpvsDest(s.key(), v.forwardingOf(s), Math.max(1, s.weight()), 0, 0));
      } else if (v.isSorryServerInhibit()) {
        dests.put(s.key(), new IpvsDest(s.key(), v.forwardingOf(s), 0, 0, 0));
      }
    });
    return new IpvsDiff.Table(v.toIpvsService(), dests);
  }

  private boolean updateQuorum(VirtualService v) {
    int live = liveWeight(v);
    Boolean was = quorumUp.get(v.key());
    boolean now;
    if (was == null) {
      now = live >= v.quorum();
    } else if (was) {
      now = live >= v.quorum() - v.hysteresis();
    } else {
      now = live >= v.quorum() + v.hysteresis();
    }
    if (was != null && was != now) {
      LOG.info("{}: quorum {} (live weight {}, quorum {}, hysteresis {}){}", v.key(), now ? "gained" : "lost", live,
          v.quorum(), v.hysteresis(), v.sorryServer().isPresent() ? now ? "; sorry server out" : "; sorry server in" : "");
    }
    quorumUp.put(v.key(), now);
    return now;
  }

  /**
   * The IPVS changes a new director's first {@link #setServices} would make to a table
   * that holds {@code current} (as {@link Ipvs#services()} lists it): a dry run, pure,
   * no I/O. Real servers count as up (alpha ones as down), as before any health result.
   *
   * @param current the table now, e.g. {@code ipvs.services()}, or empty
   * @param services the desired virtual services
   * @param purgeUnmanaged also delete services not in {@code services} (see {@link #create(Ipvs, boolean)})
   * @throws IllegalArgumentException if two services have the same key
   */
  public static List<IpvsOp> plan(List<ServiceSnapshot> current, Collection<VirtualService> services,
      boolean purgeUnmanaged) {
    Map<ServiceKey, IpvsDiff.Table> have = new LinkedHashMap<>();
    for (ServiceSnapshot s : current) {
      have.put(s.key(), IpvsDiff.Table.of(s));
    }
    Director d = new Director(purgeUnmanaged);
    Map<ServiceKey, IpvsDiff.Table> want = new LinkedHashMap<>();
    for (VirtualService v : services) {
      if (d.desired.put(v.key(), v) != null) {
        throw new IllegalArgumentException("virtual service " + v.key() + " is given twice");
      }
      Map<RealServerKey, Health> h = d.health.computeIfAbsent(v.key(), k -> new HashMap<>());
      for (RealServer r : v.realServers()) {
        h.put(r.key(), new Health(!v.isAlpha(), -1, v.isAlpha() ? "alpha: not checked yet" : ""));
      }
      want.put(v.key(), d.desiredTable(v));
    }
    return IpvsDiff.compute(have, want, purgeUnmanaged ? have.keySet() : Set.of());
  }

  /** A director that only plans ({@link #plan}): it has no table to change. */
  private Director(boolean purgeUnmanaged) {
    this.ipvs = null;
    this.purgeUnmanaged = purgeUnmanaged;
  }
}
