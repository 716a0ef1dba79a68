package io.lbkit.nftables.internal;

import io.lbkit.api.Forwarding;
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
 * schedulers other than rr, wrr, random, sh, dh and mh, persistence, one-packet scheduling, scheduler
 * flags (but mh's), firewall-mark services, forwarding other than NAT, connection thresholds, and
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
   * @param flags its scheduler flags (mh's mh-port and mh-fallback; none for the others)
   */
  public record Svc(String scheduler, SortedMap<RealServerKey, Integer> weights, Set<SchedulerFlag> flags) {
    /** Copies the flags. */
    public Svc {
      flags = Set.copyOf(flags);
    }

    /** A service without scheduler flags. */
    public Svc(String scheduler, SortedMap<RealServerKey, Integer> weights) {
      this(scheduler, weights, Set.of());
    }

    /** The slots its rule and slots map hold. */
    public List<RealServerKey> slots() {
      return SlotLayout.of(Scheduler.of(scheduler.equals("none") ? "rr" : scheduler), weights);
    }
  }

  private final Map<ServiceKey.Inet, Svc> services;

  /** A model of these services (copied). */
  public TableModel(Map<ServiceKey.Inet, Svc> services) {
    this.services = new LinkedHashMap<>();
    services.forEach((k, v) -> this.services.put(k, new Svc(v.scheduler(), new TreeMap<>(v.weights()), v.flags())));
  }

  /** A copy to change. */
  public TableModel copy() {
    return new TableModel(services);
  }

  /** The service, or null. */
  public Svc get(ServiceKey.Inet key) {
    return services.get(key);
  }

  /** Every service. */
  public Map<ServiceKey.Inet, Svc> services() {
    return Collections.unmodifiableMap(services);
  }

  /** The table as a dump of IPVS rows (NAT destinations, zero counters), services and real servers sorted. */
  public List<ServiceSnapshot> snapshot() {
    List<ServiceSnapshot> out = new ArrayList<>();
    new TreeMap<ServiceKey, Svc>(services).forEach((k, s) -> {
      List<ServiceSnapshot.DestSnapshot> d = new ArrayList<>();
      s.weights().forEach((r, w) -> d.add(ServiceSnapshot.DestSnapshot.idle(new IpvsDest(r, Forwarding.NAT, w, 0, 0))));
      out.add(new ServiceSnapshot(new IpvsService(k, Scheduler.of(s.scheduler()), s.flags(), null, false),
          IpvsStats.ZERO, d));
    });
    return out;
  }

  /**
   * Applies one change.
   *
   * @return null when applied, else the error (the model is then unchanged)
   */
  public KernelException apply(IpvsOp op) {
    String name = "nftables " + describe(op);
    if (op instanceof IpvsOp.AddService a) {
      ServiceKey k = a.service().key();
      if (k instanceof ServiceKey.Inet i && services.containsKey(i)) {
        return KernelException.of(Subject.SERVICE, name, Errno.EEXIST, null);
      }
      KernelException e = refuse(a.service(), name);
      if (e == null) {
        services.put((ServiceKey.Inet) k, new Svc(a.service().scheduler().name(), new TreeMap<>(),
            a.service().schedulerFlags()));
      }
      return e;
    } else if (op instanceof IpvsOp.UpdateService u) {
      Svc s = find(u.service().key());
      if (s == null) {
        return KernelException.of(Subject.SERVICE, name, Errno.ESRCH, null);
      }
      KernelException e = refuse(u.service(), name);
      return e != null ? e : put((ServiceKey.Inet) u.service().key(), new Svc(u.service().scheduler().name(),
          s.weights(), u.service().schedulerFlags()), name);
    } else if (op instanceof IpvsOp.DeleteService d) {
      if (find(d.key()) == null) {
        return KernelException.of(Subject.SERVICE, name, Errno.ESRCH, null);
      }
      services.remove((ServiceKey.Inet) d.key());
      return null;
    } else if (op instanceof IpvsOp.AddDest a) {
      return putDest(a.key(), a.dest(), true, name);
    } else if (op instanceof IpvsOp.UpdateDest u) {
      return putDest(u.key(), u.dest(), false, name);
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
      services.put((ServiceKey.Inet) d.key(), new Svc(s.scheduler(), w, s.flags()));
      return null;
    }
    return KernelException.of(Subject.OTHER, name, Errno.EOPNOTSUPP, "unknown change");
  }

  private Svc find(ServiceKey k) {
    return k instanceof ServiceKey.Inet i ? services.get(i) : null;
  }

  private KernelException putDest(ServiceKey key, IpvsDest d, boolean add, String name) {
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
    if (d.forwarding().method() != Forwarding.Method.MASQ) {
      return unsupported(name, d.forwarding().method().ipvsadmName() + " forwarding is not implemented by the "
          + "nftables dataplane yet; only NAT (masquerading) is");
    }
    if (d.upperThreshold() != 0 || d.lowerThreshold() != 0) {
      return unsupported(name, "connection thresholds need live connection counts, which nftables does not keep");
    }
    SortedMap<RealServerKey, Integer> w = new TreeMap<>(s.weights());
    w.put(d.key(), d.weight());
    return put((ServiceKey.Inet) key, new Svc(s.scheduler(), w, s.flags()), name);
  }

  private KernelException put(ServiceKey.Inet key, Svc s, String name) {
    long n = SlotLayout.size(Scheduler.of(s.scheduler()), s.weights());
    if (n > SlotLayout.MAX_SLOTS) {
      return unsupported(name, "the weights need " + n + " slots (their sum divided by their greatest common "
          + "divisor), more than the " + SlotLayout.MAX_SLOTS + " the nftables dataplane allows; scale them down");
    }
    services.put(key, s);
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
      return unsupported(name, "persistence is not implemented by the nftables dataplane yet");
    }
    boolean mhFlags = sched.equals("mh") && MH_FLAGS.containsAll(s.schedulerFlags());
    if (s.onePacket() || !s.schedulerFlags().isEmpty() && !mhFlags) {
      return unsupported(name, "one-packet scheduling and scheduler flags (but mh's mh-port and mh-fallback) are "
          + "not implemented by the nftables dataplane");
    }
    if (i.port() == 0) {
      return unsupported(name, "all-ports (port 0) services need persistence, not implemented yet");
    }
    return null;
  }

  /** The flags mh takes: mh-port is hashed, mh-fallback is what the slots do anyway (see the package doc). */
  static final Set<SchedulerFlag> MH_FLAGS = Set.of(SchedulerFlag.MH_PORT, SchedulerFlag.MH_FALLBACK);

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
