package io.lbkit.testing;

import io.lbkit.api.Forwarding;
import io.lbkit.api.Persistence;
import io.lbkit.api.RealServerKey;
import io.lbkit.api.Scheduler;
import io.lbkit.api.SchedulerFlag;
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
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An in-memory fake of lb-nftables' {@code NftablesIpvs}: the {@link Ipvs} port as the
 * nftables dataplane implements it (NAT and direct routing), for users' unit tests of code
 * that runs on a kernel without IPVS. Same semantics and errnos as the real adapter:
 * EEXIST, ESRCH for a missing service, ENOENT for a missing real server or an unknown
 * scheduler, EINVAL for a real server of the other address family, and EOPNOTSUPP, naming
 * the service and the reason, for what the dataplane cannot do (schedulers other than rr,
 * wrr, random, sh, dh and mh, persistence of NAT services and persistence other than per
 * client, scheduler flags but mh's mh-port and mh-fallback, one-packet scheduling, firewall-mark and all-ports services,
 * TUN forwarding, IPv6 direct routing, real servers of one service with different methods,
 * connection thresholds, weights needing more than {@value #MAX_SLOTS} slots, timeouts,
 * sync daemons). Read back as the real table reads: services in key order, real servers in
 * address order, NAT or Route, counters 0, version 0.0.0. It passes {@link
 * NftablesContract}, as {@code NftablesIpvs} does in a network namespace.
 *
 * <pre>{@code
 * FakeNftables nft = new FakeNftables();
 * Director director = Director.create(nft);
 * nft.failNext(Errno.EPERM);            // the next operation fails like an unprivileged caller
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class FakeNftables implements Ipvs {
  /** The most slots (weight / gcd of the weights, summed) one service may need, as in NftablesIpvs. */
  public static final int MAX_SLOTS = 4096;
  private static final Set<String> SCHEDULERS = Set.of("rr", "wrr", "random", "sh", "dh", "mh");
  /** mh's flags the dataplane takes. */
  private static final Set<SchedulerFlag> MH_FLAGS = Set.of(SchedulerFlag.MH_PORT, SchedulerFlag.MH_FALLBACK);
  /** mh's slots: the kernel's ip_vs_mh table size. */
  private static final int MH_SLOTS = 4093;

  private final TreeMap<ServiceKey.Inet, Svc> services = new TreeMap<>();
  private final List<String> log = new ArrayList<>();
  private int failNextErrno;
  private boolean closed;

  private record Svc(String scheduler, SortedMap<RealServerKey, Integer> weights, boolean dr,
      Persistence persistence, Set<SchedulerFlag> flags) {
    Svc(String scheduler, SortedMap<RealServerKey, Integer> weights) {
      this(scheduler, weights, false, null, Set.of());
    }
  }

  /** An empty table. */
  public FakeNftables() {}

  /** Makes the next operation (of any kind) fail with this errno. */
  public synchronized void failNext(int errno) {
    failNextErrno = errno;
  }

  /** Every change made so far, in ipvsadm syntax ({@code -A -t 192.0.2.1:80 -s rr}, {@code -C} for flush). */
  public synchronized List<String> log() {
    return List.copyOf(log);
  }

  /** nftables has no IPVS version or connection table: version 0.0.0, size 0. */
  @Override
  public synchronized IpvsInfo info() throws KernelException {
    check(Subject.OTHER, "nftables get info");
    return new IpvsInfo(0, 0);
  }

  @Override
  public synchronized List<ServiceSnapshot> services() throws KernelException {
    check(Subject.OTHER, "nftables list table inet lbkit");
    List<ServiceSnapshot> out = new ArrayList<>();
    services.forEach((k, s) -> {
      List<DestSnapshot> d = new ArrayList<>();
      Forwarding f = s.dr() ? Forwarding.DR : Forwarding.NAT;
      s.weights().forEach((r, w) -> d.add(DestSnapshot.idle(new IpvsDest(r, f, w, 0, 0))));
      out.add(new ServiceSnapshot(new IpvsService(k, Scheduler.of(s.scheduler()), s.flags(), s.persistence(), false),
          IpvsStats.ZERO, d));
    });
    return out;
  }

  @Override
  public synchronized void addService(IpvsService service) throws KernelException {
    String op = "nftables add service " + service.key() + " scheduler " + service.scheduler();
    check(Subject.SERVICE, op);
    if (service.key() instanceof ServiceKey.Inet i && services.containsKey(i)) {
      throw KernelException.of(Subject.SERVICE, op, Errno.EEXIST, null);
    }
    refuse(service, op);
    services.put((ServiceKey.Inet) service.key(), new Svc(service.scheduler().name(), new TreeMap<>(), false,
        persistence(service), Set.copyOf(service.schedulerFlags())));
    log.add(new IpvsOp.AddService(service).toString());
  }

  @Override
  public synchronized void updateService(IpvsService service) throws KernelException {
    String op = "nftables update service " + service.key() + " scheduler " + service.scheduler();
    check(Subject.SERVICE, op);
    Svc s = find(service.key(), Subject.SERVICE, op);
    refuse(service, op);
    if (persistence(service) != null && !s.dr() && !s.weights().isEmpty()) {
      throw FakeNftablesDr.natPersistence(op);
    }
    put((ServiceKey.Inet) service.key(), new Svc(service.scheduler().name(), s.weights(), s.dr(),
        persistence(service), Set.copyOf(service.schedulerFlags())), op);
    log.add(new IpvsOp.UpdateService(service).toString());
  }

  @Override
  public synchronized void deleteService(ServiceKey key) throws KernelException {
    String op = "nftables delete service " + key;
    check(Subject.SERVICE, op);
    find(key, Subject.SERVICE, op);
    services.remove((ServiceKey.Inet) key);
    log.add(new IpvsOp.DeleteService(key).toString());
  }

  @Override
  public synchronized void addDest(ServiceKey service, IpvsDest dest) throws KernelException {
    String op = "nftables add destination " + dest.key() + " weight " + dest.weight() + " to " + service;
    putDest(service, dest, true, op);
    log.add(new IpvsOp.AddDest(service, dest).toString());
  }

  @Override
  public synchronized void updateDest(ServiceKey service, IpvsDest dest) throws KernelException {
    String op = "nftables update destination " + dest.key() + " weight " + dest.weight() + " of " + service;
    putDest(service, dest, false, op);
    log.add(new IpvsOp.UpdateDest(service, dest).toString());
  }

  @Override
  public synchronized void deleteDest(ServiceKey service, RealServerKey dest) throws KernelException {
    String op = "nftables delete destination " + dest + " of " + service;
    check(Subject.DEST, op);
    Svc s = find(service, Subject.DEST, op);
    if (s.weights().remove(dest) == null) {
      throw KernelException.of(Subject.DEST, op, Errno.ENOENT, null);
    }
    log.add(new IpvsOp.DeleteDest(service, dest).toString());
  }

  @Override
  public synchronized void flush() throws KernelException {
    check(Subject.OTHER, "nftables flush table inet lbkit");
    services.clear();
    log.add("-C");
  }

  /** Counters are always 0: checks the service exists and does nothing else. */
  @Override
  public synchronized void zero(ServiceKey service) throws KernelException {
    String op = "nftables zero " + (service == null ? "all services" : service);
    check(Subject.SERVICE, op);
    if (service != null) {
      find(service, Subject.SERVICE, op);
    }
  }

  /** Refused, as NftablesIpvs refuses it: NAT connections are conntrack's. */
  @Override
  public synchronized IpvsTimeouts timeouts() throws KernelException {
    check(Subject.OTHER, "nftables get timeouts");
    throw unsupported("nftables get timeouts", "connection timeouts are conntrack's sysctls net.netfilter.nf_conntrack_*");
  }

  /** Refused, see {@link #timeouts()}. */
  @Override
  public synchronized void setTimeouts(IpvsTimeouts timeouts) throws KernelException {
    check(Subject.OTHER, "nftables set timeouts");
    throw unsupported("nftables set timeouts", "connection timeouts are conntrack's sysctls net.netfilter.nf_conntrack_*");
  }

  /** None: nftables has no IPVS sync daemon. */
  @Override
  public synchronized List<SyncDaemon> syncDaemons() throws KernelException {
    check(Subject.OTHER, "nftables get sync daemons");
    return List.of();
  }

  /** Refused: conntrack state is synchronised by conntrackd. */
  @Override
  public synchronized void startSyncDaemon(SyncDaemon daemon) throws KernelException {
    check(Subject.OTHER, "nftables start sync daemon");
    throw unsupported("nftables start sync daemon", "connection state is synchronised by conntrackd on nftables");
  }

  /** Refused, see {@link #startSyncDaemon}. */
  @Override
  public synchronized void stopSyncDaemon(SyncDaemon.Role role) throws KernelException {
    check(Subject.OTHER, "nftables stop sync daemon");
    throw unsupported("nftables stop sync daemon", "connection state is synchronised by conntrackd on nftables");
  }

  @Override
  public synchronized void close() {
    closed = true;
  }

  private Svc find(ServiceKey key, Subject subject, String op) throws KernelException {
    Svc s = key instanceof ServiceKey.Inet i ? services.get(i) : null;
    if (s == null) {
      throw KernelException.of(subject, op, Errno.ESRCH, null);
    }
    return s;
  }

  private void putDest(ServiceKey key, IpvsDest d, boolean add, String op) throws KernelException {
    check(Subject.DEST, op);
    Svc s = find(key, Subject.DEST, op);
    boolean has = s.weights().containsKey(d.key());
    if (add && has) {
      throw KernelException.of(Subject.DEST, op, Errno.EEXIST, null);
    }
    if (!add && !has) {
      throw KernelException.of(Subject.DEST, op, Errno.ENOENT, null);
    }
    if (d.family() != key.family()) {
      throw KernelException.of(Subject.DEST, op, Errno.EINVAL, "a NAT real server must be of the service's address family");
    }
    boolean dr = FakeNftablesDr.check(key, s.weights(), s.dr(), d, op);
    if (dr && s.flags().contains(SchedulerFlag.MH_PORT)) {
      throw unsupported(op, "mh-port (hashing the client's port) is not implemented for direct-routing services by "
          + "the nftables dataplane (mh hashes the client address there)");
    }
    if (!dr && s.persistence() != null) {
      throw FakeNftablesDr.natPersistence(op);
    }
    if (d.upperThreshold() != 0 || d.lowerThreshold() != 0) {
      throw unsupported(op, "connection thresholds need live connection counts, which nftables does not keep");
    }
    SortedMap<RealServerKey, Integer> w = new TreeMap<>(s.weights());
    w.put(d.key(), d.weight());
    put((ServiceKey.Inet) key, new Svc(s.scheduler(), w, dr, s.persistence(), s.flags()), op);
  }

  private void put(ServiceKey.Inet key, Svc s, String op) throws KernelException {
    long n = slots(s.scheduler(), s.weights());
    if (n > MAX_SLOTS) {
      throw unsupported(op, "the weights need " + n + " slots (their sum divided by their greatest common "
          + "divisor), more than the " + MAX_SLOTS + " the nftables dataplane allows; scale them down");
    }
    services.put(key, s);
  }

  /** rr: one slot per real server above weight 0; wrr, random, sh and dh: weight / gcd each; mh: 4093. */
  private static long slots(String scheduler, SortedMap<RealServerKey, Integer> weights) {
    if (scheduler.equals("mh")) {
      return weights.values().stream().anyMatch(w -> w > 0) ? MH_SLOTS : 0;
    }
    int g = 0;
    for (int w : weights.values()) {
      g = w > 0 ? java.math.BigInteger.valueOf(g).gcd(java.math.BigInteger.valueOf(w)).intValue() : g;
    }
    long sum = 0;
    for (int w : weights.values()) {
      sum += w <= 0 ? 0 : scheduler.equals("rr") ? 1 : w / g;
    }
    return sum;
  }

  private static void refuse(IpvsService s, String op) throws KernelException {
    if (!(s.key() instanceof ServiceKey.Inet i)) {
      throw unsupported(op, "firewall-mark services are not implemented by the nftables dataplane yet");
    }
    String sched = s.scheduler().name();
    if (!SCHEDULERS.contains(sched)) {
      if (!s.scheduler().isKnown()) {
        throw KernelException.of(Subject.SERVICE, op, Errno.ENOENT,
            "no scheduler \"" + sched + "\" in the nftables dataplane (it has rr, wrr, random, sh, dh and mh)");
      }
      String why = switch (sched) {
        case "lc", "wlc", "sed", "nq", "lblc", "lblcr", "ovf", "twos" ->
            "needs live connection counts, which nftables does not keep";
        default -> "is not implemented by the nftables dataplane yet";
      };
      throw unsupported(op, "scheduler " + sched + " " + why + "; the nftables dataplane has rr, wrr, random, sh, dh "
          + "and mh");
    }
    if (s.persistence() != null) {
      FakeNftablesDr.persistence(s, op);
    }
    boolean mhFlags = sched.equals("mh") && MH_FLAGS.containsAll(s.schedulerFlags());
    if (s.onePacket() || !s.schedulerFlags().isEmpty() && !mhFlags) {
      throw unsupported(op, "one-packet scheduling and scheduler flags (but mh's mh-port and mh-fallback) are not "
          + "implemented by the nftables dataplane");
    }
    if (i.port() == 0) {
      throw unsupported(op, "all-ports (port 0) services are not implemented by the nftables dataplane");
    }
  }

  /** Per-client persistence as the real table reads it back (the timeout only), or null. */
  private static Persistence persistence(IpvsService s) {
    return s.persistence() == null ? null : Persistence.of(s.persistence().timeoutSeconds());
  }

  private static KernelException unsupported(String op, String reason) {
    return KernelException.of(Subject.OTHER, op, Errno.EOPNOTSUPP, reason);
  }

  private void check(Subject subject, String op) throws KernelException {
    if (closed) {
      throw KernelException.of(Subject.OTHER, op, Errno.EBADF, "the nftables handle is closed");
    }
    if (failNextErrno != 0) {
      int e = failNextErrno;
      failNextErrno = 0;
      throw KernelException.of(subject, op, e, "injected by FakeNftables.failNext");
    }
  }
}
