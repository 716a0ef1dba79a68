package io.lbkit.testing;

import io.lbkit.api.Forwarding;
import io.lbkit.api.RealServerKey;
import io.lbkit.api.Scheduler;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.ipvs.Ipvs;
import io.lbkit.api.ipvs.IpvsDest;
import io.lbkit.api.ipvs.IpvsInfo;
import io.lbkit.api.ipvs.IpvsOp;
import io.lbkit.api.ipvs.IpvsService;
import io.lbkit.api.ipvs.IpvsStats;
import io.lbkit.api.ipvs.IpvsTimeouts;
import io.lbkit.api.ipvs.ServiceSnapshot;
import io.lbkit.api.ipvs.ServiceSnapshot.DestSnapshot;
import io.lbkit.api.ipvs.SyncDaemon;
import io.lbkit.api.kernel.Errno;
import io.lbkit.api.kernel.KernelException;
import io.lbkit.api.kernel.KernelException.Subject;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An in-memory IPVS table with the kernel's semantics, for users' unit tests:
 * the same errnos (EEXIST, ESRCH for a missing service, ENOENT for a missing
 * destination or an unknown scheduler / persistence engine, ERANGE for thresholds,
 * EINVAL for a mixed-family destination that is not tunnelled), destinations listed
 * newest first as the kernel lists them, failure injection and an operation log.
 * It passes {@link IpvsContract}, as lb-netlink's adapter does against the kernel.
 *
 * <pre>{@code
 * FakeIpvs ipvs = new FakeIpvs();
 * Director director = Director.create(ipvs);
 * ipvs.failNext(Errno.EPERM);            // the next operation fails like an unprivileged caller
 * assertThat(ipvs.log()).containsExactly("-A -t 192.168.0.200:80 -s rr", ...);
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class FakeIpvs implements Ipvs {
  private final Map<ServiceKey, Svc> services = new LinkedHashMap<>();
  private final Set<String> schedulers = new HashSet<>();
  private final Set<String> engines = new HashSet<>(Set.of("sip"));
  private final List<String> log = new ArrayList<>();
  private final Map<SyncDaemon.Role, SyncDaemon> daemons = new EnumMap<>(SyncDaemon.Role.class);
  private IpvsInfo info = IpvsInfo.LINUX_DEFAULT;
  private IpvsTimeouts timeouts = IpvsTimeouts.LINUX_DEFAULT;
  private int failNextErrno;
  private boolean closed;

  private static final class Svc {
    IpvsService service;
    IpvsStats stats = IpvsStats.ZERO;
    final LinkedHashMap<RealServerKey, DestSnapshot> dests = new LinkedHashMap<>();

    Svc(IpvsService service) {
      this.service = service;
    }
  }

  /** A fake kernel with every mainline scheduler and the sip persistence engine loaded. */
  public FakeIpvs() {
    for (Scheduler s : Scheduler.known()) {
      schedulers.add(s.name());
    }
  }

  /** Makes a scheduler unavailable (as if its module were missing): adding a service with it fails with ENOENT. */
  public synchronized FakeIpvs withoutScheduler(String name) {
    schedulers.remove(name);
    return this;
  }

  /** Makes a scheduler available again (as if its module were loaded now). */
  public synchronized FakeIpvs withScheduler(String name) {
    schedulers.add(java.util.Objects.requireNonNull(name, "name"));
    return this;
  }

  /** Makes the next operation (of any kind) fail with this errno. */
  public synchronized void failNext(int errno) {
    failNextErrno = errno;
  }

  /** Sets the version and table size {@link #info()} reports. */
  public synchronized void setInfo(IpvsInfo i) {
    info = i;
  }

  /** Sets the connection counters of a destination, as traffic would. */
  public synchronized void setConnections(ServiceKey svc, RealServerKey dest, long active, long inactive) {
    Svc s = services.get(svc);
    DestSnapshot d = s == null ? null : s.dests.get(dest);
    if (d == null) {
      throw new IllegalArgumentException("no destination " + dest + " in " + svc);
    }
    s.dests.put(dest, new DestSnapshot(d.dest(), active, inactive, d.persistentConns(), d.stats()));
  }

  /** Every change made so far, in ipvsadm syntax ({@code -A -t 192.168.0.200:80 -s rr}, {@code -C} for flush). */
  public synchronized List<String> log() {
    return List.copyOf(log);
  }

  /** Forgets the log. */
  public synchronized void clearLog() {
    log.clear();
  }

  @Override
  public synchronized IpvsInfo info() throws KernelException {
    check(Subject.OTHER, "IPVS get info");
    return info;
  }

  @Override
  public synchronized List<ServiceSnapshot> services() throws KernelException {
    check(Subject.OTHER, "IPVS dump services");
    List<ServiceSnapshot> out = new ArrayList<>(services.size());
    for (Svc s : services.values()) {
      List<DestSnapshot> dests = new ArrayList<>(s.dests.values());
      java.util.Collections.reverse(dests); // the kernel adds destinations at the list head
      out.add(new ServiceSnapshot(s.service, s.stats, dests));
    }
    return out;
  }

  @Override
  public synchronized void addService(IpvsService service) throws KernelException {
    IpvsOp op = new IpvsOp.AddService(service);
    check(op);
    if (services.containsKey(service.key())) {
      throw KernelException.of(op, Errno.EEXIST, null);
    }
    checkModules(service, op);
    services.put(service.key(), new Svc(service));
    log.add(op.toString());
  }

  @Override
  public synchronized void updateService(IpvsService service) throws KernelException {
    IpvsOp op = new IpvsOp.UpdateService(service);
    check(op);
    Svc s = services.get(service.key());
    if (s == null) {
      throw KernelException.of(op, Errno.ESRCH, null);
    }
    checkModules(service, op);
    s.service = service;
    log.add(op.toString());
  }

  @Override
  public synchronized void deleteService(ServiceKey key) throws KernelException {
    IpvsOp op = new IpvsOp.DeleteService(key);
    check(op);
    if (services.remove(key) == null) {
      throw KernelException.of(op, Errno.ESRCH, null);
    }
    log.add(op.toString());
  }

  @Override
  public synchronized void addDest(ServiceKey service, IpvsDest dest) throws KernelException {
    IpvsOp op = new IpvsOp.AddDest(service, dest);
    Svc s = destChecks(service, dest, op);
    if (s.dests.containsKey(dest.key())) {
      throw KernelException.of(op, Errno.EEXIST, null);
    }
    s.dests.put(dest.key(), DestSnapshot.idle(dest));
    log.add(op.toString());
  }

  @Override
  public synchronized void updateDest(ServiceKey service, IpvsDest dest) throws KernelException {
    IpvsOp op = new IpvsOp.UpdateDest(service, dest);
    Svc s = destChecks(service, dest, op);
    DestSnapshot old = s.dests.get(dest.key());
    if (old == null) {
      throw KernelException.of(op, Errno.ENOENT, null);
    }
    s.dests.put(dest.key(), new DestSnapshot(dest, old.activeConns(), old.inactiveConns(), old.persistentConns(),
        old.stats()));
    log.add(op.toString());
  }

  @Override
  public synchronized void deleteDest(ServiceKey service, RealServerKey dest) throws KernelException {
    IpvsOp op = new IpvsOp.DeleteDest(service, dest);
    check(op);
    Svc s = services.get(service);
    if (s == null) {
      throw KernelException.of(op, Errno.ESRCH, null);
    }
    if (s.dests.remove(dest) == null) {
      throw KernelException.of(op, Errno.ENOENT, null);
    }
    log.add(op.toString());
  }

  @Override
  public synchronized void flush() throws KernelException {
    check(Subject.OTHER, "IPVS flush");
    services.clear();
    log.add("-C");
  }

  @Override
  public synchronized void zero(ServiceKey service) throws KernelException {
    String op = "IPVS zero " + (service == null ? "all services" : service);
    check(Subject.SERVICE, op);
    if (service != null && !services.containsKey(service)) {
      throw KernelException.of(Subject.DEST, op, Errno.ESRCH, null);
    }
    for (Svc s : services.values()) {
      if (service == null || s.service.key().equals(service)) {
        s.stats = IpvsStats.ZERO;
        s.dests.replaceAll((k, d) -> new DestSnapshot(d.dest(), d.activeConns(), d.inactiveConns(),
            d.persistentConns(), IpvsStats.ZERO));
      }
    }
  }

  @Override
  public synchronized IpvsTimeouts timeouts() throws KernelException {
    check(Subject.OTHER, "IPVS get timeouts");
    return timeouts;
  }

  @Override
  public synchronized void setTimeouts(IpvsTimeouts t) throws KernelException {
    check(Subject.OTHER, "IPVS set timeouts");
    timeouts = new IpvsTimeouts(t.tcp() != 0 ? t.tcp() : timeouts.tcp(), t.tcpFin() != 0 ? t.tcpFin() : timeouts.tcpFin(),
        t.udp() != 0 ? t.udp() : timeouts.udp());
    log.add("--set " + timeouts.tcp() + " " + timeouts.tcpFin() + " " + timeouts.udp());
  }

  @Override
  public synchronized List<SyncDaemon> syncDaemons() throws KernelException {
    check(Subject.OTHER, "IPVS get sync daemons");
    return List.copyOf(daemons.values());
  }

  @Override
  public synchronized void startSyncDaemon(SyncDaemon d) throws KernelException {
    String op = "IPVS start " + d.role().name().toLowerCase(java.util.Locale.ROOT) + " sync daemon";
    check(Subject.OTHER, op);
    if (daemons.containsKey(d.role())) {
      throw KernelException.of(Subject.OTHER, op, Errno.EEXIST, null);
    }
    daemons.put(d.role(), d);
  }

  @Override
  public synchronized void stopSyncDaemon(SyncDaemon.Role role) throws KernelException {
    String op = "IPVS stop " + role.name().toLowerCase(java.util.Locale.ROOT) + " sync daemon";
    check(Subject.OTHER, op);
    if (daemons.remove(role) == null) {
      throw KernelException.of(Subject.OTHER, op, Errno.ESRCH, null);
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
  }

  private Svc destChecks(ServiceKey service, IpvsDest dest, IpvsOp op) throws KernelException {
    check(op);
    Svc s = services.get(service);
    if (s == null) {
      throw KernelException.of(op, Errno.ESRCH, null);
    }
    if (dest.lowerThreshold() > dest.upperThreshold()) {
      throw KernelException.of(op, Errno.ERANGE, null);
    }
    if (dest.family() != service.family() && dest.forwarding().method() != Forwarding.Method.TUNNEL) {
      throw KernelException.of(op, Errno.EINVAL, null);
    }
    return s;
  }

  private void checkModules(IpvsService service, IpvsOp op) throws KernelException {
    String pe = service.persistenceEngine();
    if (!schedulers.contains(service.scheduler().name()) || pe != null && !engines.contains(pe)) {
      throw KernelException.of(op, Errno.ENOENT, null);
    }
  }

  private void check(IpvsOp op) throws KernelException {
    if (closed) {
      throw KernelException.of(Subject.OTHER, op.operation(), Errno.EBADF, "the IPVS handle is closed");
    }
    if (failNextErrno != 0) {
      int e = failNextErrno;
      failNextErrno = 0;
      throw KernelException.of(op, e, "injected by FakeIpvs.failNext");
    }
  }

  private void check(Subject subject, String op) throws KernelException {
    if (closed) {
      throw KernelException.of(Subject.OTHER, op, Errno.EBADF, "the IPVS handle is closed");
    }
    if (failNextErrno != 0) {
      int e = failNextErrno;
      failNextErrno = 0;
      throw KernelException.of(subject, op, e, "injected by FakeIpvs.failNext");
    }
  }
}
