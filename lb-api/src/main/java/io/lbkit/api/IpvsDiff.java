package io.lbkit.api;

import io.lbkit.api.ipvs.IpvsDest;
import io.lbkit.api.ipvs.IpvsOp;
import io.lbkit.api.ipvs.IpvsService;
import io.lbkit.api.ipvs.ServiceSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The minimal set of IPVS changes from a current table to a desired one: pure, no
 * I/O. Services and destinations that exist with the right settings are adopted
 * (no change); different settings are updated in place (never delete-and-recreate,
 * which would drop connections); only a changed key means delete + add.
 */
final class IpvsDiff {
  private IpvsDiff() {}

  /** A service as the kernel holds it, with destinations by key. */
  record Table(IpvsService service, Map<RealServerKey, IpvsDest> dests) {
    static Table of(ServiceSnapshot s) {
      Map<RealServerKey, IpvsDest> d = new LinkedHashMap<>();
      for (ServiceSnapshot.DestSnapshot ds : s.dests()) {
        d.put(ds.dest().key(), ds.dest());
      }
      return new Table(s.service(), d);
    }
  }

  /**
   * The changes that turn {@code current} into {@code desired}.
   *
   * @param current the kernel's table as last known
   * @param desired the wanted table
   * @param deletable services that may be deleted when not desired (the ones this
   *     director manages); others are left alone
   */
  static List<IpvsOp> compute(Map<ServiceKey, Table> current, Map<ServiceKey, Table> desired,
      Set<ServiceKey> deletable) {
    List<IpvsOp> ops = new ArrayList<>();
    for (Table want : desired.values()) {
      ServiceKey key = want.service().key();
      Table have = current.get(key);
      if (have == null) {
        ops.add(new IpvsOp.AddService(want.service()));
        for (IpvsDest d : want.dests().values()) {
          ops.add(new IpvsOp.AddDest(key, d));
        }
        continue;
      }
      if (!have.service().equals(want.service())) {
        ops.add(new IpvsOp.UpdateService(want.service()));
      }
      for (IpvsDest d : have.dests().values()) {
        if (!want.dests().containsKey(d.key())) {
          ops.add(new IpvsOp.DeleteDest(key, d.key()));
        }
      }
      for (IpvsDest d : want.dests().values()) {
        IpvsDest h = have.dests().get(d.key());
        if (h == null) {
          ops.add(new IpvsOp.AddDest(key, d));
        } else if (!holds(h, d)) {
          ops.add(new IpvsOp.UpdateDest(key, d));
        }
      }
    }
    for (ServiceKey key : current.keySet()) {
      if (!desired.containsKey(key) && deletable.contains(key)) {
        ops.add(new IpvsOp.DeleteService(key));
      }
    }
    return ops;
  }

  /**
   * True when the kernel's destination {@code have} already is what {@code want} asks
   * for. A destination on one of the director's own addresses is held and reported with
   * Local forwarding (IP_VS_CONN_F_LOCALNODE) whatever method it was given, so an update
   * could never change its method: comparing it would issue an UpdateDest on every
   * reconcile. Its other settings (weight, thresholds) still count.
   */
  static boolean holds(IpvsDest have, IpvsDest want) {
    if (have.equals(want)) {
      return true;
    }
    return have.forwarding().method() == Forwarding.Method.LOCAL
        && new IpvsDest(have.key(), want.forwarding(), have.weight(), have.upperThreshold(), have.lowerThreshold())
            .equals(want);
  }

  /** Applies changes that succeeded to a table model. */
  static void applyTo(Map<ServiceKey, Table> model, IpvsOp op) {
    if (op instanceof IpvsOp.AddService a) {
      model.put(a.service().key(), new Table(a.service(), new LinkedHashMap<>()));
    } else if (op instanceof IpvsOp.UpdateService u) {
      Table t = model.get(u.service().key());
      model.put(u.service().key(), new Table(u.service(), t == null ? new LinkedHashMap<>() : t.dests()));
    } else if (op instanceof IpvsOp.DeleteService d) {
      model.remove(d.key());
    } else if (op instanceof IpvsOp.AddDest a) {
      Table t = model.get(a.key());
      if (t != null) {
        t.dests().put(a.dest().key(), a.dest());
      }
    } else if (op instanceof IpvsOp.UpdateDest u) {
      Table t = model.get(u.key());
      if (t != null) {
        t.dests().put(u.dest().key(), u.dest());
      }
    } else if (op instanceof IpvsOp.DeleteDest d) {
      Table t = model.get(d.key());
      if (t != null) {
        t.dests().remove(d.dest());
      }
    }
  }
}
