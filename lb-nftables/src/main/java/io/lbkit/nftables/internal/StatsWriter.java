package io.lbkit.nftables.internal;

import io.lbkit.api.RealServerKey;
import io.lbkit.api.ServiceKey;
import io.lbkit.netlink.internal.NlWriter;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Keeps the counters sets ({@link LbStats}) in step with the services: one element per
 * direction for each real server of each group of services sharing a VIP and a protocol
 * (the counters' key has no VIP port). For the services a batch changes, it adds the
 * elements of real servers new to their group and deletes those the group no longer has,
 * so a weight change touches no counter. It looks over the services in memory (no kernel
 * round trip) to find a group's other services. Pure code. Internal.
 */
public final class StatsWriter {
  private StatsWriter() {}

  /** A VIP and protocol: the services whose real servers share counters. */
  record Group(ServiceKey.Inet any) {
    static Group of(ServiceKey.Inet k) {
      return new Group((ServiceKey.Inet) ServiceKey.of(k.protocol(), k.address(), 0));
    }
  }

  /**
   * Writes the counter changes of the services {@code touched} going from {@code before} to
   * {@code after} (either may lack a service).
   *
   * @return the number of messages written
   */
  public static int write(NlWriter w, Collection<ServiceKey.Inet> touched, Map<ServiceKey.Inet, TableModel.Svc> before,
      Function<ServiceKey.Inet, TableModel.Svc> after) {
    Map<Group, ServiceKey.Inet> groups = new LinkedHashMap<>();
    for (ServiceKey.Inet k : touched) {
      groups.putIfAbsent(Group.of(k), k);
    }
    Map<Group, Set<RealServerKey>> was = new LinkedHashMap<>();
    Map<Group, Set<RealServerKey>> is = new LinkedHashMap<>();
    for (Group g : groups.keySet()) {
      was.put(g, new LinkedHashSet<>());
      is.put(g, new LinkedHashSet<>());
    }
    Set<ServiceKey.Inet> keys = new LinkedHashSet<>(before.keySet()); // one pass over the services
    keys.addAll(touched);
    for (ServiceKey.Inet k : keys) {
      Group g = Group.of(k);
      if (!groups.containsKey(g)) {
        continue;
      }
      TableModel.Svc b = before.get(k);
      if (b != null) {
        was.get(g).addAll(b.weights().keySet());
      }
      TableModel.Svc a = after.apply(k);
      if (a != null) {
        is.get(g).addAll(a.weights().keySet());
      }
    }
    int n = 0;
    for (Map.Entry<Group, ServiceKey.Inet> g : groups.entrySet()) {
      Set<RealServerKey> gone = new LinkedHashSet<>(was.get(g.getKey()));
      gone.removeAll(is.get(g.getKey()));
      Set<RealServerKey> added = new LinkedHashSet<>(is.get(g.getKey()));
      added.removeAll(was.get(g.getKey()));
      n += LbStats.delete(w, g.getValue(), gone) + LbStats.add(w, g.getValue(), added);
    }
    return n;
  }

  /**
   * The real servers of each group of services (VIP and protocol, as a key with port 0) that
   * has a service {@code only} names (null: every group): what zeroing resets.
   */
  public static Map<ServiceKey.Inet, Set<RealServerKey>> groups(Map<ServiceKey.Inet, TableModel.Svc> services,
      ServiceKey.Inet only) {
    Map<ServiceKey.Inet, Set<RealServerKey>> out = new LinkedHashMap<>();
    services.forEach((key, s) -> {
      if (only == null || Group.of(key).equals(Group.of(only))) {
        out.computeIfAbsent(Group.of(key).any(), g -> new LinkedHashSet<>()).addAll(s.weights().keySet());
      }
    });
    return out;
  }
}
