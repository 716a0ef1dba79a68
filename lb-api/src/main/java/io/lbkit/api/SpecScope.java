package io.lbkit.api;

import io.lbkit.api.vrrp.VrrpInstanceSpec;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which parts of a spec a {@link LoadBalancer} runs: a part nothing would run (VRRP
 * instances without a failover, checks without health checking) is refused, unless the
 * builder opted out of it, which is then said once at INFO. Not thread-safe (the load
 * balancer calls it under its lock).
 */
final class SpecScope {
  private static final Logger LOG = LoggerFactory.getLogger(LoadBalancer.class);

  private final boolean hasFailover;
  private final boolean noFailover;
  private final boolean hasHealth;
  private final boolean noHealthChecks;
  private boolean toldVrrpIgnored;
  private boolean toldChecksIgnored;

  SpecScope(boolean hasFailover, boolean noFailover, boolean hasHealth, boolean noHealthChecks) {
    this.hasFailover = hasFailover;
    this.noFailover = noFailover;
    this.hasHealth = hasHealth;
    this.noHealthChecks = noHealthChecks;
  }

  /** @throws IllegalStateException naming the part nothing would run and the builder calls that fix it */
  void check(LoadBalancerSpec next) {
    if (!hasFailover && !(next.vrrpInstances().isEmpty() && next.syncGroups().isEmpty())) {
      String names = next.vrrpInstances().stream().map(VrrpInstanceSpec::name).toList().toString();
      if (!noFailover) {
        throw new IllegalStateException("the spec has VRRP instances " + names + " (and "
            + next.syncGroups().size() + " sync group(s)) but this LoadBalancer has no failover: give "
            + "LoadBalancer.Builder.failover(...), or withoutFailover() to ignore them");
      }
      if (!toldVrrpIgnored) {
        toldVrrpIgnored = true;
        LOG.info("VRRP instances {} ignored: the load balancer was built withoutFailover()", names);
      }
    }
    String checked = hasHealth ? null : firstChecked(next.virtualServices()); // no walk when checks run
    if (checked != null) {
      if (!noHealthChecks) {
        throw new IllegalStateException("the spec has health checks (first: " + checked + ") but this "
            + "LoadBalancer has no health checking: give LoadBalancer.Builder.healthChecking(...), or "
            + "withoutHealthChecks() to take every real server as up");
      }
      if (!toldChecksIgnored) {
        toldChecksIgnored = true;
        LOG.info("health checks not run (built withoutHealthChecks()): every real server is taken as up");
      }
    }
  }

  /**
   * The services as the Director gets them: without health checking nothing would bring
   * an alpha service's servers up, so they start up.
   */
  List<VirtualService> forDirector(List<VirtualService> services) {
    if (!noHealthChecks || services.stream().noneMatch(VirtualService::isAlpha)) {
      return services; // the same list: the Director sees the same objects and skips unchanged ones at once
    }
    return services.stream().map(v -> v.isAlpha() ? v.alpha(false) : v).toList();
  }

  /** The first real server with checks, as {@code real server R of S}, or null. */
  private static String firstChecked(List<VirtualService> services) {
    for (VirtualService v : services) {
      for (RealServer r : v.realServers()) {
        if (!r.checks().isEmpty()) {
          return "real server " + r.key() + " of " + v.key();
        }
      }
    }
    return null;
  }
}
