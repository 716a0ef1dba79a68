package io.lbkit.api;

import io.lbkit.api.ipvs.IpvsService;
import io.lbkit.api.net.Inet;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A virtual service: what clients connect to, how IPVS schedules them over real
 * servers, and how health results change that. Immutable; every fluent call returns
 * a new value and checks its argument at once.
 *
 * <pre>{@code
 * VirtualService web = VirtualService.tcp("192.168.0.200", 80).rr().dr()
 *     .add(RealServer.of("192.168.0.61", 80).inhibitOnFailure())
 *     .add(RealServer.of("192.168.0.62", 80).inhibitOnFailure());
 * }</pre>
 *
 * <p>Defaults are keepalived's: scheduler wlc, forwarding NAT, quorum 1, hysteresis
 * 0, delay_loop 60 s.
 */
public final class VirtualService {
  private final ServiceKey key;
  private final Scheduler scheduler;
  private final Set<SchedulerFlag> schedulerFlags;
  private final Forwarding forwarding;
  private final Persistence persistence;
  private final boolean onePacket;
  private final List<RealServer> realServers;
  private final RealServer sorryServer;
  private final boolean sorryServerInhibit;
  private final int quorum;
  private final int hysteresis;
  private final Duration delayLoop;
  private final boolean alpha;
  private final boolean omega;
  private final Hooks hooks;

  /** keepalived's quorum_up / quorum_down commands and ha_suspend, kept together (each null/false = none). */
  private record Hooks(String quorumUp, String quorumDown, boolean haSuspend) {
    static final Hooks NONE = new Hooks(null, null, false);
  }

  private VirtualService(ServiceKey key, Scheduler scheduler, Set<SchedulerFlag> schedulerFlags, Forwarding forwarding,
      Persistence persistence, boolean onePacket, List<RealServer> realServers, RealServer sorryServer,
      boolean sorryServerInhibit, int quorum, int hysteresis, Duration delayLoop, boolean alpha, boolean omega,
      Hooks hooks) {
    this.key = key;
    this.scheduler = scheduler;
    this.schedulerFlags = schedulerFlags;
    this.forwarding = forwarding;
    this.persistence = persistence;
    this.onePacket = onePacket;
    this.realServers = realServers;
    this.sorryServer = sorryServer;
    this.sorryServerInhibit = sorryServerInhibit;
    this.quorum = quorum;
    this.hysteresis = hysteresis;
    this.delayLoop = delayLoop;
    this.alpha = alpha;
    this.omega = omega;
    this.hooks = hooks;
  }

  private static VirtualService fresh(ServiceKey key) {
    return new VirtualService(key, Scheduler.WLC, Set.of(), Forwarding.NAT, null, false, List.of(), null, false, 1, 0,
        Duration.ofSeconds(60), false, false, Hooks.NONE);
  }

  private static int port(int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("virtual service port out of range 1-65535: " + port
          + " (for an all-ports service use allPorts(...))");
    }
    return port;
  }

  /** A TCP service on this VIP and port (1-65535). */
  public static VirtualService tcp(InetAddress vip, int port) {
    return fresh(ServiceKey.of(Protocol.TCP, vip, port(port)));
  }

  /** A TCP service on this VIP literal (no DNS) and port. */
  public static VirtualService tcp(String vip, int port) {
    return tcp(Inet.parse(vip), port);
  }

  /** A UDP service on this VIP and port. */
  public static VirtualService udp(InetAddress vip, int port) {
    return fresh(ServiceKey.of(Protocol.UDP, vip, port(port)));
  }

  /** A UDP service on this VIP literal and port. */
  public static VirtualService udp(String vip, int port) {
    return udp(Inet.parse(vip), port);
  }

  /** An SCTP service on this VIP and port. */
  public static VirtualService sctp(InetAddress vip, int port) {
    return fresh(ServiceKey.of(Protocol.SCTP, vip, port(port)));
  }

  /** An SCTP service on this VIP literal and port. */
  public static VirtualService sctp(String vip, int port) {
    return sctp(Inet.parse(vip), port);
  }

  /** An IPv4 firewall-mark service. */
  public static VirtualService fwmark(int mark) {
    return fresh(ServiceKey.fwmark(mark, Family.INET));
  }

  /** A firewall-mark service of this family. */
  public static VirtualService fwmark(int mark, Family family) {
    return fresh(ServiceKey.fwmark(mark, family));
  }

  /**
   * A service on every port of a VIP (port 0), which IPVS allows only with
   * persistence: a client keeps its real server across all ports.
   */
  public static VirtualService allPorts(Protocol protocol, InetAddress vip, Persistence persistence) {
    return fresh(ServiceKey.of(protocol, vip, 0)).persistent(persistence);
  }

  /** A service with this key and keepalived's defaults. */
  public static VirtualService of(ServiceKey key) {
    VirtualService v = fresh(key);
    if (key instanceof ServiceKey.Inet i && i.port() == 0) {
      return v.persistent(Persistence.of(Persistence.DEFAULT_TIMEOUT));
    }
    return v;
  }

  private VirtualService with(Scheduler s, Set<SchedulerFlag> f, Forwarding fw, Persistence p, boolean ops,
      List<RealServer> reals, RealServer sorry, boolean sorryInhibit, int q, int h, Duration dl, boolean a, boolean o) {
    return new VirtualService(key, s, f, fw, p, ops, reals, sorry, sorryInhibit, q, h, dl, a, o, hooks);
  }

  private VirtualService with(Hooks h) {
    return new VirtualService(key, scheduler, schedulerFlags, forwarding, persistence, onePacket, realServers,
        sorryServer, sorryServerInhibit, quorum, hysteresis, delayLoop, alpha, omega, h);
  }

  /**
   * With a command run when the live weight rises to the quorum (keepalived's
   * {@code quorum_up}); null for none.
   *
   * @throws IllegalArgumentException if the command is blank
   */
  public VirtualService quorumUpCommand(String command) {
    return with(new Hooks(command(command, "quorum_up"), hooks.quorumDown(), hooks.haSuspend()));
  }

  /**
   * With a command run when the live weight falls below the quorum (keepalived's
   * {@code quorum_down}); null for none.
   *
   * @throws IllegalArgumentException if the command is blank
   */
  public VirtualService quorumDownCommand(String command) {
    return with(new Hooks(hooks.quorumUp(), command(command, "quorum_down"), hooks.haSuspend()));
  }

  /**
   * keepalived's {@code ha_suspend}: health checks of this service run only while this
   * director holds the service's VIP.
   */
  public VirtualService haSuspend(boolean suspend) {
    return with(new Hooks(hooks.quorumUp(), hooks.quorumDown(), suspend));
  }

  private static String command(String c, String what) {
    if (c != null && c.isBlank()) {
      throw new IllegalArgumentException(what + " command is blank: '" + c + "'");
    }
    return c;
  }

  // ---- scheduler ----

  /** With this scheduler; flags that do not apply to it are dropped. */
  public VirtualService scheduler(Scheduler s) {
    Objects.requireNonNull(s, "scheduler");
    Set<SchedulerFlag> kept = EnumSet.noneOf(SchedulerFlag.class);
    for (SchedulerFlag f : schedulerFlags) {
      if (f.appliesTo(s)) {
        kept.add(f);
      }
    }
    return with(s, Collections.unmodifiableSet(kept), forwarding, persistence, onePacket, realServers, sorryServer,
        sorryServerInhibit, quorum, hysteresis, delayLoop, alpha, omega);
  }

  /** Round robin. */
  public VirtualService rr() { return scheduler(Scheduler.RR); }
  /** Weighted round robin. */
  public VirtualService wrr() { return scheduler(Scheduler.WRR); }
  /** Least connections. */
  public VirtualService lc() { return scheduler(Scheduler.LC); }
  /** Weighted least connections. */
  public VirtualService wlc() { return scheduler(Scheduler.WLC); }
  /** Locality-based least connections. */
  public VirtualService lblc() { return scheduler(Scheduler.LBLC); }
  /** Locality-based least connections with replication. */
  public VirtualService lblcr() { return scheduler(Scheduler.LBLCR); }
  /** Destination hashing. */
  public VirtualService dh() { return scheduler(Scheduler.DH); }
  /** Source hashing. */
  public VirtualService sh() { return scheduler(Scheduler.SH); }
  /** Shortest expected delay. */
  public VirtualService sed() { return scheduler(Scheduler.SED); }
  /** Never queue. */
  public VirtualService nq() { return scheduler(Scheduler.NQ); }
  /** Weighted failover. */
  public VirtualService fo() { return scheduler(Scheduler.FO); }
  /** Weighted overflow. */
  public VirtualService ovf() { return scheduler(Scheduler.OVF); }
  /** Maglev hashing. */
  public VirtualService mh() { return scheduler(Scheduler.MH); }
  /** Weighted random twos choice. */
  public VirtualService twos() { return scheduler(Scheduler.TWOS); }

  /**
   * With these scheduler flags added.
   *
   * @throws IllegalArgumentException if a flag does not apply to the scheduler
   *     ({@code sh-port} on rr, say)
   */
  public VirtualService flags(SchedulerFlag... flags) {
    Set<SchedulerFlag> s = EnumSet.noneOf(SchedulerFlag.class);
    s.addAll(schedulerFlags);
    for (SchedulerFlag f : flags) {
      if (!f.appliesTo(scheduler)) {
        throw new IllegalArgumentException("scheduler flag " + f.label() + " does not apply to scheduler " + scheduler);
      }
      s.add(f);
    }
    return with(scheduler, Collections.unmodifiableSet(s), forwarding, persistence, onePacket, realServers, sorryServer,
        sorryServerInhibit, quorum, hysteresis, delayLoop, alpha, omega);
  }

  // ---- forwarding ----

  /** Default forwarding for real servers that do not set their own. */
  public VirtualService forwarding(Forwarding f) {
    Objects.requireNonNull(f, "forwarding");
    for (RealServer r : realServers) {
      checkFamily(r, f);
    }
    return with(scheduler, schedulerFlags, f, persistence, onePacket, realServers, sorryServer, sorryServerInhibit,
        quorum, hysteresis, delayLoop, alpha, omega);
  }

  /** Direct routing (LVS-DR). */
  public VirtualService dr() { return forwarding(Forwarding.DR); }
  /** NAT (masquerading). */
  public VirtualService nat() { return forwarding(Forwarding.NAT); }
  /** IP-in-IP tunnelling (LVS-TUN). */
  public VirtualService tun() { return forwarding(Forwarding.TUN); }
  /** Local node. */
  public VirtualService local() { return forwarding(Forwarding.LOCAL); }

  // ---- persistence and flags ----

  /** With persistence. */
  public VirtualService persistent(Persistence p) {
    Objects.requireNonNull(p, "persistence");
    return with(scheduler, schedulerFlags, forwarding, p, onePacket, realServers, sorryServer, sorryServerInhibit,
        quorum, hysteresis, delayLoop, alpha, omega);
  }

  /** With per-client persistence for this many seconds. */
  public VirtualService persistent(int timeoutSeconds) {
    return persistent(Persistence.of(timeoutSeconds));
  }

  /** Without persistence. @throws IllegalStateException for an all-ports service, which needs it */
  public VirtualService notPersistent() {
    if (key instanceof ServiceKey.Inet i && i.port() == 0) {
      throw new IllegalStateException("an all-ports (port 0) service must be persistent: " + key);
    }
    return with(scheduler, schedulerFlags, forwarding, null, onePacket, realServers, sorryServer, sorryServerInhibit,
        quorum, hysteresis, delayLoop, alpha, omega);
  }

  /**
   * One-packet scheduling: every UDP datagram is scheduled on its own.
   *
   * @throws IllegalArgumentException unless the service is UDP or a fwmark service
   */
  public VirtualService onePacket() {
    if (key instanceof ServiceKey.Inet i && i.protocol() != Protocol.UDP) {
      throw new IllegalArgumentException("one-packet scheduling is only for UDP services, not " + key);
    }
    return with(scheduler, schedulerFlags, forwarding, persistence, true, realServers, sorryServer, sorryServerInhibit,
        quorum, hysteresis, delayLoop, alpha, omega);
  }

  // ---- real servers ----

  /**
   * With one more real server.
   *
   * @throws IllegalArgumentException if a real server with the same address and port
   *     is already there, or its family cannot be forwarded to from this service
   */
  public VirtualService add(RealServer real) {
    Objects.requireNonNull(real, "real server");
    for (RealServer r : realServers) {
      if (r.key().equals(real.key())) {
        throw new IllegalArgumentException("real server " + real.key() + " is already in " + key);
      }
    }
    checkFamily(real, forwarding);
    List<RealServer> l = new ArrayList<>(realServers.size() + 1);
    l.addAll(realServers);
    l.add(real);
    return with(scheduler, schedulerFlags, forwarding, persistence, onePacket, Collections.unmodifiableList(l),
        sorryServer, sorryServerInhibit, quorum, hysteresis, delayLoop, alpha, omega);
  }

  /** With these real servers added, in order. */
  public VirtualService add(RealServer... reals) {
    VirtualService v = this;
    for (RealServer r : reals) {
      v = v.add(r);
    }
    return v;
  }

  /** With the real server of this key replaced (same key) or added. */
  public VirtualService put(RealServer real) {
    List<RealServer> l = new ArrayList<>(realServers);
    for (int i = 0; i < l.size(); i++) {
      if (l.get(i).key().equals(real.key())) {
        checkFamily(real, forwarding);
        l.set(i, real);
        return with(scheduler, schedulerFlags, forwarding, persistence, onePacket, Collections.unmodifiableList(l),
            sorryServer, sorryServerInhibit, quorum, hysteresis, delayLoop, alpha, omega);
      }
    }
    return add(real);
  }

  /** Without the real server of this key (no-op if absent). */
  public VirtualService remove(RealServerKey real) {
    List<RealServer> l = new ArrayList<>(realServers);
    l.removeIf(r -> r.key().equals(real));
    return with(scheduler, schedulerFlags, forwarding, persistence, onePacket, Collections.unmodifiableList(l),
        sorryServer, sorryServerInhibit, quorum, hysteresis, delayLoop, alpha, omega);
  }

  /** With a sorry server, used while the quorum is lost. */
  public VirtualService sorryServer(RealServer sorry) {
    Objects.requireNonNull(sorry, "sorry server");
    checkFamily(sorry, forwarding);
    return with(scheduler, schedulerFlags, forwarding, persistence, onePacket, realServers, sorry, sorryServerInhibit,
        quorum, hysteresis, delayLoop, alpha, omega);
  }

  /** Keep the sorry server in IPVS at weight 0 while unused, instead of removing it. */
  public VirtualService sorryServerInhibit(boolean inhibit) {
    return with(scheduler, schedulerFlags, forwarding, persistence, onePacket, realServers, sorryServer, inhibit,
        quorum, hysteresis, delayLoop, alpha, omega);
  }

  /**
   * Quorum: the least total weight of live real servers for the service to be up;
   * hysteresis: how far past it the sum must move before the state changes.
   *
   * @throws IllegalArgumentException if quorum &lt; 1, hysteresis &lt; 0 or hysteresis &ge; quorum
   */
  public VirtualService quorum(int q, int h) {
    if (q < 1) {
      throw new IllegalArgumentException("quorum must be at least 1: " + q);
    }
    if (h < 0 || h >= q) {
      throw new IllegalArgumentException("hysteresis must be 0 to quorum-1 (" + (q - 1) + "): " + h);
    }
    return with(scheduler, schedulerFlags, forwarding, persistence, onePacket, realServers, sorryServer,
        sorryServerInhibit, q, h, delayLoop, alpha, omega);
  }

  /** Interval between health checks of each real server (keepalived's delay_loop). */
  public VirtualService delayLoop(Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("delay_loop must be positive: " + d);
    }
    return with(scheduler, schedulerFlags, forwarding, persistence, onePacket, realServers, sorryServer,
        sorryServerInhibit, quorum, hysteresis, d, alpha, omega);
  }

  /** keepalived's alpha: real servers start down until their first check passes. */
  public VirtualService alpha(boolean a) {
    return with(scheduler, schedulerFlags, forwarding, persistence, onePacket, realServers, sorryServer,
        sorryServerInhibit, quorum, hysteresis, delayLoop, a, omega);
  }

  /** keepalived's omega: run quorum-down actions and clear the service on stop. */
  public VirtualService omega(boolean o) {
    return with(scheduler, schedulerFlags, forwarding, persistence, onePacket, realServers, sorryServer,
        sorryServerInhibit, quorum, hysteresis, delayLoop, alpha, o);
  }

  private void checkFamily(RealServer r, Forwarding serviceDefault) {
    Forwarding f = r.forwarding().orElse(serviceDefault);
    if (Family.of(r.address()) != key.family() && f.method() != Forwarding.Method.TUNNEL) {
      throw new IllegalArgumentException("real server " + r.key() + " is " + Family.of(r.address())
          + " but " + key + " is " + key.family() + ": mixed families need tunnel forwarding, not " + f.method());
    }
  }

  // ---- accessors ----

  /** The kernel identity. */
  public ServiceKey key() { return key; }
  /** The scheduler. */
  public Scheduler scheduler() { return scheduler; }
  /** Scheduler flags. */
  public Set<SchedulerFlag> schedulerFlags() { return schedulerFlags; }
  /** Default forwarding of real servers. */
  public Forwarding forwarding() { return forwarding; }
  /** Persistence, if any. */
  public Optional<Persistence> persistence() { return Optional.ofNullable(persistence); }
  /** One-packet scheduling. */
  public boolean isOnePacket() { return onePacket; }
  /** Real servers in the order they were added. */
  public List<RealServer> realServers() { return realServers; }
  /** Sorry server, if any. */
  public Optional<RealServer> sorryServer() { return Optional.ofNullable(sorryServer); }
  /** Whether the sorry server stays at weight 0 while unused. */
  public boolean isSorryServerInhibit() { return sorryServerInhibit; }
  /** Quorum (least live weight). */
  public int quorum() { return quorum; }
  /** Hysteresis around the quorum. */
  public int hysteresis() { return hysteresis; }
  /** Health check interval. */
  public Duration delayLoop() { return delayLoop; }
  /** keepalived's alpha. */
  public boolean isAlpha() { return alpha; }
  /** keepalived's omega. */
  public boolean isOmega() { return omega; }
  /** The quorum_up command, if any. */
  public Optional<String> quorumUpCommand() { return Optional.ofNullable(hooks.quorumUp()); }
  /** The quorum_down command, if any. */
  public Optional<String> quorumDownCommand() { return Optional.ofNullable(hooks.quorumDown()); }
  /** keepalived's ha_suspend. */
  public boolean isHaSuspend() { return hooks.haSuspend(); }

  /** The forwarding a real server gets: its own or the service's. */
  public Forwarding forwardingOf(RealServer r) {
    return r.forwarding().orElse(forwarding);
  }

  /** The real server with this key, if present. */
  public Optional<RealServer> realServer(RealServerKey k) {
    for (RealServer r : realServers) {
      if (r.key().equals(k)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  /** The kernel-level service this describes. */
  public IpvsService toIpvsService() {
    return new IpvsService(key, scheduler, schedulerFlags, persistence, onePacket);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof VirtualService)) {
      return false;
    }
    VirtualService v = (VirtualService) o;
    return key.equals(v.key) && scheduler.equals(v.scheduler) && schedulerFlags.equals(v.schedulerFlags)
        && forwarding.equals(v.forwarding) && Objects.equals(persistence, v.persistence) && onePacket == v.onePacket
        && realServers.equals(v.realServers) && Objects.equals(sorryServer, v.sorryServer)
        && sorryServerInhibit == v.sorryServerInhibit && quorum == v.quorum && hysteresis == v.hysteresis
        && delayLoop.equals(v.delayLoop) && alpha == v.alpha && omega == v.omega && hooks.equals(v.hooks);
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, scheduler, schedulerFlags, forwarding, persistence, onePacket, realServers, sorryServer,
        quorum, hysteresis, delayLoop);
  }

  @Override
  public String toString() {
    return "VirtualService[" + key + " " + scheduler + " " + forwarding.method()
        + (persistence != null ? " persistent " + persistence.timeoutSeconds() : "")
        + " reals=" + realServers.size() + (sorryServer != null ? " sorry=" + sorryServer.key() : "") + "]";
  }
}
