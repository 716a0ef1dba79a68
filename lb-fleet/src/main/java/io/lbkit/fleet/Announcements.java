package io.lbkit.fleet;

import io.lbkit.api.LoadBalancerStatus;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.ServiceView;
import io.lbkit.api.net.Inet;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Which VIPs a director can serve, and the announcer kept in step (on the director's thread). */
final class Announcements {
  private static final Logger LOG = LoggerFactory.getLogger(Announcements.class);
  private final String name;
  private final VipAnnouncer announcer;
  private Set<InetAddress> announced = Set.of();
  private boolean failed;

  Announcements(String name, VipAnnouncer announcer) {
    this.name = name;
    this.announcer = announcer;
  }

  /**
   * The VIPs to announce: those with at least one real server up, only while the dataplane holds the newest valid
   * revision. Fwmark services have no address and are not announced. Returns them as text.
   */
  List<String> update(LoadBalancerStatus status, boolean holdsNewest) {
    Set<InetAddress> want = new java.util.HashSet<>();
    if (holdsNewest) {
      for (ServiceView s : status.services()) {
        if (s.key() instanceof ServiceKey.Inet in && s.reals().stream().anyMatch(ServiceView.RealView::up)) {
          want.add(in.address());
        }
      }
    }
    set(want);
    return text(announced);
  }

  void withdrawAll() {
    set(Set.of());
    try {
      announcer.close();
    } catch (IOException e) {
      LOG.warn("{}: closing the announcer: {}", name, e.getMessage());
    }
  }

  private void set(Set<InetAddress> want) {
    if (want.equals(announced) && !failed) {
      return;
    }
    try {
      announcer.announce(Set.copyOf(want));
      if (!want.equals(announced)) {
        LOG.info("{}: announcing {}", name, text(want));
      }
      announced = Set.copyOf(want);
      failed = false;
    } catch (IOException e) {
      failed = true;
      LOG.warn("{}: announcing {} failed (retried at the next change or probe): {}", name, text(want),
          e.getMessage());
    }
  }

  private static List<String> text(Set<InetAddress> a) {
    TreeSet<String> t = new TreeSet<>();
    a.forEach(x -> t.add(Inet.format(x)));
    return List.copyOf(t);
  }

  /** Each real server as the checks see it. */
  static Map<String, String> health(LoadBalancerStatus status) {
    Map<String, String> m = new TreeMap<>();
    for (ServiceView s : status.services()) {
      for (ServiceView.RealView r : s.reals()) {
        m.put(s.key() + " " + r.key(), r.up() ? "up" : "down: " + r.reason());
      }
    }
    return m;
  }
}
