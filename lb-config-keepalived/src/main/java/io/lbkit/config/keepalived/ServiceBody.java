package io.lbkit.config.keepalived;

import io.lbkit.api.Forwarding;
import io.lbkit.api.Persistence;
import io.lbkit.api.RealServer;
import io.lbkit.api.RealServerKey;
import io.lbkit.api.Scheduler;
import io.lbkit.api.SchedulerFlag;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.VirtualService;
import io.lbkit.api.check.CheckSpec;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The body of one virtual_server block applied to one key. */
final class ServiceBody {
  static final long MAX_PERSISTENCE = 2_678_400L;
  private final Values v;
  private final Model m;

  ServiceBody(Values v, Model m) {
    this.v = v;
    this.m = m;
  }

  /** The service, or null if the body is too broken; reports only if {@code report}. */
  VirtualService build(ServiceKey key, Node b, boolean report) {
    Values vals = report ? v : new Values(new Diags());
    Diags d = vals.diags();
    Scheduler sched = Scheduler.WLC;
    List<SchedulerFlag> flags = new ArrayList<>();
    Forwarding fwd = Forwarding.NAT;
    Integer persistTimeout = null;
    int granularity = 128;
    String engine = null;
    boolean ops = false;
    Node sorry = null;
    Forwarding sorryFwd = null;
    boolean sorryInhibit = false;
    int quorum = 1;
    int hysteresis = 0;
    Duration delayLoop = Duration.ofSeconds(60);
    boolean alpha = false;
    boolean omega = false;
    boolean haSuspend = false;
    String quorumUp = null;
    String quorumDown = null;
    Map<RealServerKey, RealServer> reals = new LinkedHashMap<>();
    Map<RealServerKey, Node> realNodes = new LinkedHashMap<>();
    CheckMapper checks = new CheckMapper(vals, m);
    CheckDefaults vsDefaults = CheckDefaults.NONE;
    Integer vsWeight = null;
    boolean vsInhibit = false;
    List<Node> realServers = new ArrayList<>();
    boolean schedSet = false;
    boolean fwdSet = false;
    for (Node n : b.children) {
      String k = n.name();
      String dep = Keywords.DEPRECATED.get(k);
      if (dep != null && (k.equals("lb_algo") || k.equals("lb_kind"))) {
        d.warn(n.keyword, k + " is deprecated; use " + dep + " (read as " + dep + ")");
        k = dep;
      }
      switch (k) {
        case "lvs_sched" -> {
          if (vals.need(n, 1)) {
            try {
              sched = Scheduler.of(n.arg(0));
              schedSet = true;
              if (!sched.isKnown()) {
                d.warn(n.at(0), "lvs_sched '" + n.arg(0) + "' is not a scheduler mainline Linux ships; the kernel "
                    + "will refuse it unless a module provides it");
              }
            } catch (IllegalArgumentException e) {
              d.error(n.at(0), k + ": " + e.getMessage());
            }
          }
        }
        case "lvs_method" -> {
          Forwarding f = ServiceArgs.forwarding(n, vals);
          fwd = VrrpMapper.orElse(f, fwd);
          fwdSet |= f != null;
        }
        case "persistence_timeout" -> persistTimeout = vals.int32(n, 0, 1, MAX_PERSISTENCE);
        case "persistence_granularity" ->
            granularity = VrrpMapper.orElse(ServiceArgs.granularity(n, vals), granularity);
        case "persistence_engine" -> engine = vals.need(n, 1) ? n.arg(0) : null;
        case "ha_suspend" -> haSuspend = true;
        case "quorum_up" -> quorumUp = vals.need(n, 1) ? n.rest() : quorumUp;
        case "quorum_down" -> quorumDown = vals.need(n, 1) ? n.rest() : quorumDown;
        case "protocol", "ip_family" -> { }
        case "virtualhost" -> vals.need(n, 1);
        case "smtp_alert" -> vals.flag(n, 0);
        case "retry", "delay_before_retry", "connect_timeout", "warmup" -> vsDefaults = vsDefaults.read(n, vals);
        case "weight" -> vsWeight = VrrpMapper.orElse(ServiceArgs.weight(n, vals, 1), vsWeight);
        case "inhibit_on_failure" -> {
          vsInhibit = true;
          ServiceArgs.ignoredArgument(n, d);
        }
        case "ops" -> ops = true;
        case "sorry_server" -> sorry = n;
        case "sorry_server_inhibit" -> sorryInhibit = true;
        case "sorry_server_lvs_method" -> sorryFwd = ServiceArgs.forwarding(n, vals);
        case "quorum" -> quorum = VrrpMapper.orElse(vals.int32(n, 0, 1, Integer.MAX_VALUE), quorum);
        case "hysteresis" -> hysteresis = VrrpMapper.orElse(vals.int32(n, 0, 0, Integer.MAX_VALUE), hysteresis);
        case "delay_loop" -> delayLoop = VrrpMapper.orElse(vals.timer(n, 0, 1, null), delayLoop);
        case "alpha" -> {
          alpha = true;
          ServiceArgs.ignoredArgument(n, d);
        }
        case "omega" -> {
          omega = true;
          ServiceArgs.ignoredArgument(n, d);
        }
        case "sh-port", "sh-fallback", "mh-port", "mh-fallback", "flag-1", "flag-2", "flag-3" ->
            flags.add(SchedulerFlag.ofLabel(k));
        case "hashed" -> flags.add(SchedulerFlag.FLAG_1);
        case "real_server" -> realServers.add(n);
        default -> Mapper.unknown(d, n, "virtual_server", Keywords.LVS);
      }
    }
    // keepalived takes a virtual_server's checker timing, weight and inhibit_on_failure as its real servers'
    // defaults wherever they stand in the block, so the real servers are read last
    for (Node n : realServers) {
      RealServer r = real(n, key, vals, checks, vsDefaults, vsWeight, vsInhibit);
      if (r != null && key instanceof ServiceKey.Inet && io.lbkit.api.Family.of(r.address()) != key.family()
          && r.forwarding().orElse(fwd).method() != Forwarding.Method.TUNNEL) {
        d.error(n.keyword, "real_server " + r.key() + " is " + io.lbkit.api.Family.of(r.address()) + " but "
            + key + " is " + key.family() + ": mixed families need TUN forwarding (keepalived: \"Address family of "
            + "virtual server and real server don't match - skipping real server\")");
        continue;
      }
      if (r != null) {
        Node first = realNodes.get(r.key());
        if (first != null) {
          d.warn(n.keyword, "real_server " + r.key() + " is listed twice in this virtual_server (first at line "
              + first.keyword.line() + "); only the first is used");
        } else {
          reals.put(r.key(), r);
          realNodes.put(r.key(), n);
        }
      }
    }
    if (!realServers.isEmpty() && reals.isEmpty()) {
      d.warn(b.keyword, "virtual_server " + key + " has no real_server left (each is skipped): keepalived ignores "
          + "it (\"has no real servers - ignoring\")");
    }
    // keepalived reports both (without a line) and carries on with its defaults
    if (!schedSet) {
      d.warn(b.keyword, "virtual_server " + key + " has no lvs_sched: keepalived warns and uses wlc");
    }
    if (!fwdSet && (reals.values().stream().anyMatch(r -> r.forwarding().isEmpty())
        || (sorry != null && sorryFwd == null))) {
      d.warn(b.keyword, "virtual_server " + key + " has no lvs_method for a real server without one: keepalived warns "
          + "and uses NAT");
    }
    try {
      VirtualService vs = VirtualService.of(key).scheduler(sched).forwarding(fwd);
      for (SchedulerFlag f : flags) {
        if (f.appliesTo(sched)) {
          vs = vs.flags(f);
        } else {
          d.warn(b.keyword, "scheduler flag " + f.label() + " does not apply to lvs_sched " + sched + "; ignored");
        }
      }
      if (persistTimeout != null || granularity != 128 || engine != null) {
        Persistence p = Persistence.of(persistTimeout != null ? persistTimeout : Persistence.DEFAULT_TIMEOUT)
            .withGranularity(granularity);
        vs = vs.persistent(engine != null ? p.withEngine(engine) : p);
      }
      if (ops) {
        vs = vs.onePacket();
      }
      for (RealServer r : reals.values()) {
        vs = vs.add(portFor(r, key, vs.forwardingOf(r), realNodes.get(r.key()), d));
      }
      if (sorry != null) {
        RealServer s = sorryServer(sorry, key, vals);
        if (s != null) {
          s = sorryFwd != null ? s.forwarding(sorryFwd) : s;
          vs = vs.sorryServer(portFor(s, key, vs.forwardingOf(s), sorry, d)).sorryServerInhibit(sorryInhibit);
          if (report) {
            m.sorryServers.add(sorry);
          }
          if (key instanceof ServiceKey.Inet i && i.address().equals(s.address())) {
            d.warn(sorry.keyword, "sorry_server " + sorry.rest() + " is the service's own VIP " + key
                + ": IPVS would forward to itself (keepalived accepts this silently)");
          }
        }
      }
      if (hysteresis >= quorum) {
        d.error(b.keyword, "hysteresis " + hysteresis + " must be below quorum " + quorum);
        hysteresis = 0;
      }
      // each setter copies the service: called only where the value is not the service's already
      vs = quorum != vs.quorum() || hysteresis != vs.hysteresis() ? vs.quorum(quorum, hysteresis) : vs;
      vs = delayLoop.equals(vs.delayLoop()) ? vs : vs.delayLoop(delayLoop);
      vs = alpha != vs.isAlpha() ? vs.alpha(alpha) : vs;
      vs = omega != vs.isOmega() ? vs.omega(omega) : vs;
      vs = quorumUp != null || vs.quorumUpCommand().isPresent() ? vs.quorumUpCommand(quorumUp) : vs;
      vs = quorumDown != null || vs.quorumDownCommand().isPresent() ? vs.quorumDownCommand(quorumDown) : vs;
      return haSuspend != vs.isHaSuspend() ? vs.haSuspend(haSuspend) : vs;
    } catch (IllegalArgumentException | IllegalStateException e) {
      d.error(b.keyword, "virtual_server " + key + ": " + e.getMessage());
      return null;
    }
  }

  /**
   * keepalived's rule: with DR or TUN the kernel cannot change the port, so a real
   * server's port is reset to the service's (keepalived warns without a line number).
   */
  private static RealServer portFor(RealServer r, ServiceKey key, Forwarding f, Node at, Diags d) {
    if (!(key instanceof ServiceKey.Inet i) || i.port() == 0 || r.port() == i.port()
        || (f.method() != Forwarding.Method.DROUTE && f.method() != Forwarding.Method.TUNNEL)) {
      return r;
    }
    d.warn(at.keyword, at.name() + " port " + r.port() + " differs from the virtual_server port " + i.port() + ": with "
        + (f.method() == Forwarding.Method.DROUTE ? "DR" : "TUN") + " the port cannot change, so keepalived uses "
        + i.port());
    RealServer out = RealServer.of(r.address(), i.port()).weight(r.weight())
        .thresholds(r.upperThreshold(), r.lowerThreshold()).inhibitOnFailure(r.isInhibitOnFailure()).checks(r.checks())
        .notifyUpCommand(r.notifyUpCommand().orElse(null)).notifyDownCommand(r.notifyDownCommand().orElse(null));
    return r.forwarding().isPresent() ? out.forwarding(r.forwarding().get()) : out;
  }

  /**
   * The checks as an immutable list: the one the real server before got if it holds the same
   * instances (CheckMapper shares equal checks), so that equal real servers share one list.
   */
  private List<CheckSpec> sharedChecks(List<CheckSpec> specs) {
    List<CheckSpec> last = m.lastChecks;
    if (last != null && last.size() == specs.size()) {
      boolean same = true;
      for (int i = 0; i < specs.size() && same; i++) {
        same = last.get(i) == specs.get(i);
      }
      if (same) {
        return last;
      }
    }
    m.lastChecks = List.copyOf(specs);
    return m.lastChecks;
  }

  private RealServer sorryServer(Node n, ServiceKey key, Values v) {
    InetAddress a = v.address(n, 0);
    Integer port = n.argc() > 1 ? v.port(n, 1) : Integer.valueOf(defaultPort(key));
    return a == null || port == null ? null : RealServer.of(a, port);
  }

  static int defaultPort(ServiceKey key) {
    return key instanceof ServiceKey.Inet i ? i.port() : 0;
  }

  private RealServer real(Node n, ServiceKey key, Values v, CheckMapper checks, CheckDefaults vsDefaults,
      Integer vsWeight, boolean vsInhibit) {
    InetAddress a = v.address(n, 0);
    Integer port = n.argc() > 1 ? v.port(n, 1) : Integer.valueOf(defaultPort(key));
    if (a == null || port == null) {
      return null;
    }
    RealServer r = RealServer.of(a, port);
    r = vsWeight != null ? r.weight(vsWeight) : r;
    r = vsInhibit ? r.inhibitOnFailure() : r;
    long upper = 0;
    long lower = 0;
    List<CheckSpec> specs = new ArrayList<>();
    CheckDefaults own = CheckDefaults.NONE;
    for (Node c : n.isBlock() ? n.children : List.<Node>of()) {
      switch (c.name()) {
        case "retry", "delay_before_retry", "connect_timeout", "warmup", "delay_loop" -> own = own.read(c, v);
        default -> { }
      }
    }
    CheckDefaults inherited = own.over(vsDefaults);
    if (n.isBlock()) {
      for (Node c : n.children) {
        switch (c.name()) {
          case "weight" -> {
            Integer w = ServiceArgs.weight(c, v, 0);
            r = w != null ? r.weight(w) : r;
          }
          case "inhibit_on_failure" -> {
            Boolean on = v.flag(c, 0);
            r = on == null ? r : r.inhibitOnFailure(on);
          }
          case "lvs_method" -> {
            Forwarding f = ServiceArgs.forwarding(c, v);
            r = f != null ? r.forwarding(f) : r;
          }
          case "uthreshold" -> upper = VrrpMapper.orElse(v.decimal(c, 0, 0, 0xffffffffL), upper);
          case "lthreshold" -> lower = VrrpMapper.orElse(v.decimal(c, 0, 0, 0xffffffffL), lower);
          case "notify_up" -> r = v.need(c, 1) ? r.notifyUpCommand(c.rest()) : r;
          case "notify_down" -> r = v.need(c, 1) ? r.notifyDownCommand(c.rest()) : r;
          case "smtp_alert", "alpha" -> v.flag(c, 0);
          case "virtualhost" -> v.need(c, 1);
          case "retry", "delay_before_retry", "connect_timeout", "warmup", "delay_loop" -> { }
          default -> {
            CheckSpec s = checks.check(c, a, inherited);
            if (s != null) {
              specs.add(s);
            }
          }
        }
      }
    }
    try {
      // as r.thresholds(upper, lower).checks(specs), without the copies that change nothing
      r = upper != r.upperThreshold() || lower != r.lowerThreshold() ? r.thresholds(upper, lower) : r;
      return specs.isEmpty() && r.checks().isEmpty() ? r : r.checks(sharedChecks(specs));
    } catch (IllegalArgumentException e) {
      v.diags().error(n.keyword, e.getMessage());
      return r;
    }
  }
}
