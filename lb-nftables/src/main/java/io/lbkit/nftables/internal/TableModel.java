package io.lbkit.nftables.internal;

import io.lbkit.api.Forwarding;
import io.lbkit.api.Persistence;
import io.lbkit.api.RealServerKey;
import io.lbkit.api.Scheduler;
import io.lbkit.api.SchedulerFlag;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.ipvs.IpvsDest;
import io.lbkit.api.ipvs.IpvsOp;
import io.lbkit.api.ipvs.IpvsService;
import io.lbkit.api.ipvs.IpvsStats;
import io.lbkit.api.ipvs.ServiceSnapshot;
import io.lbkit.api.kernel.Errno;
import io.lbkit.api.kernel.KernelException;
import io.lbkit.api.kernel.KernelException.Subject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * lbkit's table as IPVS rows: each service's scheduler and its real servers' weights. It
 * applies {@link IpvsOp}s the way the kernel's IPVS would (EEXIST, ESRCH, ENOENT, EINVAL)
 * and refuses, with EOPNOTSUPP and the reason, what the nftables dataplane cannot do (yet):
 * schedulers other than rr, wrr, random, sh, dh and mh, persistence of NAT services, one-packet scheduling,
 * scheduler flags (but mh's), firewall-mark services, forwarding other than NAT and (IPv4) DR, connection thresholds, and
 * weights needing more than {@link SlotLayout#MAX_SLOTS} slots. Pure code. Internal.
 */
public final class TableModel {
  /** The schedulers the nftables dataplane has. */
  public static final Set<String> SCHEDULERS = Set.of("rr", "wrr", "random", "sh", "dh", "mh");

  /**
   * One service.
   *
   * @param scheduler its scheduler's name ({@code none} when its rule is not what lbkit wrote)
   * @param weights its real servers' weights
   * @param dev for direct routing, the interface its real servers are reached through; null for NAT
   * @param persistence the persistence timeout in seconds, 0 for none (direct routing only)
   * @param flags its scheduler flags (mh's mh-port and mh-fallback; none for the others)
   */
  public record Svc(String scheduler, SortedMap<RealServerKey, Integer> weights, String dev, int persistence,
      Set<SchedulerFlag> flags) {
    /** Copies the flags. */
    public Svc {
      flags = Set.copyOf(flags);
    }

    /** A NAT service without scheduler flags. */
    public Svc(String scheduler, SortedMap<RealServerKey, Integer> weights) {
      this(scheduler, weights, null, 0, Set.of());
    }

    /** A NAT service with these scheduler flags. */
    public Svc(String scheduler, SortedMap<RealServerKey, Integer> weights, Set<SchedulerFlag> flags) {
      this(scheduler, weights, null, 0, flags);
    }

    /** A service without persistence or scheduler flags. */
    public Svc(String scheduler, SortedMap<RealServerKey, Integer> weights, String dev) {
      this(scheduler, weights, dev, 0, Set.of());
    }

    /** A service without scheduler flags. */
    public Svc(String scheduler, SortedMap<RealServerKey, Integer> weights, String dev, int persistence) {
      this(scheduler, weights, dev, persistence, Set.of());
    }

    /** True for a direct-routing service (in table {@code netdev lbkit}, forwarding out of {@link #dev()}). */
    public boolean isDr() {
      return dev != null;
    }

    /** The same with other weights (same scheduler and forwarding). */
    public Svc withWeights(SortedMap<RealServerKey, Integer> w) {
      return new Svc(scheduler, w, dev, persistence, flags);
    }

    /** The slots its rule and slots map hold. */
    public List<RealServerKey> slots() {
      return SlotLayout.of(Scheduler.of(scheduler.equals("none") ? "rr" : scheduler), weights);
    }
  }

  /** The services; in an overlay only the changed ones, a removed one mapped to null. */
  private final Map<ServiceKey.Inet, Svc> services;
  /** What an overlay reads through to; null for a model of its own. */
  private final TableModel base;

  /** A model of these services (copied). */
  public TableModel(Map<ServiceKey.Inet, Svc> services) {
    this.services = new LinkedHashMap<>();
    this.base = null;
    services.forEach((k, v) -> this.services.put(k, v.withWeights(new TreeMap<>(v.weights()))));
  }

  private TableModel(TableModel base) {
    this.services = new LinkedHashMap<>();
    this.base = base;
  }

  /** A copy to change. */
  public TableModel copy() {
    return new TableModel(services());
  }

  /**
   * A view to change whose changes stay in the view while it reads the rest through to this
   * model: O(changes), not O(table), so one change to a table of 10,000 services copies
   * nothing (this model must not change while the view is used).
   */
  public TableModel overlay() {
    return new TableModel(this);
  }

  /** The service, or null. */
  public Svc get(ServiceKey.Inet key) {
    if (base == null || !services.containsKey(key)) {
      return base == null ? services.get(key) : base.get(key);
    }
    return services.get(key);
  }

  /** Sets (null: removes) one service in place, e.g. once the kernel has committed it. */
  public void put(ServiceKey.Inet key, Svc s) {
    if (base != null) {
      services.put(key, s);
    } else if (s == null) {
      services.remove(key);
    } else {
      services.put(key, s);
    }
  }

  /** Every service. */
  public Map<ServiceKey.Inet, Svc> services() {
    if (base == null) {
      return Collections.unmodifiableMap(services);
    }
    Map<ServiceKey.Inet, Svc> all = new LinkedHashMap<>(base.services());
    services.forEach((k, v) -> {
      if (v == null) {
        all.remove(k);
      } else {
        all.put(k, v);
      }
    });
    return Collections.unmodifiableMap(all);
  }

  /** The table as a dump of IPVS rows (NAT destinations, zero counters), services and real servers sorted. */
  public List<ServiceSnapshot> snapshot() {
    List<ServiceSnapshot> out = new ArrayList<>();
    new TreeMap<ServiceKey, Svc>(services()).forEach((k, s) -> {
      List<ServiceSnapshot.DestSnapshot> d = new ArrayList<>();
      Forwarding f = s.isDr() ? Forwarding.DR : Forwarding.NAT;
      s.weights().forEach((r, w) -> d.add(ServiceSnapshot.DestSnapshot.idle(new IpvsDest(r, f, w, 0, 0))));
      IpvsService svc = new IpvsService(k, Scheduler.of(s.scheduler()), s.flags(),
          s.persistence() == 0 ? null : Persistence.of(s.persistence()), false);
      out.add(new ServiceSnapshot(svc, IpvsStats.ZERO, d));
    });
    return out;
  }

  /**
   * Applies one change.
   *
   * @return null when applied, else the error (the model is then unchanged)
   */
  public KernelException apply(IpvsOp op) {
    return apply(op, null);
  }

  /**
   * Applies one change; {@code drDevice} is the interface a direct-routing real server of
   * the change is reached through (null for other changes).
   *
   * @return null when applied, else the error (the model is then unchanged)
   */
  public KernelException apply(IpvsOp op, String drDevice) {
    String name = "nftables " + describe(op);
    if (op instanceof IpvsOp.AddService a) {
      ServiceKey k = a.service().key();
      if (k instanceof ServiceKey.Inet i && get(i) != null) {
        return KernelException.of(Subject.SERVICE, name, Errno.EEXIST, null);
      }
      KernelException e = refuse(a.service(), name);
      if (e == null) {
        put((ServiceKey.Inet) k, new Svc(a.service().scheduler().name(), new TreeMap<>(), null,
            persistence(a.service()), a.service().schedulerFlags()));
      }
      return e;
    } else if (op instanceof IpvsOp.UpdateService u) {
      Svc s = find(u.service().key());
      if (s == null) {
        return KernelException.of(Subject.SERVICE, name, Errno.ESRCH, null);
      }
      KernelException e = refuse(u.service(), name);
      if (e == null && persistence(u.service()) != 0 && !s.isDr() && !s.weights().isEmpty()) {
        e = DrRules.natPersistence(name);
      }
      return e != null ? e : put((ServiceKey.Inet) u.service().key(), new Svc(u.service().scheduler().name(),
          s.weights(), s.dev(), persistence(u.service()), u.service().schedulerFlags()), name);
    } else if (op instanceof IpvsOp.DeleteService d) {
      if (find(d.key()) == null) {
        return KernelException.of(Subject.SERVICE, name, Errno.ESRCH, null);
      }
      put((ServiceKey.Inet) d.key(), null);
      return null;
    } else if (op instanceof IpvsOp.AddDest a) {
      return putDest(a.key(), a.dest(), true, name, drDevice);
    } else if (op instanceof IpvsOp.UpdateDest u) {
      return putDest(u.key(), u.dest(), false, name, drDevice);
    } else if (op instanceof IpvsOp.DeleteDest d) {
      Svc s = find(d.key());
      if (s == null) {
        return KernelException.of(Subject.DEST, name, Errno.ESRCH, null);
      }
      if (!s.weights().containsKey(d.dest())) {
        return KernelException.of(Subject.DEST, name, Errno.ENOENT, null);
      }
      SortedMap<RealServerKey, Integer> w = new TreeMap<>(s.weights());
      w.remove(d.dest());
      put((ServiceKey.Inet) d.key(), s.withWeights(w));
      return null;
    }
    return KernelException.of(Subject.OTHER, name, Errno.EOPNOTSUPP, "unknown change");
  }

  private Svc find(ServiceKey k) {
    return k instanceof ServiceKey.Inet i ? get(i) : null;
  }

  private KernelException putDest(ServiceKey key, IpvsDest d, boolean add, String name, String drDevice) {
    Svc s = find(key);
    if (s == null) {
      return KernelException.of(Subject.DEST, name, Errno.ESRCH, null);
    }
    boolean has = s.weights().containsKey(d.key());
    if (add && has) {
      return KernelException.of(Subject.DEST, name, Errno.EEXIST, null);
    }
    if (!add && !has) {
      return KernelException.of(Subject.DEST, name, Errno.ENOENT, null);
    }
    if (d.family() != key.family()) {
      return KernelException.of(Subject.DEST, name, Errno.EINVAL,
          "a NAT real server must be of the service's address family");
    }
    String dev = null;
    if (d.forwarding().method() == Forwarding.Method.DROUTE) {
      KernelException e = DrRules.check(key, s, d, drDevice, name);
      if (e != null) {
        return e;
      }
      dev = drDevice;
    } else if (d.forwarding().method() != Forwarding.Method.MASQ) {
      return unsupported(name, d.forwarding().method().ipvsadmName() + " forwarding is not implemented by the "
          + "nftables dataplane; it has NAT (masquerading) and direct routing");
    } else if (s.persistence() != 0) {
      return DrRules.natPersistence(name);
    } else if (s.isDr() && DrRules.others(s, d)) {
      return unsupported(name, "a service's real servers must share one forwarding method on the nftables dataplane"
          + " (this service's others are direct routing)");
    }
    if (d.upperThreshold() != 0 || d.lowerThreshold() != 0) {
      return unsupported(name, "connection thresholds need live connection counts, which nftables does not keep");
    }
    SortedMap<RealServerKey, Integer> w = new TreeMap<>(s.weights());
    w.put(d.key(), d.weight());
    return put((ServiceKey.Inet) key, new Svc(s.scheduler(), w, dev, s.persistence(), s.flags()), name);
  }

  private KernelException put(ServiceKey.Inet key, Svc s, String name) {
    long n = SlotLayout.size(Scheduler.of(s.scheduler()), s.weights());
    if (n > SlotLayout.MAX_SLOTS) {
      return unsupported(name, "the weights need " + n + " slots (their sum divided by their greatest common "
          + "divisor), more than the " + SlotLayout.MAX_SLOTS + " the nftables dataplane allows; scale them down");
    }
    put(key, s);
    return null;
  }

  /** Why the nftables dataplane cannot hold {@code s}, or null when it can. */
  static KernelException refuse(IpvsService s, String name) {
    if (!(s.key() instanceof ServiceKey.Inet i)) {
      return unsupported(name, "firewall-mark services are not implemented by the nftables dataplane yet");
    }
    String sched = s.scheduler().name();
    if (!SCHEDULERS.contains(sched)) {
      if (!s.scheduler().isKnown()) {
        return KernelException.of(Subject.SERVICE, name, Errno.ENOENT,
            "no scheduler \"" + sched + "\" in the nftables dataplane (it has rr, wrr, random, sh, dh and mh)");
      }
      return unsupported(name, "scheduler " + sched + " " + why(sched) + "; the nftables dataplane has rr, wrr, "
          + "random, sh, dh and mh");
    }
    if (s.persistence() != null) {
      KernelException e = DrRules.persistence(s, name);
      if (e != null) {
        return e;
      }
    }
    boolean mhFlags = sched.equals("mh") && MH_FLAGS.containsAll(s.schedulerFlags());
    if (s.onePacket() || !s.schedulerFlags().isEmpty() && !mhFlags) {
      return unsupported(name, "one-packet scheduling and scheduler flags (but mh's mh-port and mh-fallback) are "
          + "not implemented by the nftables dataplane");
    }
    if (i.port() == 0) {
      return unsupported(name, "all-ports (port 0) services are not implemented by the nftables dataplane");
    }
    return null;
  }

  /** The flags mh takes: mh-port is hashed, mh-fallback is what the slots do anyway (see the package doc). */
  static final Set<SchedulerFlag> MH_FLAGS = Set.of(SchedulerFlag.MH_PORT, SchedulerFlag.MH_FALLBACK);

  /** The service's persistence timeout in seconds, 0 for none. */
  static int persistence(IpvsService s) {
    return s.persistence() == null ? 0 : s.persistence().timeoutSeconds();
  }

  private static String why(String sched) {
    return switch (sched) {
      case "lc", "wlc", "sed", "nq", "lblc", "lblcr", "ovf", "twos" ->
          "needs live connection counts, which nftables does not keep";
      default -> "is not implemented by the nftables dataplane yet";
    };
  }

  private static KernelException unsupported(String name, String reason) {
    return KernelException.of(Subject.OTHER, name, Errno.EOPNOTSUPP, reason);
  }

  /** {@code add service TCP 192.0.2.1:80}, {@code update destination 198.51.100.1:80 of TCP 192.0.2.1:80}... */
  public static String describe(IpvsOp op) {
    if (op instanceof IpvsOp.AddService a) {
      return "add service " + a.service().key() + " scheduler " + a.service().scheduler();
    } else if (op instanceof IpvsOp.UpdateService u) {
      return "update service " + u.service().key() + " scheduler " + u.service().scheduler();
    } else if (op instanceof IpvsOp.DeleteService d) {
      return "delete service " + d.key();
    } else if (op instanceof IpvsOp.AddDest a) {
      return "add destination " + a.dest().key() + " weight " + a.dest().weight() + " to " + a.key();
    } else if (op instanceof IpvsOp.UpdateDest u) {
      return "update destination " + u.dest().key() + " weight " + u.dest().weight() + " of " + u.key();
    } else if (op instanceof IpvsOp.DeleteDest d) {
      return "delete destination " + d.dest() + " of " + d.key();
    }
    return String.valueOf(op);
  }
}
